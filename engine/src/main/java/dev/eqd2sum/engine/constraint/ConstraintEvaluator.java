package dev.eqd2sum.engine.constraint;

import dev.eqd2sum.engine.constraint.ConstraintResult.Status;
import dev.eqd2sum.engine.course.ForgivenessSchedule;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Evaluates constraints on one case: every dose constraint once per method (voxel-wise plan sum and
 * summary sum), each verdict with its value, margin and the deviations from how the limit was published.
 * Values are compared unrounded; the reasons show them rounded to 0.01, or finer where 0.01 would misread.
 */
public final class ConstraintEvaluator {
    private final String constraintMetric;

    /** @param constraintMetric the case's point metric, {@code Dmax} or {@code D0.03cc} */
    public ConstraintEvaluator(String constraintMetric) {
        if (!"Dmax".equals(constraintMetric) && !"D0.03cc".equals(constraintMetric)) {
            throw new IllegalArgumentException("constraintMetric must be Dmax or D0.03cc, got " + constraintMetric);
        }
        this.constraintMetric = constraintMetric;
    }

    /** The statistic a constraint reads, with {@link Constraint#CONSTRAINT_METRIC} resolved. */
    public String statisticOf(Constraint c) {
        if (c.statistic() == null) {
            return null;
        }
        return Constraint.CONSTRAINT_METRIC.equals(c.statistic()) ? constraintMetric : c.statistic();
    }

    /** The (structure, alpha/beta, statistic) triples that {@link #evaluate} will look up. */
    public Set<StatisticNeed> needs(List<Constraint> constraints, ConstraintInputs in) {
        Set<StatisticNeed> needs = new LinkedHashSet<>();
        for (Constraint c : constraints) {
            if (!c.scope().isDoseScope() || c.alphaBeta() == null) {
                continue;
            }
            Resolution r = resolve(c, in);
            if (r.structure != null) {
                needs.add(new StatisticNeed(r.structure, c.alphaBeta(), statisticOf(c)));
            }
        }
        return needs;
    }

    public List<ConstraintResult> evaluate(List<Constraint> constraints, ConstraintInputs in) {
        List<ConstraintResult> out = new ArrayList<>();
        for (Constraint c : constraints) {
            if (c.scope() == ConstraintScope.INTERVAL) {
                out.add(evaluateInterval(c, in));
            } else {
                for (EvaluationMethod m : c.methods()) {
                    out.add(evaluateDose(c, m, in));
                }
            }
        }
        return out;
    }

    private ConstraintResult evaluateInterval(Constraint c, ConstraintInputs in) {
        if (!in.hasPriorCourse()) {
            return result(c, null, null, "interval", null, null, Status.NOT_EVALUATED,
                    "the case has only one course, so there is no time to reirradiation", List.of());
        }
        OptionalDouble months = in.intervalMonths();
        if (months.isEmpty()) {
            return result(c, null, null, "interval", null, null, Status.NOT_EVALUATED,
                    "the case lacks the dates for the interval (the prior course's end and the current course's start)",
                    List.of());
        }
        String estimated = in.intervalEndEstimated();
        return verdict(c, null, null, "interval", null, months.getAsDouble(), estimated == null ? List.of()
                : List.of(estimatedEnd(estimated)));
    }

