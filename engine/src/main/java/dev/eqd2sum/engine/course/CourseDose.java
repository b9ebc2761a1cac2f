package dev.eqd2sum.engine.course;

import dev.eqd2sum.engine.InvalidInputException;
import java.util.List;

/**
 * Where a course's physical dose comes from: one or several grids (several BEAM doses are summed
 * physically before any conversion, since EQD2 is non-linear), or a uniform dose when no plan data
 * exist (the study's assumption: every structure received the prescription).
 */
public sealed interface CourseDose {
    /** One grid, or several (BEAM) doses of one course, all in the course's patient coordinates. */
    record Grids(List<DoseComponent> components) implements CourseDose {
        public Grids {
            if (components.isEmpty()) {
                throw new IllegalArgumentException("a course needs at least one dose grid");
            }
            components = List.copyOf(components);
        }
    }

    /** The same physical dose (Gy, the whole course, planned fractions) in every voxel. */
    record Uniform(double doseGy) implements CourseDose {
        public Uniform {
            if (!(doseGy >= 0) || Double.isInfinite(doseGy)) {
                throw new InvalidInputException("uniformDoseGy", "the uniform dose must be zero or positive, got " + doseGy);
            }
        }
    }

    static CourseDose of(DoseComponent... components) {
        return new Grids(List.of(components));
    }

    static CourseDose uniform(double doseGy) {
        return new Uniform(doseGy);
    }
}
