package dev.eqd2sum.engine.course;

import dev.eqd2sum.engine.geometry.RigidTransform;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One course of radiotherapy as the case describes it.
 *
 * @param label         the user's name for it (e.g. {@code cEBRT}); unique within a case
 * @param dose          its physical dose: grid(s) or a uniform dose
 * @param fractionation planned and delivered fractions
 * @param startDate     first treatment day; may be null only in a one-course case
 * @param endDate       last treatment day, or null (a prior course then gets an estimate)
 * @param toCurrent     maps this course's patient mm into the current course's patient mm
 *                      (from a rigid REG); null when both share a frame of reference
 */
public record Course(String label, CourseDose dose, Fractionation fractionation, LocalDate startDate,
                     LocalDate endDate, RigidTransform toCurrent) {
    public Course {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(dose, "dose");
        Objects.requireNonNull(fractionation, "fractionation");
    }

    /** A course in the current course's frame, all fractions delivered. */
    public static Course of(String label, CourseDose dose, int fractions, LocalDate startDate, LocalDate endDate) {
        return new Course(label, dose, Fractionation.planned(fractions), startDate, endDate, null);
    }

    public Course withTransform(RigidTransform transform) {
        return new Course(label, dose, fractionation, startDate, endDate, transform);
    }

    public Course withFractionation(Fractionation f) {
        return new Course(label, dose, f, startDate, endDate, toCurrent);
    }

    /** The transform to the current course's patient space (identity when in the same frame). */
    public RigidTransform transformToCurrent() {
        return toCurrent == null ? RigidTransform.identity() : toCurrent;
    }

    public boolean isUniformDose() {
        return dose instanceof CourseDose.Uniform;
    }
}