    private ConstraintResult evaluateDose(Constraint c, EvaluationMethod method, ConstraintInputs in) {
        String statistic = statisticOf(c);
        Resolution r = resolve(c, in);
        String roleKey = r.role == null ? null : r.role.key();
        if (r.structure == null) {
            return result(c, null, roleKey, statistic, method, null, Status.NOT_EVALUATED, r.reason, List.of());
        }
        List<String> deviations = new ArrayList<>(r.deviations);
        deviations.addAll(methodAndMetricDeviations(c, statistic, method, in.hasPriorCourse()));
        deviations.addAll(caseDeviations(c, r, in));
        if (c.scope().needsPriorCourse() && !in.hasPriorCourse()) {
            return result(c, r.structure, roleKey, statistic, method, null, Status.NOT_EVALUATED,
                    "the case has only one course, so there is no reirradiation to compare with the cumulative dose",
                    deviations);
        }
        double ab = c.alphaBeta();
        boolean voxelwise = method == EvaluationMethod.VOXELWISE;
        String lookupUnit = c.scope() == ConstraintScope.RATIO ? "Gy" : c.unit();
        Double value;
        String undefinedReason = null;
        switch (c.scope()) {
            case COURSE -> value = in.value(r.structure, statistic, lookupUnit, ab, ValueScope.CURRENT_COURSE);
            case CUMULATIVE -> value = in.value(r.structure, statistic, lookupUnit, ab,
                    voxelwise ? ValueScope.PLAN_SUM_UNFORGIVEN : ValueScope.SUMMARY_SUM_UNFORGIVEN);
            case CUMULATIVE_FORGIVEN -> value = in.value(r.structure, statistic, lookupUnit, ab,
                    voxelwise ? ValueScope.PLAN_SUM : ValueScope.SUMMARY_SUM);
            case RATIO -> {
                Double course = in.value(r.structure, statistic, lookupUnit, ab, ValueScope.CURRENT_COURSE);
                Double cumulative = in.value(r.structure, statistic, lookupUnit, ab,
                        voxelwise ? ValueScope.PLAN_SUM_UNFORGIVEN : ValueScope.SUMMARY_SUM_UNFORGIVEN);
                if (course == null || cumulative == null) {
                    value = null;
                } else if (!(cumulative > 0)) {
                    value = null;
                    undefinedReason = "the cumulative " + statistic + " of " + r.structure + " is 0 Gy, so the ratio is undefined";
                } else {
                    value = 100.0 * course / cumulative;
                }
            }
            default -> throw new IllegalStateException("not a dose scope: " + c.scope());
        }
        if (value == null || !Double.isFinite(value)) {
            String reason = undefinedReason != null ? undefinedReason : undefinedReason(statistic, r.structure, method);
            return result(c, r.structure, roleKey, statistic, method, null, Status.NOT_EVALUATED, reason, deviations);
        }
        return verdict(c, r.structure, roleKey, statistic, method, value, deviations);
    }

    private static String undefinedReason(String statistic, String structure, EvaluationMethod method) {
        boolean doseStatistic = statistic.startsWith("D");
        if (!doseStatistic && method == EvaluationMethod.SUMMARY) {
            return "summary sums exist for dose statistics only, not for " + statistic;
        }
        return statistic + " of " + structure + " is undefined (the volume it asks for exceeds the structure's volume"
                + " inside the grid)";
    }

    private ConstraintResult verdict(Constraint c, String structure, String role, String metric,
                                     EvaluationMethod method, double value, List<String> deviations) {
        boolean holds = c.comparison().holds(value, c.limit());
        double margin = c.comparison().margin(value, c.limit());
        String reason = String.format(Locale.ROOT, "%s %s %s%s %s %s", shown(value, c), c.unit(),
                holds ? "" : "is not ", c.comparison().symbol(), plain(c.limit()), c.unit());
        return result(c, structure, role, metric, method, value, holds ? Status.PASSED : Status.FAILED, reason,
                deviations, margin);
    }

    private ConstraintResult result(Constraint c, String structure, String role, String metric,
                                    EvaluationMethod method, Double value, Status status, String reason,
                                    List<String> deviations) {
        return result(c, structure, role, metric, method, value, status, reason, deviations, null);
    }

    private ConstraintResult result(Constraint c, String structure, String role, String metric,
                                    EvaluationMethod method, Double value, Status status, String reason,
                                    List<String> deviations, Double margin) {
        return new ConstraintResult(c.id(), c.description(), c.citation(), structure, role, metric, c.alphaBeta(),
                c.scope(), method, c.comparison(), c.limit(), c.unit(), value, margin, status, reason, deviations);
    }

