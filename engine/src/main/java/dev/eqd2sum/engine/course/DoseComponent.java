package dev.eqd2sum.engine.course;

import dev.eqd2sum.engine.dose.DoseGrid;

/**
 * One physical dose grid of a course with the factor that makes it the course's total dose:
 * 1 for PLAN and BEAM doses, the planned number of fractions for a FRACTION dose.
 *
 * @param grid       physical dose in the course's own patient coordinates
 * @param multiplier factor on every voxel (> 0)
 */
public record DoseComponent(DoseGrid grid, double multiplier) {
    public DoseComponent {
        if (!(multiplier > 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("dose multiplier must be positive: " + multiplier);
        }
    }

    /** A PLAN (or BEAM) dose: the grid holds the course's dose as it is. */
    public static DoseComponent plan(DoseGrid grid) {
        return new DoseComponent(grid, 1.0);
    }

    /** A FRACTION dose: the grid holds one fraction's dose, multiplied by the planned fractions. */
    public static DoseComponent perFraction(DoseGrid grid, int plannedFractions) {
        return new DoseComponent(grid, plannedFractions);
    }
}
