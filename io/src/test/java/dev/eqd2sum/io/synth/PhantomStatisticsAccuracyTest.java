package dev.eqd2sum.io.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.dvh.CourseInfo;
import dev.eqd2sum.engine.dvh.DoseStatistic;
import dev.eqd2sum.engine.dvh.Scope;
import dev.eqd2sum.engine.dvh.StructureDoseSamples;
import dev.eqd2sum.engine.dvh.StructureStatistics;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.SamplePoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The accuracy proof, on the physical scope of the Nelms-style phantoms (5 shapes x 2 dose
 * directions x 1, 2, 3 mm grids): structure rasterised, the dose grid sampled at the structure's
 * sample points by the engine's trilinear gather, statistics by the dvh package; against the
 * closed-form statistics of the analytic shape. Goals: Dmean within 0.3 %; D0.03cc, D95%, D5%,
 * D2cc within 1.5 % on 1-2 mm grids and 3 % on 3 mm; Dmax and Dmin within 2 %. Dmax and Dmin are
 * held to the contoured shape: contours on planes at slab centres do not reach a cone's base rim
 * (on the 2 mm grid the lowest plane of ConeZ has radius 11.5 mm, not 12), so no DVH code can get
 * the analytic Dmin of ConeZ in a y-gradient within 2 %; the table shows both.
 * dicompyler-core, measured the same way, is off by 4 / 8.8 / 13.6 % in D0.03cc.
 * The error tables go to target/phantom-statistics-errors.md (kept in validation-data/README.md).
 */
class PhantomStatisticsAccuracyTest {
    private static final List<DoseStatistic> STATISTICS = DoseStatistic.parseAll(
            List.of("Dmax", "Dmin", "Dmean", "D0.03cc", "D2cc", "D5%", "D95%"), "test");
    private static final List<CourseInfo> ONE_COURSE = List.of(new CourseInfo("phantom", 1, 1, true));

    /** Signed error in percent of each statistic against the analytic and the contoured shape. */
    record Errors(PhantomCase phantom, Map<String, Double> vsAnalytic, Map<String, Double> vsContoured) {
    }

    static Errors evaluate(PhantomCase c) {
        SamplePoints samples = Rasteriser.rasterise(c.structure(), c.dose().geometry(),
                RasterOptions.forStructureSet(c.structureSet())).samples();
        float[] dose = new float[samples.count()];
        ScalarDoseKernels.INSTANCE.gather(c.dose(), Affine3.identity(), samples.i(), samples.j(), samples.k(), 1f,
                dose, 0, samples.count());
        StructureStatistics st = StructureStatistics.compute(StructureDoseSamples.of(samples, new float[][] {dose}),
                ONE_COURSE, 2.0, false, STATISTICS, Set.of(), false);
        Map<String, Double> analytic = new LinkedHashMap<>();
        Map<String, Double> contoured = new LinkedHashMap<>();
        for (DoseStatistic s : STATISTICS) {
            Double v = st.value(s, Scope.PLAN_SUM_PHYSICAL);
            assertThat(v).as("%s %s", c.name(), s).isNotNull();
            analytic.put(s.name(), 100 * (v / truth(c.truth(), s) - 1));
            contoured.put(s.name(), 100 * (v / truth(c.contouredTruth(), s) - 1));
        }
        return new Errors(c, analytic, contoured);
    }

    static double truth(DvhTruth t, DoseStatistic s) {
        return switch (s.kind()) {
            case MAX -> t.maxGy();
            case MIN -> t.minGy();
            case MEAN -> t.meanGy();
            case DOSE_AT_VOLUME_CC -> t.doseAtVolumeCc(s.parameter());
            case DOSE_AT_VOLUME_PERCENT -> t.doseAtVolumePercent(s.parameter());
            default -> throw new IllegalArgumentException(s.name());
        };
    }

    static double goalPercent(String statistic, double gridMm) {
        return switch (statistic) {
            case "Dmean" -> 0.3;
            case "Dmax", "Dmin" -> 2.0;
            default -> gridMm <= 2 ? 1.5 : 3.0;
        };
    }

    @Test
    void everyPhantomWithinTheGoals() throws IOException {
        List<Errors> all = new ArrayList<>();
        for (PhantomCase c : NelmsPhantoms.all()) {
            all.add(evaluate(c));
        }
        writeTables(all);
        for (Errors e : all) {
            for (Map.Entry<String, Double> x : e.vsAnalytic().entrySet()) {
                boolean extreme = x.getKey().equals("Dmax") || x.getKey().equals("Dmin");
                double error = extreme ? e.vsContoured().get(x.getKey()) : x.getValue();
                assertThat(Math.abs(error)).as("%s %s error %%", e.phantom().name(), x.getKey())
                        .isLessThanOrEqualTo(goalPercent(x.getKey(), e.phantom().gridSpacingMm()));
            }
        }
    }

    private static void writeTables(List<Errors> all) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add("Worst |error| over the 10 phantoms (5 shapes x dose along y or z), physical dose, against the"
                + " analytic shape (against the contoured shape in brackets):");
        rows.add("");
        rows.add("| statistic | 1 mm grid | 2 mm grid | 3 mm grid | goal |");
        rows.add("|---|---|---|---|---|");
        for (DoseStatistic s : STATISTICS) {
            StringBuilder row = new StringBuilder("| " + s.name() + " |");
            for (double g : NelmsPhantoms.GRID_SPACINGS_MM) {
                double worst = 0, worstContoured = 0;
                for (Errors e : all) {
                    if (e.phantom().gridSpacingMm() == g) {
                        worst = Math.max(worst, Math.abs(e.vsAnalytic().get(s.name())));
                        worstContoured = Math.max(worstContoured, Math.abs(e.vsContoured().get(s.name())));
                    }
                }
                row.append(String.format(Locale.ROOT, " %.2f %% (%.2f %%) |", worst, worstContoured));
            }
            String goal = switch (s.name()) {
                case "Dmean" -> "0.3 %";
                case "Dmax", "Dmin" -> "2 %";
                default -> "1.5 % (1-2 mm), 3 % (3 mm)";
            };
            rows.add(row.append(" ").append(goal).append(" |").toString());
        }
        rows.add("| D0.03cc, dicompyler-core | 4 % | 8.8 % | 13.6 % | |");
        rows.add("");
        rows.add("Each phantom, signed error against the analytic shape:");
        rows.add("");
        StringBuilder head = new StringBuilder("| phantom |");
        StringBuilder rule = new StringBuilder("|---|");
        for (DoseStatistic s : STATISTICS) {
            head.append(' ').append(s.name()).append(" |");
            rule.append("---|");
        }
        rows.add(head.toString());
        rows.add(rule.toString());
        for (Errors e : all) {
            StringBuilder row = new StringBuilder("| " + e.phantom().name() + " |");
            for (DoseStatistic s : STATISTICS) {
                row.append(String.format(Locale.ROOT, " %+.2f |", e.vsAnalytic().get(s.name())));
            }
            rows.add(row.toString());
        }
        Path out = Path.of("target", "phantom-statistics-errors.md");
        Files.createDirectories(out.getParent());
        Files.write(out, rows);
    }
}