    /**
     * The value to 2 decimals, or to as many more as make the comparison read true: 49.9969 Gy against "< 50 Gy"
     * is "49.997", not "50.00" (which would read as a failure next to the word "passed").
     */
    static String shown(double value, Constraint c) {
        for (int digits = 2; digits <= 9; digits++) {
            String s = String.format(Locale.ROOT, "%." + digits + "f", value);
            if (c.comparison().readsAlike(Double.parseDouble(s), value, c.limit())) {
                return s;
            }
        }
        return Double.toString(value);
    }

    /**
     * 25 -> "25", 32.2 -> "32.2": limits as the source wrote them (the shortest decimal that reads back as the
     * double); in scientific notation ("1E+20", "1E-7") outside 1e-6 to 1e15, where the plain form grows to
     * hundreds of digits (1e308, 1e-320).
     */
    static String plain(double v) {
        BigDecimal b = BigDecimal.valueOf(v).stripTrailingZeros();
        double magnitude = Math.abs(v);
        boolean plainIsShort = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
        return plainIsShort ? b.toPlainString() : b.toString();
    }

    /** @param severalCourses false: a cumulative value is the one course's, the same by either method */
    private List<String> methodAndMetricDeviations(Constraint c, String statistic, EvaluationMethod method,
                                                   boolean severalCourses) {
        List<String> d = new ArrayList<>();
        Constraint.Published p = c.published();
        if (p == null) {
            return d;
        }
        if (p.statistic() != null && !samePointMetric(p.statistic(), statistic)) {
            d.add(statistic + " used instead of " + describe(p.statistic()) + ", which the limit was stated for");
        }
        boolean combinesCourses = c.scope() == ConstraintScope.CUMULATIVE || c.scope() == ConstraintScope.CUMULATIVE_FORGIVEN
                || c.scope() == ConstraintScope.RATIO;
        if (combinesCourses && severalCourses && p.method() == EvaluationMethod.SUMMARY
                && method == EvaluationMethod.VOXELWISE) {
            String per = p.statistic() == null ? statistic : p.statistic();
            d.add("voxel-wise plan sum instead of the sum of per-course " + per
                    + " values the limit was derived with");
        }
        return d;
    }

    /**
     * What the case makes different from the source's statement: another role than the one the limit was stated
     * for, another forgiveness schedule, and a structure partly outside the output grid (its values are of the part
     * inside, while clinical limits are stated for the whole organ).
     */
    private static List<String> caseDeviations(Constraint c, Resolution r, ConstraintInputs in) {
        List<String> d = new ArrayList<>();
        Constraint.Published p = c.published();
        if (p != null && p.role() != null) {
            // the role the structure plays (a fallback's when one was taken; resolve named that already, so only a
            // role the limit was not stated for is named here), or a structure named outright
            boolean fallbackNamed = r.role != null && r.role != c.role() && c.role() == p.role();
            if (r.role != null && r.role != p.role() && !fallbackNamed) {
                d.add(r.structure + " (" + r.role.words() + ") used, but the limit was stated for the "
                        + p.role().words());
            } else if (r.role == null && !in.structureFor(p.role()).map(r.structure::equalsIgnoreCase).orElse(false)) {
                d.add(r.structure + " used, but the limit was stated for the " + p.role().words());
            }
        }
        ForgivenessSchedule used = in.forgiveness();
        if (p != null && p.forgiveness() != null && used != null && c.scope() == ConstraintScope.CUMULATIVE_FORGIVEN
                && !used.sameReductions(p.forgiveness())) {
            d.add((used.stepList().isEmpty() ? "nothing forgiven (the case's forgiveness is none)"
                    : "forgiven by the case's schedule (" + used.words() + ")") + " instead of the schedule the limit"
                    + " was stated with (" + p.forgiveness().words() + ")");
        }
        String estimated = in.intervalEndEstimated();
        if (estimated != null && c.scope() == ConstraintScope.CUMULATIVE_FORGIVEN) {
            // the reduction steps at 6 / 12 / 24 months are read off the same interval
            d.add(estimatedEnd(estimated));
        }
        double outside = in.outsideGridCc(r.structure);
        if (outside > OUTSIDE_GRID_SHOWN_CC) {
            double inside = in.insideGridCc(r.structure);
            d.add(String.format(Locale.ROOT, "%.3f cc of %s lie outside the output grid%s: the value is of the part"
                    + " inside", outside, r.structure, Double.isNaN(inside) ? ""
                    : String.format(Locale.ROOT, " (%.3f cc inside)", inside)));
        }
        return d;
    }

