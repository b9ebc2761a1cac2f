package dev.eqd2sum.engine.constraint;

import java.util.List;

/**
 * The verdict of one constraint evaluated with one method: an entry of constraints.json (CONTRACT).
 * {@code value} and {@code margin} are null when the constraint could not be evaluated; {@code passed} is
 * null exactly when the status is {@link Status#NOT_EVALUATED}.
 */
public record ConstraintResult(String id, String description, String citation, String structure, String role,
                               String metric, Double alphaBeta, ConstraintScope scope, EvaluationMethod method,
                               Comparison comparison, double limit, String unit, Double value, Double margin,
                               Status status, String reason, List<String> deviations) {

    public ConstraintResult {
        deviations = List.copyOf(deviations);
    }

    /**
     * A summary-method entry of a volume statistic (V20Gy, volume) over several courses: summary sums (per-course
     * values added) exist for dose statistics only, so it is never evaluated, on any case; not a gap in this case's
     * data. (A course-scope one reads the current course by either method.)
     */
    public boolean neverEvaluable() {
        return status == Status.NOT_EVALUATED && method == EvaluationMethod.SUMMARY && scope != ConstraintScope.COURSE
                && metric != null && !metric.startsWith("D");
    }

    public Boolean passed() {
        return switch (status) {
            case PASSED -> Boolean.TRUE;
            case FAILED -> Boolean.FALSE;
            case NOT_EVALUATED -> null;
        };
    }

    public enum Status {
        PASSED("passed"), FAILED("failed"), NOT_EVALUATED("not_evaluated");

        private final String key;

        Status(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}
