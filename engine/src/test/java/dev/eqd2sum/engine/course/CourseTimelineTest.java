package dev.eqd2sum.engine.course;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.InvalidInputException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CourseTimelineTest {
    private static Course course(String label, int fx, String start, String end) {
        return Course.of(label, CourseDose.uniform(30), fx, start == null ? null : LocalDate.parse(start),
                end == null ? null : LocalDate.parse(end));
    }

    @Test
    void theLatestStartIsCurrentAndIntervalsRunFromPriorEndToCurrentStart() {
        CourseTimeline t = CourseTimeline.of(List.of(
                course("reSBRT", 1, "2020-10-20", null),
                course("cEBRT", 10, "2019-02-04", "2019-02-15")), ForgivenessSchedule.nelson2009());
        assertThat(t.current().label()).isEqualTo("reSBRT");
        assertThat(t.current().current()).isTrue();
        assertThat(t.current().normalTissueWeight()).isEqualTo(1.0);
        ScheduledCourse prior = t.get(1);
        assertThat(prior.current()).isFalse();
        assertThat(prior.index()).isEqualTo(1);
        // the CONTRACT example: 613 days, 20.14 months, one third (0.33) forgiven
        assertThat(prior.intervalDays()).isEqualTo(613);
        assertThat(prior.intervalMonths()).isCloseTo(613 / 30.4375, within(1e-12));
        assertThat(prior.intervalMonths()).isCloseTo(20.14, within(0.005));
        assertThat(prior.reduction()).isEqualTo(0.33);
        assertThat(prior.normalTissueWeight()).isCloseTo(0.67, within(1e-12));
        assertThat(prior.endDateEstimated()).isFalse();
    }

    @Test
    void aPriorWithoutEndDateEndsAfterItsFractionsInWorkingDays() {
        // Monday 2019-02-04 + 9 working days = Friday 2019-02-15
        CourseTimeline t = CourseTimeline.of(List.of(course("cEBRT", 10, "2019-02-04", null),
                course("reSBRT", 1, "2020-10-20", null)), ForgivenessSchedule.none());
        ScheduledCourse prior = t.get(0);
        assertThat(prior.endDate()).isEqualTo(LocalDate.parse("2019-02-15"));
        assertThat(prior.endDateEstimated()).isTrue();
        assertThat(prior.reduction()).isZero();
        assertThat(CourseTimeline.addWorkingDays(LocalDate.parse("2024-05-03"), 1)) // Friday -> Monday
                .isEqualTo(LocalDate.parse("2024-05-06"));
        assertThat(CourseTimeline.addWorkingDays(LocalDate.parse("2024-05-04"), 0)) // one fraction: its day
                .isEqualTo(LocalDate.parse("2024-05-04"));
    }

    @Test
    void theEstimateUsesDeliveredFractions() {
        Course c = course("cEBRT", 10, "2019-02-04", null).withFractionation(Fractionation.delivered(10, 5));
        CourseTimeline t = CourseTimeline.of(List.of(c, course("reSBRT", 1, "2020-10-20", null)),
                ForgivenessSchedule.none());
        assertThat(t.get(0).endDate()).isEqualTo(LocalDate.parse("2019-02-08"));
    }

    @Test
    void aOneCourseCaseNeedsNoDates() {
        CourseTimeline t = CourseTimeline.of(List.of(course("SBRT", 3, null, null)), ForgivenessSchedule.nelson2009());
        assertThat(t.current().label()).isEqualTo("SBRT");
        assertThat(t.current().intervalDays()).isZero();
    }

    @Test
    void badDatesAreInputErrorsNamingTheField() {
        assertThatThrownBy(() -> CourseTimeline.of(List.of(course("a", 10, "2019-02-04", null),
                course("b", 1, "2019-02-04", null)), ForgivenessSchedule.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("both start on 2019-02-04");
        assertThatThrownBy(() -> CourseTimeline.of(List.of(course("a", 10, "2019-02-04", "2019-02-01"),
                course("b", 1, "2020-02-04", null)), ForgivenessSchedule.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("courses[0].endDate")
                .hasMessageContaining("before it starts");
        assertThatThrownBy(() -> CourseTimeline.of(List.of(course("a", 10, "2019-02-04", "2019-03-01"),
                course("b", 1, "2019-02-20", null)), ForgivenessSchedule.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("after the current course");
        assertThatThrownBy(() -> CourseTimeline.of(List.of(course("a", 10, "2019-02-04", null),
                course("b", 1, "2019-02-12", null)), ForgivenessSchedule.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("estimated");
        assertThatThrownBy(() -> CourseTimeline.of(List.of(course("a", 10, null, null),
                course("b", 1, "2019-02-12", null)), ForgivenessSchedule.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("courses[0].startDate");
        assertThatThrownBy(() -> CourseTimeline.of(List.of(course("a", 10, "2018-01-01", null),
                course("a", 1, "2019-02-12", null)), ForgivenessSchedule.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("two courses");
    }

    @Test
    void theCurrentCourseTakesNoRegistration() {
        dev.eqd2sum.engine.geometry.RigidTransform shift = dev.eqd2sum.engine.geometry.RigidTransform.fromMatrix4x4(
                new double[] {1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
        assertThatThrownBy(() -> CourseTimeline.of(List.of(course("a", 10, "2019-02-04", null),
                course("b", 1, "2020-02-12", null).withTransform(shift)), ForgivenessSchedule.none()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("courses[1].registration");
        // a prior course may have one
        CourseTimeline.of(List.of(course("a", 10, "2019-02-04", null).withTransform(shift),
                course("b", 1, "2020-02-12", null)), ForgivenessSchedule.none());
    }

    @Test
    void aPriorEndingTheDayTheCurrentStartsHasIntervalZero() {
        CourseTimeline t = CourseTimeline.of(List.of(course("a", 10, "2019-02-04", "2019-02-15"),
                course("b", 1, "2019-02-15", null)), ForgivenessSchedule.nelson2009());
        assertThat(t.get(0).intervalDays()).isZero();
        assertThat(t.get(0).reduction()).isZero();
    }
}