    /**
     * A structure's volume outside the grid below this (cc) is rounding of its area sums, not a part left out: what
     * "%.3f cc" cannot show, the threshold of the case's warning too.
     */
    public static final double OUTSIDE_GRID_SHOWN_CC = 0.0005;

    private static String estimatedEnd(String course) {
        return "the interval runs from course " + course + "'s estimated end date (startDate + fractions - 1 working"
                + " days; give its endDate)";
    }

    /** Our Dmax (the highest dose at sample points inside the structure) is a point maximum. */
    private static boolean samePointMetric(String published, String used) {
        if (published.equals(used)) {
            return true;
        }
        return published.equals("Pmax") && used.equals("Dmax");
    }

    private static String describe(String publishedStatistic) {
        return publishedStatistic.equals("Pmax") ? "the point maximum (Pmax)" : publishedStatistic;
    }

    /**
     * The reason of a constraint whose structure the case lacks, followed by the structure's name: the cohort table
     * takes the name back from it (constraints.json's {@code structure} is the structure evaluated, null here).
     */
    public static final String MISSING_STRUCTURE_REASON = "the structure set has no contoured structure named ";

    private record Resolution(String structure, Role role, List<String> deviations, String reason) {
    }

    private static Resolution resolve(Constraint c, ConstraintInputs in) {
        if (c.structure() != null) {
            Optional<String> named = in.structureNamed(c.structure());
            if (named.isPresent()) {
                return new Resolution(named.get(), null, List.of(), null);
            }
            return new Resolution(null, null, List.of(), MISSING_STRUCTURE_REASON + c.structure());
        }
        if (c.role() == null) {
            return new Resolution(null, null, List.of(), "the constraint names neither a role nor a structure");
        }
        Optional<String> primary = in.structureFor(c.role()).filter(in::hasStructure);
        if (primary.isPresent()) {
            return new Resolution(primary.get(), c.role(), List.of(), null);
        }
        for (Role fallback : c.fallbackRoles()) {
            Optional<String> s = in.structureFor(fallback).filter(in::hasStructure);
            if (s.isPresent()) {
                // a StringBuilder, not +: this concatenation's shape is not in the start-up cache, and making it on
                // first use cost a fresh JVM about 9 ms
                String deviation = new StringBuilder(s.get()).append(" (").append(fallback.words())
                        .append(") used instead of the ").append(c.role().words()).append(": the case has no contoured ")
                        .append(c.role().words()).append(" structure (roles.").append(c.role().key()).append(')')
                        .toString();
                return new Resolution(s.get(), fallback, List.of(deviation), null);
            }
        }
        StringBuilder reason = new StringBuilder("no contoured structure for the ").append(c.role().words())
                .append(" (roles.").append(c.role().key()).append(')');
        for (Role fallback : c.fallbackRoles()) {
            reason.append(" or the ").append(fallback.words()).append(" (roles.").append(fallback.key()).append(')');
        }
        return new Resolution(null, null, List.of(), reason.toString());
    }
}
