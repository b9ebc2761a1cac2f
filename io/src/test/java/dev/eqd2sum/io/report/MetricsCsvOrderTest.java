package dev.eqd2sum.io.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.io.report.MetricsCsvWriter.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** metrics.csv's written-out row order is the one its composed definition gives. */
class MetricsCsvOrderTest {
    private static final Comparator<Row> DEFINITION = Comparator.comparing(Row::structure)
            .thenComparing(Row::alphaBeta, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Row::statistic)
            .thenComparing(Row::scope)
            .thenComparing(Row::unit);

    @Test
    void rowOrderIsByStructureAlphaBetaNoneFirstStatisticScopeAndUnit() {
        Random r = new Random(3);
        String[] structures = {"External", "SpinalCord", "PTV_High", "cord"};
        Double[] alphaBetas = {null, 2.0, 3.0, 10.0, -0.0, 0.0};
        String[] statistics = {"Dmax", "D0.03cc", "Dmean", "V10Gy"};
        String[] scopes = {"plan_sum", "plan_sum_unforgiven", "course", "summary_sum"};
        String[] units = {"Gy", "cc", "%"};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(new Row("c", structures[r.nextInt(structures.length)], alphaBetas[r.nextInt(alphaBetas.length)],
                    statistics[r.nextInt(statistics.length)], units[r.nextInt(units.length)],
                    scopes[r.nextInt(scopes.length)], r.nextDouble()));
        }
        for (int i = 0; i + 1 < rows.size(); i++) {
            Row a = rows.get(i);
            Row b = rows.get(i + 1);
            assertThat(Integer.signum(MetricsCsvWriter.ORDER.compare(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(DEFINITION.compare(a, b)));
            assertThat(Integer.signum(MetricsCsvWriter.ORDER.compare(a, a))).isZero();
        }
    }
}
