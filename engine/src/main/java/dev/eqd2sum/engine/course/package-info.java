/**
 * Courses of radiotherapy as a case describes them, and their place in time.
 *
 * <p>A {@link dev.eqd2sum.engine.course.Course} holds a label, its physical dose
 * ({@link dev.eqd2sum.engine.course.CourseDose}: one or several grids, each a
 * {@link dev.eqd2sum.engine.course.DoseComponent} with a multiplier for FRACTION doses, or a
 * uniform dose), its {@link dev.eqd2sum.engine.course.Fractionation} (planned and delivered
 * fractions), its dates and an optional rigid transform into the current course's patient
 * coordinates. {@link dev.eqd2sum.engine.course.CourseTimeline#of} applies the case's date rules
 * (current course, intervals, estimated end dates) and the
 * {@link dev.eqd2sum.engine.course.ForgivenessSchedule}, giving one
 * {@link dev.eqd2sum.engine.course.ScheduledCourse} per course with everything a conversion needs:
 * conversion fractions, delivered-dose factor, reduction and weight, interval in days and months.
 *
 * <pre>
 * Course prior = new Course("cEBRT", CourseDose.uniform(30), Fractionation.planned(10),
 *         LocalDate.parse("2019-02-04"), null, null);
 * Course current = Course.of("reSBRT", CourseDose.of(DoseComponent.plan(rd), DoseComponent.plan(rd2)), 1,
 *         LocalDate.parse("2020-10-20"), null);
 * CourseTimeline timeline = CourseTimeline.of(List.of(prior, current), ForgivenessSchedule.nelson2009());
 * </pre>
 * Bad input raises {@link dev.eqd2sum.engine.InvalidInputException} with the case field as its
 * source ({@code courses[0].endDate}); the caller prefixes the case file.
 */
package dev.eqd2sum.engine.course;
