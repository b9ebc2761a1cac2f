package dev.eqd2sum.engine.course;

import dev.eqd2sum.engine.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How much of a prior course's EQD2 is forgiven (repaired) by the time the current course starts,
 * as steps on the interval in months: the reduction of the step with the largest threshold not
 * above the interval applies (steps apply at {@code >=} their threshold). Months are days /
 * {@link #DAYS_PER_MONTH}, unrounded. The reduction multiplies the converted EQD2, never the
 * physical dose, and only in normal tissue (targets are never forgiven; the plan sum applies that).
 */
public final class ForgivenessSchedule {
    /** Average Gregorian month: 365.25 / 12 days. */
    public static final double DAYS_PER_MONTH = 30.4375;

    /** One step: at least {@code afterMonths} months since the prior course ended -> {@code reduction}. */
    public record Step(double afterMonths, double reduction) {
        public Step {
            if (!(afterMonths >= 0) || Double.isInfinite(afterMonths)) {
                throw new InvalidInputException("forgiveness", "afterMonths must be zero or positive, got " + afterMonths);
            }
            if (!(reduction >= 0 && reduction <= 1)) {
                throw new InvalidInputException("forgiveness", "a reduction must lie between 0 and 1, got " + reduction);
            }
        }
    }

    private static final ForgivenessSchedule NONE = new ForgivenessSchedule("none", List.of());

    private final String name;
    private final List<Step> steps; // ascending afterMonths

    private ForgivenessSchedule(String name, List<Step> steps) {
        this.name = name;
        this.steps = steps;
    }

    /** No forgiveness: every prior course counts in full. */
    public static ForgivenessSchedule none() {
        return NONE;
    }

    /** Nelson et al. 2009 as the study applied it: 25 / 33 / 50 % at >= 6 / 12 / 24 months. */
    public static ForgivenessSchedule nelson2009() {
        return nelson2009(0.33);
    }

    /**
     * Nelson 2009 with the 12-month reduction given explicitly: 0.33 as the study states, or 1/3
     * (which its text's 53.5 Gy fits).
     */
    public static ForgivenessSchedule nelson2009(double twelveMonthReduction) {
        List<Step> s = List.of(new Step(6, 0.25), new Step(12, twelveMonthReduction), new Step(24, 0.5));
        return new ForgivenessSchedule(twelveMonthReduction == 0.33 ? "nelson2009" : "nelson2009("
                + twelveMonthReduction + ")", s);
    }

    /**
     * Custom steps in any order. Thresholds must differ; reductions need not grow with time
     * (a user may reproduce a published table as it stands).
     */
    public static ForgivenessSchedule steps(List<Step> steps) {
        List<Step> sorted = new ArrayList<>(steps);
        sorted.sort(Comparator.comparingDouble(Step::afterMonths));
        for (int n = 1; n < sorted.size(); n++) {
            if (sorted.get(n).afterMonths() == sorted.get(n - 1).afterMonths()) {
                throw new InvalidInputException("forgiveness", "two steps start after "
                        + sorted.get(n).afterMonths() + " months");
            }
        }
        return new ForgivenessSchedule("custom", List.copyOf(sorted));
    }

    /** {@code none}, {@code nelson2009}, or {@code custom}. */
    public String name() {
        return name;
    }

    /** The steps, ascending by threshold. */
    public List<Step> stepList() {
        return steps;
    }

    /** Fraction of the prior course's EQD2 forgiven after {@code intervalMonths}; 0 before the first step. */
    public double reductionAfterMonths(double intervalMonths) {
        double r = 0;
        for (Step s : steps) {
            if (intervalMonths >= s.afterMonths()) {
                r = s.reduction();
            }
        }
        return r;
    }

    /** Same, for an interval in days (months = days / 30.4375, unrounded). */
    public double reductionAfterDays(long intervalDays) {
        return reductionAfterMonths(monthsFromDays(intervalDays));
    }

    public static double monthsFromDays(long days) {
        return days / DAYS_PER_MONTH;
    }

    /** Same name and steps (a schedule read twice from the same text is equal). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ForgivenessSchedule f && f.name.equals(name) && f.steps.equals(steps);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + steps.hashCode();
    }

    /** Whether both forgive the same fraction after every interval. */
    public boolean sameReductions(ForgivenessSchedule other) {
        return steps.equals(other.steps);
    }

    /** For people: "none", "25 % after 6 months, 33 % after 12, 50 % after 24". */
    public String words() {
        if (steps.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < steps.size(); n++) {
            Step s = steps.get(n);
            b.append(n == 0 ? "" : ", ").append(percent(s.reduction())).append(" % after ")
                    .append(number(s.afterMonths())).append(n == 0 ? " months" : "");
        }
        return b.toString();
    }

    private static String percent(double fraction) {
        return number(Math.round(fraction * 1e6) / 1e4);
    }

    private static String number(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        for (Step s : steps) {
            b.append(String.format(Locale.ROOT, " [>=%gmo: %g]", s.afterMonths(), s.reduction()));
        }
        return b.toString();
    }
}
