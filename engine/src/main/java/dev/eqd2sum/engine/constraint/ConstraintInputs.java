package dev.eqd2sum.engine.constraint;

import dev.eqd2sum.engine.course.ForgivenessSchedule;

import java.util.Optional;
import java.util.OptionalDouble;

/** What constraint evaluation needs to know about one summed case. */
public interface ConstraintInputs {
    /** The structure (as named in the structure set) that plays {@code role}, if any. */
    Optional<String> structureFor(Role role);

    /** Whether the structure set has a structure of this name with contours. */
    boolean hasStructure(String name);

    /**
     * The structure set's own name of the contoured structure a constraint file names (CONTRACT: names match
     * ignoring upper/lower case after trimming); empty when there is none.
     */
    default Optional<String> structureNamed(String name) {
        return hasStructure(name) ? Optional.of(name) : Optional.empty();
    }

    /** Whether the case has a course before the current one. */
    boolean hasPriorCourse();

    /**
     * Months (days / 30.4375, unrounded) from the end of the latest prior course to the start of the
     * current course; empty when the dates needed are not in the case.
     */
    OptionalDouble intervalMonths();

    /**
     * The value of a statistic of a structure in one scope: EQD2 at {@code alphaBeta} for dose statistics
     * (Gy), cc or % for volume statistics. Null when the statistic is undefined for the structure
     * (D0.03cc of a structure smaller than 0.03 cc) or not available in that scope.
     */
    Double value(String structure, String statistic, String unit, double alphaBeta, ValueScope scope);

    /** The case's forgiveness schedule (what {@code cumulativeForgiven} values were forgiven by); null: unknown. */
    default ForgivenessSchedule forgiveness() {
        return null;
    }

    /**
     * The label of the prior course whose end date, estimated from its start and fractions, the interval is
     * measured from; null when the interval runs from a given date.
     */
    default String intervalEndEstimated() {
        return null;
    }

    /** Volume (cc) of the structure outside the output grid, left out of its statistics; 0 when none or unknown. */
    default double outsideGridCc(String structure) {
        return 0;
    }

    /** Volume (cc) of the structure inside the output grid; NaN when unknown. */
    default double insideGridCc(String structure) {
        return Double.NaN;
    }
}
