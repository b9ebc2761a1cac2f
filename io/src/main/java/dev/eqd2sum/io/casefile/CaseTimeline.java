package dev.eqd2sum.io.casefile;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.course.ForgivenessSchedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Which course is current and how long before it each prior course ended (CONTRACT, "Dates"), checked
 * from the case file alone so that date errors name the case file's fields before any DICOM file is read
 * (the engine's CourseTimeline applies the same rules again to the courses it sums).
 * Dates come only from the case file. A prior course without {@code endDate} ends (fractions - 1)
 * working days (Monday to Friday) after its start, and is marked as estimated.
 *
 * @param currentIndex index of the current course in the case's list
 * @param courses      per course, in case order
 */
public record CaseTimeline(int currentIndex, List<CourseTiming> courses) {
    /** Days per month for intervals, unrounded months (DOMAIN.md, forgiveness): the engine's. */
    public static final double DAYS_PER_MONTH = ForgivenessSchedule.DAYS_PER_MONTH;

    public CaseTimeline {
        courses = List.copyOf(courses);
    }

    /**
     * @param endDate          the given or estimated end date, or null when neither is possible
     * @param endDateEstimated true when {@code endDate} was estimated from start and fractions
     * @param intervalDays     days from this (prior) course's end to the current course's start; null for the
     *                         current course and when a date is missing
     */
    public record CourseTiming(LocalDate startDate, LocalDate endDate, boolean endDateEstimated, Long intervalDays) {
        public Double intervalMonths() {
            return intervalDays == null ? null : intervalDays / DAYS_PER_MONTH;
        }
    }

    /** The index of the current course: the latest startDate. Dates may be left out only in a one-course case. */
    static int currentIndex(String caseSource, List<CourseSpec> courses) {
        for (CourseSpec c : courses) {
            if (c.startDate() == null && c.endDate() != null) {
                throw new InvalidInputException(caseSource + ": " + c.field() + ".startDate",
                        "the course has an endDate but no startDate");
            }
        }
        if (courses.size() == 1) {
            return 0;
        }
        for (CourseSpec c : courses) {
            if (c.startDate() == null) {
                throw new InvalidInputException(caseSource + ": " + c.field() + ".startDate",
                        "is required when the case has several courses (it decides which course is current and"
                                + " the intervals); dates may be left out only in a one-course case");
            }
        }
        int current = -1;
        for (CourseSpec c : courses) {
            if (c.startDate() != null && (current < 0 || c.startDate().isAfter(courses.get(current).startDate()))) {
                current = c.index();
            }
        }
        for (CourseSpec c : courses) {
            if (c.index() != current && c.startDate() != null && c.startDate().equals(courses.get(current).startDate())) {
                throw new InvalidInputException(caseSource + ": " + c.field() + ".startDate",
                        "starts on " + c.startDate() + " like " + courses.get(current).field()
                                + ", so the current course (the latest start) is ambiguous");
            }
        }
        return current;
    }

    /**
     * Checks the dates and computes the timeline.
     *
     * @param fractions per course the fractions delivered (delivered, else planned); 0 when not known yet,
     *                  which only defers the estimate of a missing end date
     */
    public static CaseTimeline of(String caseSource, List<CourseSpec> courses, int[] fractions) {
        for (CourseSpec c : courses) {
            if (c.startDate() != null && c.endDate() != null && c.endDate().isBefore(c.startDate())) {
                throw new InvalidInputException(caseSource + ": " + c.field() + ".endDate",
                        c.endDate() + " is before the course's startDate " + c.startDate());
            }
        }
        int current = currentIndex(caseSource, courses);
        LocalDate currentStart = courses.get(current).startDate();
        List<CourseTiming> timings = new ArrayList<>();
        for (CourseSpec c : courses) {
            if (c.index() == current) {
                LocalDate end = c.endDate();
                boolean estimated = false;
                if (end == null && c.startDate() != null && fractions[c.index()] > 0) {
                    end = addWorkingDays(c.startDate(), fractions[c.index()] - 1);
                    estimated = true;
                }
                timings.add(new CourseTiming(c.startDate(), end, estimated, null));
                continue;
            }
            LocalDate end = c.endDate();
            boolean estimated = false;
            if (end == null && c.startDate() != null && fractions[c.index()] > 0) {
                end = addWorkingDays(c.startDate(), fractions[c.index()] - 1);
                estimated = true;
            }
            Long days = null;
            if (end != null && currentStart != null) {
                if (end.isAfter(currentStart)) {
                    throw new InvalidInputException(caseSource + ": " + c.field() + (estimated ? ".startDate" : ".endDate"),
                            "this prior course ends on " + end + (estimated ? " (estimated from startDate and fractions)" : "")
                                    + ", after the current course " + courses.get(current).field() + " starts on "
                                    + currentStart);
                }
                days = ChronoUnit.DAYS.between(end, currentStart);
            }
            timings.add(new CourseTiming(c.startDate(), end, estimated, days));
        }
        return new CaseTimeline(current, timings);
    }

    /** The day {@code workingDays} Monday-to-Friday days after {@code start}. */
    public static LocalDate addWorkingDays(LocalDate start, int workingDays) {
        LocalDate d = start;
        int left = workingDays;
        while (left > 0) {
            d = d.plusDays(1);
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                left--;
            }
        }
        return d;
    }

    /** The shortest interval of any prior course (the latest prior course), in months; null when unknown or none. */
    public Double shortestIntervalMonths() {
        Double best = null;
        for (int i = 0; i < courses.size(); i++) {
            if (i == currentIndex) {
                continue;
            }
            Double m = courses.get(i).intervalMonths();
            if (m == null) {
                return null;
            }
            best = best == null ? m : Math.min(best, m);
        }
        return best;
    }
}
