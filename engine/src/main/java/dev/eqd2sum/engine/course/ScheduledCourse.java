package dev.eqd2sum.engine.course;

import java.time.LocalDate;

/**
 * A course placed in the case's timeline: whether it is the current course, the end date used
 * (possibly estimated), its interval to the current course and the resulting forgiveness.
 *
 * @param course             the course as given
 * @param index              its position in the case's course list
 * @param current            true for the current course (latest start date)
 * @param endDate            end date used: given, or estimated for a prior course; null only for
 *                           a current course without one
 * @param endDateEstimated   true when {@code endDate} was estimated as start + (fractions - 1)
 *                           working days
 * @param intervalDays       days from this course's end to the current course's start; 0 for the
 *                           current course and for a course without dates in a one-course case
 * @param reduction          forgiven fraction of this course's EQD2 in normal tissue (0 for the current)
 */
public record ScheduledCourse(Course course, int index, boolean current, LocalDate endDate,
                              boolean endDateEstimated, long intervalDays, double reduction) {

    public String label() {
        return course.label();
    }

    /** Interval in months: days / 30.4375, unrounded. */
    public double intervalMonths() {
        return ForgivenessSchedule.monthsFromDays(intervalDays);
    }

    /** Weight of this course's EQD2 in normal tissue: 1 - reduction (1 for the current course). */
    public double normalTissueWeight() {
        return 1.0 - reduction;
    }

    /** The fraction count the LQ conversion uses (the delivered one). */
    public int conversionFractions() {
        return course.fractionation().conversionFractions();
    }

    /** Factor on the planned physical dose for incomplete delivery: delivered / planned. */
    public double deliveredDoseFactor() {
        return course.fractionation().deliveredDoseFactor();
    }
}
