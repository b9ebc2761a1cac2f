package dev.eqd2sum.engine.constraint;

import dev.eqd2sum.engine.course.ForgivenessSchedule;

import java.util.List;
import java.util.Objects;

/**
 * One published dose or timing limit, in a form that can be evaluated on any case.
 *
 * @param id            short stable identifier ({@code sahgal2012-2})
 * @param description   what the limit says, in words
 * @param citation      where it was published
 * @param role          the anatomical role it applies to (null when {@code structure} is given or for intervals)
 * @param fallbackRoles roles tried in order when the case has no structure for {@code role}; using one is a
 *                      named deviation
 * @param structure     an explicit structure name instead of a role (user constraint files), or null
 * @param statistic     a dose statistic ({@code Dmax}, {@code D0.03cc}, {@code Dmin}, {@code V20Gy}, ...) or
 *                      {@link #CONSTRAINT_METRIC}, the case's point metric ({@code Dmax} or {@code D0.03cc});
 *                      null for intervals
 * @param alphaBeta     alpha/beta (Gy) of the EQD2 conversion; null for intervals
 * @param scope         what the value is computed from
 * @param methods       the methods to evaluate with (dose constraints: normally both)
 * @param comparison    the comparator
 * @param limit         the limit, in {@code unit}
 * @param unit          {@code Gy}, {@code cc}, {@code %} or {@code months}
 * @param published     how the source stated the limit (for naming deviations), or null
 */
public record Constraint(String id, String description, String citation, Role role, List<Role> fallbackRoles,
                         String structure, String statistic, Double alphaBeta, ConstraintScope scope,
                         List<EvaluationMethod> methods, Comparison comparison, double limit, String unit,
                         Published published) {

    /** Statistic placeholder resolved to the case's {@code constraintMetric}. */
    public static final String CONSTRAINT_METRIC = "constraintMetric";

    public Constraint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(comparison, "comparison");
        fallbackRoles = fallbackRoles == null ? List.of() : List.copyOf(fallbackRoles);
        methods = methods == null ? List.of() : List.copyOf(methods);
        description = description == null ? "" : description;
        citation = citation == null ? "" : citation;
    }

    /**
     * How the source stated the limit: the role, the statistic ({@code Pmax}, {@code Dmax}, ...), the method and, for
     * a forgiven limit, the forgiveness schedule it was derived with (null: not stated). Anything the evaluation
     * does differently is reported as a deviation.
     */
    public record Published(Role role, String statistic, EvaluationMethod method,
                            ForgivenessSchedule forgiveness) {
        public Published(Role role, String statistic, EvaluationMethod method) {
            this(role, statistic, method, null);
        }
    }
}
