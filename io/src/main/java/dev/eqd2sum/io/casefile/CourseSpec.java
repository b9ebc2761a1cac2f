package dev.eqd2sum.io.casefile;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * One course as the case file gives it. Paths are resolved against the case file's folder and were
 * checked to exist; {@code display*} are the same paths as the user sees them in messages.
 *
 * @param index              position in the case file's {@code courses} list (0-based, as in field paths)
 * @param label              unique label ({@code course1}, ... when the case gives none)
 * @param doseFiles          RT Dose files (several: BEAM doses summed); empty when {@code uniformDoseGy} is given
 * @param uniformDoseGy      dose every structure received (prior course without a dose grid), or null
 * @param plan               RT Plan, or null
 * @param fractionGroup      FractionGroupNumber to take from a plan with several groups, or null
 * @param fractions          planned fractions, or null when they come from the plan
 * @param fractionsDelivered delivered fractions when fewer than planned, or null
 * @param startDate          first treatment day, or null
 * @param endDate            last treatment day as given, or null
 * @param registration       Spatial Registration mapping this course's frame of reference, or null
 */
public record CourseSpec(int index, String label, List<Path> doseFiles, List<String> displayDoseFiles,
                         Double uniformDoseGy, Path plan, String displayPlan, Integer fractionGroup,
                         Integer fractions, Integer fractionsDelivered, LocalDate startDate, LocalDate endDate,
                         Path registration, String displayRegistration) {
    public CourseSpec {
        doseFiles = List.copyOf(doseFiles);
        displayDoseFiles = List.copyOf(displayDoseFiles);
    }

    /** The case-file field path of this course, e.g. {@code courses[1]}. */
    public String field() {
        return "courses[" + index + "]";
    }

    public boolean hasUniformDose() {
        return uniformDoseGy != null;
    }
}
