package dev.eqd2sum.engine.course;

import dev.eqd2sum.engine.InvalidInputException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The case's courses in time (CONTRACT, dates): the current course is the one with the latest
 * start date; each prior course's interval runs from its end to the current course's start, in
 * days, and sets its forgiveness. Errors name the field as {@code courses[i].field}.
 * <ul>
 *   <li>a tie for the latest start date, an end date before its start date, or a prior course
 *       ending after the current course starts: error;</li>
 *   <li>dates may be left out only in a one-course case;</li>
 *   <li>a prior course without an end date ends start + (fractions - 1) working days (Monday to
 *       Friday), flagged as estimated.</li>
 * </ul>
 */
public final class CourseTimeline {
    private final List<ScheduledCourse> courses;
    private final ScheduledCourse current;
    private final ForgivenessSchedule forgiveness;

    private CourseTimeline(List<ScheduledCourse> courses, ScheduledCourse current, ForgivenessSchedule forgiveness) {
        this.courses = courses;
        this.current = current;
        this.forgiveness = forgiveness;
    }

    public static CourseTimeline of(List<Course> courses, ForgivenessSchedule forgiveness) {
        if (courses.isEmpty()) {
            throw new InvalidInputException("courses", "a case needs at least one course");
        }
        Set<String> labels = new HashSet<>();
        for (int n = 0; n < courses.size(); n++) {
            if (!labels.add(courses.get(n).label())) {
                throw new InvalidInputException(field(n, "label"), "two courses are labelled \""
                        + courses.get(n).label() + "\"");
            }
        }
        for (int n = 0; n < courses.size(); n++) {
            Course c = courses.get(n);
            if (c.startDate() != null && c.endDate() != null && c.endDate().isBefore(c.startDate())) {
                throw new InvalidInputException(field(n, "endDate"), "course \"" + c.label() + "\" ends ("
                        + c.endDate() + ") before it starts (" + c.startDate() + ")");
            }
            if (c.startDate() == null && c.endDate() != null) {
                throw new InvalidInputException(field(n, "startDate"), "course \"" + c.label()
                        + "\" has an endDate but no startDate");
            }
        }
        if (courses.size() == 1) {
            checkNoTransform(courses.get(0), 0);
            Course only = courses.get(0);
            ScheduledCourse s = new ScheduledCourse(only, 0, true, only.endDate(), false, 0, 0);
            return new CourseTimeline(List.of(s), s, forgiveness);
        }
        int currentIndex = -1;
        for (int n = 0; n < courses.size(); n++) {
            if (courses.get(n).startDate() == null) {
                throw new InvalidInputException(field(n, "startDate"), "course \"" + courses.get(n).label()
                        + "\" has no startDate; dates may be left out only in a one-course case");
            }
            if (currentIndex < 0 || courses.get(n).startDate().isAfter(courses.get(currentIndex).startDate())) {
                currentIndex = n;
            }
        }
        LocalDate currentStart = courses.get(currentIndex).startDate();
        for (int n = 0; n < courses.size(); n++) {
            if (n != currentIndex && courses.get(n).startDate().equals(currentStart)) {
                throw new InvalidInputException(field(n, "startDate"), "courses \"" + courses.get(currentIndex).label()
                        + "\" and \"" + courses.get(n).label() + "\" both start on " + currentStart
                        + ", so which one is the current course is undefined");
            }
        }
        List<ScheduledCourse> scheduled = new ArrayList<>(courses.size());
        ScheduledCourse current = null;
        for (int n = 0; n < courses.size(); n++) {
            Course c = courses.get(n);
            if (n == currentIndex) {
                checkNoTransform(c, n);
                current = new ScheduledCourse(c, n, true, c.endDate(), false, 0, 0);
                scheduled.add(current);
                continue;
            }
            boolean estimated = c.endDate() == null;
            LocalDate end = estimated
                    ? addWorkingDays(c.startDate(), c.fractionation().deliveredFractions() - 1)
                    : c.endDate();
            if (end.isAfter(currentStart)) {
                throw new InvalidInputException(field(n, "endDate"), String.format(Locale.ROOT,
                        "prior course \"%s\" ends (%s%s) after the current course \"%s\" starts (%s)",
                        c.label(), end, estimated ? ", estimated from its start and fractions; give endDate" : "",
                        courses.get(currentIndex).label(), currentStart));
            }
            long days = ChronoUnit.DAYS.between(end, currentStart);
            double reduction = forgiveness.reductionAfterDays(days);
            scheduled.add(new ScheduledCourse(c, n, false, end, estimated, days, reduction));
        }
        return new CourseTimeline(List.copyOf(scheduled), current, forgiveness);
    }

    /** {@code start} plus {@code days} working days (Monday to Friday); a weekend start counts from the next working day. */
    static LocalDate addWorkingDays(LocalDate start, int days) {
        LocalDate d = start;
        int left = days;
        while (left > 0) {
            d = d.plusDays(1);
            if (d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY) {
                left--;
            }
        }
        return d;
    }

    /** The current course's patient coordinates are the plan sum's: it cannot be registered onto anything. */
    private static void checkNoTransform(Course c, int n) {
        if (c.toCurrent() != null && !c.toCurrent().isIdentity(1e-9)) {
            throw new InvalidInputException(field(n, "registration"), "course \"" + c.label()
                    + "\" is the current course; its coordinates are the plan sum's, so it takes no registration");
        }
    }

    private static String field(int n, String name) {
        return "courses[" + n + "]." + name;
    }

    /** All courses in the case's order. */
    public List<ScheduledCourse> courses() {
        return courses;
    }

    public ScheduledCourse current() {
        return current;
    }

    public ForgivenessSchedule forgiveness() {
        return forgiveness;
    }

    public int size() {
        return courses.size();
    }

    public ScheduledCourse get(int index) {
        return courses.get(index);
    }
}
