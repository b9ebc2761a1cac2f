package dev.eqd2sum.io.casefile;

import java.util.List;

/**
 * The forgiveness schedule: reductions of a prior course's EQD2 (normal tissue only) by the time from its
 * end to the start of the current course. A step applies from its threshold on ({@code months >= afterMonths});
 * the largest threshold reached wins.
 *
 * @param name  {@code none}, {@code nelson2009} or {@code custom}
 * @param steps the steps, ascending in months (empty for none)
 */
public record ForgivenessSpec(String name, List<Step> steps) {
    public static final ForgivenessSpec NONE = new ForgivenessSpec("none", List.of());
    /** Nelson et al. 2009 as the study applied it: 25/33/50 % at 6/12/24 months. */
    public static final ForgivenessSpec NELSON_2009 = new ForgivenessSpec("nelson2009",
            List.of(new Step(6, 0.25), new Step(12, 0.33), new Step(24, 0.50)));

    public ForgivenessSpec {
        steps = List.copyOf(steps);
    }

    public record Step(double afterMonths, double reduction) {
    }

    /** The reduction for an interval in months (0 before the first step). */
    public double reductionAfter(double months) {
        double r = 0;
        for (Step s : steps) {
            if (months >= s.afterMonths()) {
                r = s.reduction();
            }
        }
        return r;
    }

    public boolean isNone() {
        return steps.isEmpty();
    }
}
