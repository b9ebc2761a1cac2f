package dev.eqd2sum.engine.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eqd2sum.engine.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DoseStatisticTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "Dmax; Dmax; MAX; NaN",
        "dmax; Dmax; MAX; NaN",
        "DMIN; Dmin; MIN; NaN",
        "Dmean; Dmean; MEAN; NaN",
        "volume; volume; VOLUME; NaN",
        "D0.03cc; D0.03cc; DOSE_AT_VOLUME_CC; 0.03",
        "D0.030CC; D0.03cc; DOSE_AT_VOLUME_CC; 0.03",
        "D.5cc; D0.5cc; DOSE_AT_VOLUME_CC; 0.5",
        "D2cc; D2cc; DOSE_AT_VOLUME_CC; 2",
        "D2.cc; D2cc; DOSE_AT_VOLUME_CC; 2",
        "D95%; D95%; DOSE_AT_VOLUME_PERCENT; 95",
        "D100%; D100%; DOSE_AT_VOLUME_PERCENT; 100",
        "V20Gy; V20Gy; VOLUME_AT_DOSE; 20",
        "v20.50gy; V20.5Gy; VOLUME_AT_DOSE; 20.5",
        " D1cc ; D1cc; DOSE_AT_VOLUME_CC; 1",
    })
    void parsesTheContractGrammarToCanonicalNames(String text, String name, DoseStatistic.Kind kind, double x) {
        DoseStatistic s = DoseStatistic.parse(text, "case.json: statistics[0]");
        assertThat(s.name()).isEqualTo(name);
        assertThat(s.kind()).isEqualTo(kind);
        if (!Double.isNaN(x)) {
            assertThat(s.parameter()).isEqualTo(x);
        }
        assertThat(DoseStatistic.parse(s.name(), "x")).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Dmx", "D", "Dcc", "D-1cc", "D1", "D1ml", "V20", "V20cGy", "D95", "Dx%",
        "D1,5cc", "D1e3cc", "Dmax ", "mean", "V20Gy%", "D1cc2"})
    void rejectsWhatTheGrammarLacksNamingTheSource(String text) {
        if (text.equals("Dmax ")) {
            // surrounding blanks are trimmed, so this one is valid
            assertThat(DoseStatistic.parse(text, "s").name()).isEqualTo("Dmax");
            return;
        }
        assertThatThrownBy(() -> DoseStatistic.parse(text, "case.json: statistics[3]"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> {
                    InvalidInputException x = (InvalidInputException) e;
                    assertThat(x.source()).isEqualTo("case.json: statistics[3]");
                    assertThat(x.problem()).contains("Dmax, Dmin, Dmean, D<x>cc, D<x>%, V<x>Gy or volume");
                });
    }

    @Test
    void rejectsPercentagesAbove100() {
        assertThatThrownBy(() -> DoseStatistic.parse("D150%", "case.json: statistics[1]"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("case.json: statistics[1]: statistic \"D150%\" asks for more than 100 % of the structure");
        assertThatThrownBy(() -> DoseStatistic.parse(null, "case.json: statistics[0]"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty statistic name");
    }

    @Test
    void listParsingNamesTheIndexAndDropsDuplicates() {
        assertThat(DoseStatistic.parseAll(List.of("Dmax", "DMAX", "D0.03cc", "D0.030cc"), "case.json: statistics"))
                .extracting(DoseStatistic::name).containsExactly("Dmax", "D0.03cc");
        assertThatThrownBy(() -> DoseStatistic.parseAll(List.of("Dmax", "D1cc", "bogus"), "case.json: statistics"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("case.json: statistics[2]: unknown statistic \"bogus\"");
        assertThat(DoseStatistic.parseAll(DoseStatistic.DEFAULT_NAMES, "d")).hasSize(8);
    }

    @Test
    void unitsAndDoseness() {
        assertThat(DoseStatistic.parse("V20Gy", "s").units()).containsExactly(StatisticUnit.CC, StatisticUnit.PERCENT);
        assertThat(DoseStatistic.parse("V20Gy", "s").isDose()).isFalse();
        assertThat(DoseStatistic.VOLUME.units()).containsExactly(StatisticUnit.CC);
        assertThat(DoseStatistic.VOLUME.isDose()).isFalse();
        for (String s : List.of("Dmax", "Dmin", "Dmean", "D2cc", "D5%")) {
            assertThat(DoseStatistic.parse(s, "s").units()).containsExactly(StatisticUnit.GY);
            assertThat(DoseStatistic.parse(s, "s").isDose()).isTrue();
        }
        assertThat(StatisticUnit.PERCENT.symbol()).isEqualTo("%");
    }

    @Test
    void scopeNamesFollowTheContract() {
        assertThat(Scope.PLAN_SUM.csvName()).isEqualTo("plan_sum");
        assertThat(Scope.SUMMARY_SUM_UNFORGIVEN.csvName()).isEqualTo("summary_sum_unforgiven");
        assertThat(Scope.course("reSBRT").csvName()).isEqualTo("course:reSBRT");
        assertThat(Scope.coursePhysical("cEBRT").csvName()).isEqualTo("course_physical:cEBRT");
        assertThat(Scope.PLAN_SUM_UNFORGIVEN.kind().jsonKey()).isEqualTo("planSumUnforgiven");
        assertThat(Scope.coursePhysical("a").kind().jsonKey()).isEqualTo("coursesPhysical");
        assertThat(Scope.PLAN_SUM_PHYSICAL.isPhysical()).isTrue();
        assertThat(Scope.course("a").isPhysical()).isFalse();
        assertThatThrownBy(() -> new Scope(Scope.Kind.COURSE, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
