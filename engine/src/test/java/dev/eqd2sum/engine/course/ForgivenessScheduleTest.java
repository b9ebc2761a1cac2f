package dev.eqd2sum.engine.course;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eqd2sum.engine.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForgivenessScheduleTest {
    @ParameterizedTest(name = "{0} months -> {1}")
    @CsvSource({"0, 0", "5.999, 0", "6, 0.25", "11.99, 0.25", "12, 0.33", "23.999, 0.33", "24, 0.5", "120, 0.5"})
    void nelsonStepsApplyAtTheirThreshold(double months, double reduction) {
        assertThat(ForgivenessSchedule.nelson2009().reductionAfterMonths(months)).isEqualTo(reduction);
    }

    @Test
    void monthsAreUnroundedDaysOver30_4375() {
        ForgivenessSchedule s = ForgivenessSchedule.nelson2009();
        // 6 months = 182.625 days: day 182 is before the step, day 183 after it
        assertThat(s.reductionAfterDays(182)).isZero();
        assertThat(s.reductionAfterDays(183)).isEqualTo(0.25);
        assertThat(s.reductionAfterDays(365)).isEqualTo(0.25); // 11.99 months
        assertThat(s.reductionAfterDays(366)).isEqualTo(0.33);
    }

    @Test
    void theTwelveMonthReductionCanBeAThird() {
        assertThat(ForgivenessSchedule.nelson2009(1.0 / 3).reductionAfterMonths(20)).isEqualTo(1.0 / 3);
    }

    @Test
    void customStepsInAnyOrderAndNone() {
        ForgivenessSchedule s = ForgivenessSchedule.steps(List.of(new ForgivenessSchedule.Step(12, 0.4),
                new ForgivenessSchedule.Step(3, 0.1)));
        assertThat(s.reductionAfterMonths(2)).isZero();
        assertThat(s.reductionAfterMonths(3)).isEqualTo(0.1);
        assertThat(s.reductionAfterMonths(13)).isEqualTo(0.4);
        assertThat(ForgivenessSchedule.none().reductionAfterMonths(1000)).isZero();
    }

    @Test
    void badStepsAreInputErrors() {
        assertThatThrownBy(() -> new ForgivenessSchedule.Step(6, 1.2)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ForgivenessSchedule.Step(-1, 0.2)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ForgivenessSchedule.steps(List.of(new ForgivenessSchedule.Step(6, 0.2),
                new ForgivenessSchedule.Step(6, 0.3)))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void fractionationScalesDoseAndConvertsWithDeliveredFractions() {
        Fractionation f = Fractionation.delivered(10, 4);
        assertThat(f.conversionFractions()).isEqualTo(4);
        assertThat(f.deliveredDoseFactor()).isEqualTo(0.4);
        assertThat(f.isIncomplete()).isTrue();
        assertThat(Fractionation.planned(3).deliveredDoseFactor()).isEqualTo(1.0);
        assertThatThrownBy(() -> Fractionation.delivered(3, 4)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Fractionation.planned(0)).isInstanceOf(InvalidInputException.class);
    }
}
