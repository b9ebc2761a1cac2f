package dev.eqd2sum.engine.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.lq.Eqd2;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StructureStatisticsTest {
    private static final DoseStatistic DMAX = DoseStatistic.DMAX;
    private static final DoseStatistic D003 = DoseStatistic.parse("D0.03cc", "t");
    private static final List<DoseStatistic> DEFAULTS = DoseStatistic.parseAll(DoseStatistic.DEFAULT_NAMES, "t");

    /** A cord of n samples 0.5 mm apart along k, 0.002 cc each (the positions are grid indices). */
    private static StructureDoseSamples cord(int n, float[]... doses) {
        float[] vol = new float[n], i = new float[n], j = new float[n], k = new float[n];
        for (int p = 0; p < n; p++) {
            vol[p] = 0.002f;
            i[p] = 50f;
            j[p] = 60f;
            k[p] = p * 0.25f;   // 2 mm slices, 0.5 mm apart
        }
        return new StructureDoseSamples(doses, vol, i, j, k, n);
    }

    /** Base dose plus a Gaussian hot spot of the given height centred on sample {@code at}. */
    private static float[] hotSpot(int n, double base, double height, int at, double widthSamples) {
        float[] d = new float[n];
        for (int p = 0; p < n; p++) {
            double x = (p - at) / widthSamples;
            d[p] = (float) (base + height * Math.exp(-x * x / 2));
        }
        return d;
    }

    private static final List<CourseInfo> COURSES = List.of(
            new CourseInfo("cEBRT", 10, 0.67, false), new CourseInfo("reSBRT", 1, 1.0, true));

    @Test
    void hotSpotsApartGiveAVoxelWiseMaximumWellBelowTheSummarySum() {
        int n = 400;
        // prior peaks at sample 100, reirradiation at sample 148 (12 mm apart at 0.25 mm/sample... 48 * 0.25 = 12)
        StructureDoseSamples s = cord(n, hotSpot(n, 20, 12.8, 100, 12), hotSpot(n, 3, 7, 148, 6));
        StructureStatistics st = StructureStatistics.compute(s, COURSES, 2.0, false, DEFAULTS, Set.of(), true);
        double voxelWise = st.value(DMAX, Scope.PLAN_SUM_UNFORGIVEN);
        double summary = st.value(DMAX, Scope.SUMMARY_SUM_UNFORGIVEN);
        assertThat(summary).isCloseTo(Eqd2.eqd2(32.8, 10, 2) + Eqd2.eqd2(10, 1, 2), within(1e-3));
        assertThat(voxelWise).isLessThan(0.8 * summary);
        assertThat(st.value(DMAX, Scope.PLAN_SUM)).isLessThan(0.8 * st.value(DMAX, Scope.SUMMARY_SUM));
        // each course's maximum sits on its own hot spot; the plan sum's on neither course's
        assertThat(st.maxLocationIndex(Scope.course("cEBRT"))).containsExactly(50, 60, 25);
        assertThat(st.maxLocationIndex(Scope.course("reSBRT"))).containsExactly(50, 60, 37);
        assertThat(st.maxLocationIndex(Scope.coursePhysical("reSBRT"))).containsExactly(50, 60, 37);
        assertThat(st.maxLocationIndex(Scope.SUMMARY_SUM)).isNull();
    }

    @Test
    void coLocatedHotSpotsGiveEqualVoxelWiseAndSummaryMaxima() {
        int n = 400;
        StructureDoseSamples s = cord(n, hotSpot(n, 20, 12.8, 148, 12), hotSpot(n, 3, 7, 148, 6));
        StructureStatistics st = StructureStatistics.compute(s, COURSES, 2.0, false, DEFAULTS, Set.of(), false);
        assertThat(st.value(DMAX, Scope.PLAN_SUM)).isCloseTo(st.value(DMAX, Scope.SUMMARY_SUM), within(1e-4));
        assertThat(st.value(DMAX, Scope.PLAN_SUM_UNFORGIVEN))
                .isCloseTo(st.value(DMAX, Scope.SUMMARY_SUM_UNFORGIVEN), within(1e-4));
        assertThat(st.maxLocationIndex(Scope.PLAN_SUM)).containsExactly(50, 60, 37);
    }

    /** The study's neuropathy patient (DOMAIN): prior cord Dmax 32.8 Gy / 10 fx, reSBRT Dmax 10.0, D0.03cc 9.0 Gy. */
    @Test
    void neuropathyPatientSummaryNumbers() {
        int n = 100;
        float[] prior = new float[n];
        float[] current = new float[n];
        float[] vol = new float[n], i = new float[n], j = new float[n], k = new float[n];
        for (int p = 0; p < n; p++) {
            prior[p] = 32.8f;
            // a steep fall-off from 10.0 Gy: the hottest 0.03 cc (nodes at (p + 0.5) * 0.001 cc) reach down to 9.0 Gy
            current[p] = (float) (10.0 - p * 0.001 / 0.0295);
            vol[p] = 0.001f;
            k[p] = p;
        }
        StructureDoseSamples s = new StructureDoseSamples(new float[][] {prior, current}, vol, i, j, k, n);
        StructureStatistics ab2 = StructureStatistics.compute(s, COURSES, 2.0, false, List.of(DMAX, D003), Set.of(), false);
        assertThat(ab2.value(DMAX, Scope.course("cEBRT"))).isCloseTo(43.30, within(0.005));
        assertThat(ab2.value(DMAX, Scope.course("reSBRT"))).isCloseTo(30.00, within(0.005));
        assertThat(ab2.value(DMAX, Scope.SUMMARY_SUM_UNFORGIVEN)).isCloseTo(73.30, within(0.005));
        assertThat(ab2.value(D003, Scope.course("reSBRT"))).isCloseTo(24.75, within(0.005));
        assertThat(ab2.value(D003, Scope.SUMMARY_SUM_UNFORGIVEN)).isCloseTo(68.05, within(0.005));
        assertThat(ab2.value(DMAX, Scope.coursePhysical("cEBRT"))).isCloseTo(32.8, within(1e-5));
        assertThat(ab2.value(DMAX, Scope.PLAN_SUM_PHYSICAL)).isCloseTo(42.8, within(1e-5));
        StructureStatistics ab3 = StructureStatistics.compute(s, COURSES, 3.0, false, List.of(DMAX, D003), Set.of(), false);
        // Nelson: 27.60 + 21.60 = 49.20
        assertThat(ab3.value(D003, Scope.SUMMARY_SUM)).isCloseTo(49.20, within(0.01));
        assertThat(ab3.value(D003, Scope.PLAN_SUM)).isCloseTo(49.20, within(0.01));
        assertThat(ab3.value(DMAX, Scope.course("cEBRT"))).isCloseTo(41.20, within(0.005));
    }

    @Test
    void targetsAreNeverForgiven() {
        int n = 300;
        StructureDoseSamples s = cord(n, hotSpot(n, 25, 5, 80, 20), hotSpot(n, 20, 8, 200, 20));
        StructureStatistics t = StructureStatistics.compute(s, COURSES, 10.0, true, DEFAULTS, Set.of(), false);
        StructureStatistics oar = StructureStatistics.compute(s, COURSES, 10.0, false, DEFAULTS, Set.of(), false);
        for (DoseStatistic st : DEFAULTS) {
            for (StatisticUnit u : st.units()) {
                assertThat(t.value(st, u, Scope.PLAN_SUM)).isEqualTo(t.value(st, u, Scope.PLAN_SUM_UNFORGIVEN));
                assertThat(t.value(st, u, Scope.PLAN_SUM)).isEqualTo(oar.value(st, u, Scope.PLAN_SUM_UNFORGIVEN));
            }
            if (st.isDose()) {
                assertThat(t.value(st, Scope.SUMMARY_SUM)).isEqualTo(t.value(st, Scope.SUMMARY_SUM_UNFORGIVEN));
                if (st.name().equals("D1cc")) {
                    // a 0.6 cc structure has no D1cc, in any scope
                    assertThat(oar.value(st, Scope.SUMMARY_SUM)).isNull();
                    assertThat(oar.value(st, Scope.PLAN_SUM)).isNull();
                } else {
                    assertThat(oar.value(st, Scope.SUMMARY_SUM)).isLessThan(oar.value(st, Scope.SUMMARY_SUM_UNFORGIVEN));
                }
            }
        }
        assertThat(oar.value(DMAX, Scope.PLAN_SUM)).isLessThan(oar.value(DMAX, Scope.PLAN_SUM_UNFORGIVEN));
    }

    /** Every voxel-wise scope is the statistic of the per-sample formula, evaluated independently in double. */
    @Test
    void scopesFollowTheFormulaPerSample() {
        Random r = new Random(11);
        int n = 30_000;
        float[][] d = new float[3][n];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                d[c][p] = (float) (r.nextDouble() * (c == 2 ? 8 : 40));
            }
        }
        List<CourseInfo> courses = List.of(new CourseInfo("A", 25, 0.5, false), new CourseInfo("B", 5, 0.75, false),
                new CourseInfo("C", 1, 1, true));
        StructureDoseSamples s = cord(n, d);
        double ab = 2.5;
        StructureStatistics st = StructureStatistics.compute(s, courses, ab, false, DEFAULTS,
                Set.of(Scope.PLAN_SUM, Scope.course("B")), true);
        double[] w = {0.5, 0.75, 1};
        double[] fx = {25, 5, 1};
        double max = -1, maxUnforgiven = -1, maxPhysical = -1, sum = 0, vol = 0;
        for (int p = 0; p < n; p++) {
            double a = 0, u = 0, ph = 0;
            for (int c = 0; c < 3; c++) {
                double e = Eqd2.eqd2(d[c][p], fx[c], ab);
                a += w[c] * e;
                u += e;
                ph += d[c][p];
            }
            max = Math.max(max, a);
            maxUnforgiven = Math.max(maxUnforgiven, u);
            maxPhysical = Math.max(maxPhysical, ph);
            sum += a * s.volumeCc()[p];
            vol += s.volumeCc()[p];
        }
        assertThat(st.value(DMAX, Scope.PLAN_SUM)).isCloseTo(max, within(1e-6 * max));
        assertThat(st.value(DMAX, Scope.PLAN_SUM_UNFORGIVEN)).isCloseTo(maxUnforgiven, within(1e-6 * max));
        assertThat(st.value(DMAX, Scope.PLAN_SUM_PHYSICAL)).isCloseTo(maxPhysical, within(1e-6 * max));
        assertThat(st.value(DoseStatistic.DMEAN, Scope.PLAN_SUM)).isCloseTo(sum / vol, within(1e-6 * max));
        assertThat(st.volumeCc()).isCloseTo(vol, within(1e-9));
        double summary = 0;
        for (int c = 0; c < 3; c++) {
            double cMax = 0;
            for (int p = 0; p < n; p++) {
                cMax = Math.max(cMax, Eqd2.eqd2(d[c][p], fx[c], ab));
            }
            assertThat(st.value(DMAX, Scope.course(courses.get(c).label()))).isCloseTo(cMax, within(1e-5 * cMax));
            summary += w[c] * cMax;
        }
        assertThat(st.value(DMAX, Scope.SUMMARY_SUM)).isCloseTo(summary, within(1e-5 * summary));
        assertThat(st.scopes()).extracting(Scope::csvName).containsExactly("plan_sum", "plan_sum_unforgiven",
                "plan_sum_physical", "summary_sum", "summary_sum_unforgiven", "course:A", "course:B", "course:C",
                "course_physical:A", "course_physical:B", "course_physical:C");
        assertThat(st.dvh(Scope.PLAN_SUM)).isNotNull();
        assertThat(st.dvh(Scope.course("B"))).isNotNull();
        assertThat(st.dvh(Scope.course("A"))).isNull();
        DoseStatistic v20 = DoseStatistic.parse("V20Gy", "t");
        assertThat(st.has(v20, Scope.SUMMARY_SUM)).isFalse();
        assertThat(st.has(v20, Scope.PLAN_SUM)).isTrue();
        assertThatThrownBy(() -> st.value(v20, StatisticUnit.CC, Scope.SUMMARY_SUM))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Course EQD2 statistics are derived from the physical ones; they match the statistics of the converted dose. */
    @Test
    void courseEqd2StatisticsEqualThoseOfTheConvertedDose() {
        Random r = new Random(5);
        int n = 50_000;
        float[][] d = new float[2][n];
        for (int p = 0; p < n; p++) {
            d[0][p] = (float) (r.nextDouble() * 36);
            d[1][p] = (float) (Math.abs(r.nextGaussian()) * 9);
        }
        StructureDoseSamples s = cord(n, d);
        List<DoseStatistic> sts = DoseStatistic.parseAll(List.of("Dmax", "Dmin", "Dmean", "D0.03cc", "D2cc", "D95%",
                "D5%", "V20Gy", "V30Gy", "V0Gy", "volume"), "t");
        StructureStatistics st = StructureStatistics.compute(s, COURSES, 2, false, sts, Set.of(), false);
        for (int c = 0; c < 2; c++) {
            float[] e = new float[n];
            for (int p = 0; p < n; p++) {
                e[p] = (float) Eqd2.eqd2(d[c][p], COURSES.get(c).fractions(), 2);
            }
            DoseStatistics direct = new DoseDistribution(e, s.volumeCc(), n, false).statistics(sts);
            Scope scope = Scope.course(COURSES.get(c).label());
            for (DoseStatistic x : sts) {
                for (StatisticUnit u : x.units()) {
                    double expected = direct.value(x, u);
                    double tol = u == StatisticUnit.GY ? 1e-4 * Math.max(1, expected) : 1e-3 * st.volumeCc();
                    assertThat(st.value(x, u, scope)).as("%s %s %s", scope, x, u).isCloseTo(expected, within(tol));
                }
            }
        }
    }

    @Test
    void oneCourseScopesCoincide() {
        int n = 500;
        StructureDoseSamples s = cord(n, hotSpot(n, 5, 20, 250, 30));
        List<CourseInfo> one = List.of(new CourseInfo("SBRT", 3, 1, true));
        StructureStatistics st = StructureStatistics.compute(s, one, 10, true, DEFAULTS,
                Set.of(Scope.PLAN_SUM, Scope.course("SBRT"), Scope.coursePhysical("SBRT")), false);
        for (DoseStatistic d : DEFAULTS) {
            assertThat(st.value(d, Scope.course("SBRT"))).isEqualTo(st.value(d, Scope.PLAN_SUM));
            assertThat(st.value(d, Scope.coursePhysical("SBRT"))).isEqualTo(st.value(d, Scope.PLAN_SUM_PHYSICAL));
        }
        assertThat(st.value(DMAX, Scope.PLAN_SUM)).isCloseTo(Eqd2.eqd2(25, 3, 10), within(1e-4));
        assertThat(st.dvh(Scope.coursePhysical("SBRT")).volumeCc()[2500]).isCloseTo(
                new DoseDistribution(s.physicalGyPerCourse()[0], s.volumeCc(), n, false).volumeAtDoseCc(25.0),
                within(1e-9));
    }

    @Test
    void emptyStructureHasNullStatistics() {
        StructureDoseSamples s = cord(0, new float[0], new float[0]);
        StructureStatistics st = StructureStatistics.compute(s, COURSES, 2, false, DEFAULTS, Set.of(Scope.PLAN_SUM), false);
        assertThat(st.value(DMAX, Scope.PLAN_SUM)).isNull();
        assertThat(st.value(DMAX, Scope.SUMMARY_SUM)).isNull();
        assertThat(st.value(D003, Scope.SUMMARY_SUM_UNFORGIVEN)).isNull();
        assertThat(st.maxLocationIndex(Scope.PLAN_SUM)).isNull();
        assertThat(st.volumeCc()).isEqualTo(0.0);
        assertThat(st.dvh(Scope.PLAN_SUM).volumeCc()).containsExactly(0.0, 0.0);
    }

    /**
     * Several alpha/betas in one call, each with its own statistics, give bit for bit what one call per
     * alpha/beta gives (values, maximum locations, DVH curves), with one and with two courses; and
     * a statistic asked for at one alpha/beta only is not reported at another.
     */
    @Test
    void severalAlphaBetasInOneCallEqualOneCallEach() {
        Random r = new Random(7);
        int n = 30_000;   // above DoseDistribution.LEAF: the bin and refinement paths run
        float[] prior = new float[n], current = new float[n];
        for (int p = 0; p < n; p++) {
            prior[p] = (float) (30 * r.nextDouble() * r.nextDouble());
            current[p] = p % 7 == 0 ? 27f : (float) (27 * Math.exp(-r.nextDouble() * 4));
        }
        List<DoseStatistic> extra = DoseStatistic.parseAll(List.of("V10Gy", "D2cc", "D50%", "V0.5Gy"), "t");
        java.util.Map<Double, List<DoseStatistic>> byAb = new java.util.LinkedHashMap<>();
        byAb.put(2.0, DEFAULTS);
        byAb.put(3.0, extra);
        byAb.put(10.0, DEFAULTS);
        Set<Scope> dvhScopes = Set.of(Scope.PLAN_SUM, Scope.course("cEBRT"), Scope.coursePhysical("reSBRT"),
                Scope.PLAN_SUM_PHYSICAL);
        for (StructureDoseSamples s : List.of(cord(n, prior, current), cord(n, prior))) {
            List<CourseInfo> courses = s.courseCount() == 2 ? COURSES : COURSES.subList(0, 1);
            for (boolean target : new boolean[] {false, true}) {
                java.util.Map<Double, StructureStatistics> together = StructureStatistics.compute(s, courses, byAb,
                        target, dvhScopes, false);
                assertThat(together.keySet()).containsExactly(2.0, 3.0, 10.0);
                for (var e : byAb.entrySet()) {
                    StructureStatistics one = StructureStatistics.compute(s, courses, e.getKey(), target,
                            e.getValue(), dvhScopes, false);
                    StructureStatistics many = together.get(e.getKey());
                    assertThat(many.scopes()).isEqualTo(one.scopes());
                    assertThat(many.statistics()).isEqualTo(one.statistics());
                    for (Scope scope : one.scopes()) {
                        for (DoseStatistic st : DoseStatistic.parseAll(DoseStatistic.DEFAULT_NAMES, "t")) {
                            assertThat(many.has(st, scope)).as("%s %s", st, scope).isEqualTo(one.has(st, scope));
                        }
                        for (DoseStatistic st : extra) {
                            assertThat(many.has(st, scope)).as("%s %s", st, scope).isEqualTo(one.has(st, scope));
                        }
                        for (DoseStatistic st : one.statistics()) {
                            if (!one.has(st, scope)) {
                                continue;
                            }
                            for (StatisticUnit unit : scope.isSummary() ? List.of(StatisticUnit.GY) : st.units()) {
                                assertThat(many.value(st, unit, scope)).as("%s %s %s", st, unit, scope)
                                        .isEqualTo(one.value(st, unit, scope));
                            }
                        }
                        assertThat(many.maxLocationIndex(scope)).isEqualTo(one.maxLocationIndex(scope));
                        Dvh a = one.dvh(scope), b = many.dvh(scope);
                        if (a == null) {
                            assertThat(b).isNull();
                        } else {
                            assertThat(b.doseGy()).isEqualTo(a.doseGy());
                            assertThat(b.volumeCc()).isEqualTo(a.volumeCc());
                        }
                    }
                }
            }
        }
    }
}
