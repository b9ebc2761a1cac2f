package dev.eqd2sum.engine.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Statistics of weighted dose samples against analytic answers. */
class DoseDistributionTest {
    /**
     * The refinement's range pass folds exactly as Math.min and Math.max would, signed zeros and NaN included,
     * whole or in two parts combined, and counts the samples at its lowest dose.
     */
    @Test
    void rangeIsMathMinAndMaxFolded() {
        Random random = new Random(5);
        float[] pool = {0f, -0f, 1.5f, 1.5000001f, 2f, -3f, 40f, Float.MIN_VALUE, 7.25f, Float.NaN};
        for (int trial = 0; trial < 20_000; trial++) {
            int n = random.nextInt(12);
            float[] d = new float[n + random.nextInt(3)]; // samples past n must not count
            for (int p = 0; p < d.length; p++) {
                d[p] = pool[random.nextInt(trial % 3 == 0 ? pool.length : pool.length - 1)];
            }
            int inBin = n == 0 || random.nextBoolean() ? -1 : OrderedHistogram.fixedBinOf(d[random.nextInt(n)]);
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            int size = 0;
            for (int p = 0; p < n; p++) {
                if (inBin < 0 || OrderedHistogram.fixedBinOf(d[p]) == inBin) {
                    lo = Math.min(lo, d[p]);
                    hi = Math.max(hi, d[p]);
                    size++;
                }
            }
            int atLo = 0;
            for (int p = 0; p < n; p++) {
                if ((inBin < 0 || OrderedHistogram.fixedBinOf(d[p]) == inBin) && d[p] == lo) {
                    atLo++;
                }
            }
            String what = Arrays.toString(Arrays.copyOf(d, n)) + " in bin " + inBin;
            assertRange(DoseDistribution.Range.of(d, n, inBin), lo, hi, size, atLo, what);
            // in parts, as a heavy bin's range is found chunk by chunk
            int cut = random.nextInt(n + 1);
            DoseDistribution.Range parts = DoseDistribution.Range.EMPTY
                    .combine(DoseDistribution.Range.of(d, 0, cut, inBin))
                    .combine(DoseDistribution.Range.of(d, cut, n, inBin))
                    .settleZeros(d, n, inBin);
            assertRange(parts, lo, hi, size, atLo, what + " cut at " + cut);
        }
    }

    /** {@code atLo}: the samples equal to the lowest as floats compare (either zero), none when NaN is among them. */
    private static void assertRange(DoseDistribution.Range r, float lo, float hi, int size, int atLo, String what) {
        assertThat(Float.floatToRawIntBits(r.lo())).as(what).isEqualTo(Float.floatToRawIntBits(lo));
        assertThat(Float.floatToRawIntBits(r.hi())).as(what).isEqualTo(Float.floatToRawIntBits(hi));
        assertThat(r.size()).as(what).isEqualTo(size);
        assertThat(r.atLo()).as(what + ": samples at the lowest").isEqualTo(Float.isNaN(lo) ? 0 : atLo);
    }

    private static DoseStatistic st(String name) {
        return DoseStatistic.parse(name, "test");
    }

    private static List<DoseStatistic> all(String... names) {
        List<DoseStatistic> out = new ArrayList<>();
        for (String n : names) {
            out.add(st(n));
        }
        return out;
    }

    /** n cells of a bar, each vCc, dose linear along the bar: d = d0 + g * (k + 0.5) (cell centres), shuffled. */
    static float[][] linearBar(int n, double d0, double g, float vCc, long seed) {
        float[] dose = new float[n];
        float[] vol = new float[n];
        for (int k = 0; k < n; k++) {
            dose[k] = (float) (d0 + g * (k + 0.5));
            vol[k] = vCc;
        }
        shuffle(dose, vol, seed);
        return new float[][] {dose, vol};
    }

    static void shuffle(float[] a, float[] b, long seed) {
        Random r = new Random(seed);
        for (int p = a.length - 1; p > 0; p--) {
            int q = r.nextInt(p + 1);
            float t = a[p]; a[p] = a[q]; a[q] = t;
            t = b[p]; b[p] = b[q]; b[q] = t;
        }
    }

    @Test
    void uniformFieldGivesItsDoseForEveryStatistic() {
        int n = 1000;
        float[] dose = new float[n];
        float[] vol = new float[n];
        Arrays.fill(dose, 20f);
        Arrays.fill(vol, 0.004f);
        DoseStatistics s = new DoseDistribution(dose, vol, n, false)
                .statistics(all("Dmax", "Dmin", "Dmean", "D0.03cc", "D2cc", "D4cc", "D95%", "D100%", "D0cc",
                        "V20Gy", "V20.01Gy", "V0Gy", "volume"));
        double total = 4.0;
        for (String d : List.of("Dmax", "Dmin", "Dmean", "D0.03cc", "D2cc", "D95%", "D100%", "D0cc")) {
            assertThat(s.value(st(d))).as(d).isCloseTo(20.0, within(1e-6));
        }
        // float volumes sum to 4 cc within float rounding: D4cc is defined
        assertThat(s.value(st("D4cc"))).isCloseTo(20.0, within(1e-6));
        assertThat(s.value(st("V20Gy"), StatisticUnit.CC)).isCloseTo(total, within(1e-6));
        assertThat(s.value(st("V20Gy"), StatisticUnit.PERCENT)).isCloseTo(100.0, within(1e-9));
        assertThat(s.value(st("V20.01Gy"), StatisticUnit.CC)).isEqualTo(0.0);
        assertThat(s.value(st("V20.01Gy"), StatisticUnit.PERCENT)).isEqualTo(0.0);
        assertThat(s.value(st("V0Gy"), StatisticUnit.PERCENT)).isCloseTo(100.0, within(1e-9));
        assertThat(s.value(DoseStatistic.VOLUME)).isCloseTo(total, within(1e-6));
    }

    /**
     * A linear field sampled at cell centres has a known DVH: doses uniform on [lo, hi], so the
     * hottest x cc receive at least hi - (hi - lo) x / V, and V(D) = V (hi - D) / (hi - lo).
     */
    @ParameterizedTest(name = "{0} cells")
    @ValueSource(ints = {400, 5000, 300_000})
    void linearFieldGivesItsAnalyticDvh(int n) {
        double d0 = 30, g = 24.0 / n;   // 30 .. 54 Gy
        float v = (float) (10.0 / n);   // 10 cc in all
        float[][] bar = linearBar(n, d0, g, v, n);
        DoseDistribution dist = new DoseDistribution(bar[0], bar[1], n, true);
        double total = dist.summary().volumeCc();
        double lo = d0, hi = d0 + g * n;
        double tol = 2e-6 * hi;  // float storage of doses
        DoseStatistics s = dist.statistics(all("Dmax", "Dmin", "Dmean", "D0.03cc", "D1cc", "D2cc", "D5%", "D95%",
                "D50%", "V40Gy", "V31Gy", "V53Gy", "D11cc"));
        assertThat(s.value(st("Dmax"))).isCloseTo(hi - g / 2, within(tol));
        assertThat(s.value(st("Dmin"))).isCloseTo(lo + g / 2, within(tol));
        assertThat(s.value(st("Dmean"))).isCloseTo((lo + hi) / 2, within(tol));
        for (double x : new double[] {0.03, 1, 2}) {
            if (x >= v / 2.0) {
                assertThat(s.value(st("D" + DoseStatistic.of(DoseStatistic.Kind.DOSE_AT_VOLUME_CC, x).name()
                        .substring(1)))).as("D%scc", x).isCloseTo(hi - (hi - lo) * x / total, within(tol));
            }
        }
        assertThat(s.value(st("D5%"))).isCloseTo(hi - (hi - lo) * 0.05, within(tol));
        assertThat(s.value(st("D95%"))).isCloseTo(hi - (hi - lo) * 0.95, within(tol));
        assertThat(s.value(st("D50%"))).isCloseTo((hi + lo) / 2, within(tol));
        for (double d : new double[] {40, 31, 53}) {
            double expected = total * (hi - d) / (hi - lo);
            DoseStatistic vx = DoseStatistic.of(DoseStatistic.Kind.VOLUME_AT_DOSE, d);
            assertThat(s.value(vx, StatisticUnit.CC)).as("V%sGy", d).isCloseTo(expected, within(2e-5 * total));
            assertThat(s.value(vx, StatisticUnit.PERCENT)).isCloseTo(expected / total * 100, within(2e-3));
        }
        assertThat(s.value(st("D11cc"))).as("more than the structure").isNull();
        Dvh dvh = dist.dvh();
        assertThat(dvh.binGy()).isEqualTo(0.01);
        assertThat(dvh.doseGy()[4000]).isEqualTo(40.0);
        assertThat(dvh.volumeCc()[4000]).isCloseTo(total * (hi - 40) / (hi - lo), within(2e-5 * total));
        assertThat(dvh.volumeCc()[0]).isEqualTo(total);
        assertThat(dvh.volumeCc()[dvh.size() - 1]).isEqualTo(0.0);
        assertThat(dvh.doseGy()[dvh.size() - 1]).isGreaterThan(hi - g / 2);
        for (int b = 1; b < dvh.size(); b++) {
            assertThat(dvh.volumeCc()[b]).isLessThanOrEqualTo(dvh.volumeCc()[b - 1]);
        }
    }

    @Test
    void interpolatesBetweenSampleMidpoints() {
        // hottest first: 50 Gy (0.02 cc), 40 Gy (0.02 cc), 30 Gy (0.06 cc)
        float[] dose = {30, 50, 40};
        float[] vol = {0.06f, 0.02f, 0.02f};
        DoseDistribution dist = new DoseDistribution(dose, vol, 3, false);
        // nodes at cumulative volume 0.01 (50), 0.03 (40), 0.07 (30)
        assertThat(dist.doseAtVolumeCc(0.005)).isEqualTo(50.0);
        assertThat(dist.doseAtVolumeCc(0.01)).isCloseTo(50.0, within(1e-5));
        assertThat(dist.doseAtVolumeCc(0.02)).isCloseTo(45.0, within(1e-4));
        assertThat(dist.doseAtVolumeCc(0.03)).isCloseTo(40.0, within(1e-4));
        assertThat(dist.doseAtVolumeCc(0.05)).isCloseTo(35.0, within(1e-4));
        assertThat(dist.doseAtVolumeCc(0.08)).isEqualTo(30.0);
        assertThat(dist.doseAtVolumeCc(0.1)).isEqualTo(30.0);
        assertThat(dist.doseAtVolumeCc(0.1001)).isNull();
        assertThat(dist.volumeAtDoseCc(45)).isCloseTo(0.02, within(1e-6));
        assertThat(dist.volumeAtDoseCc(50)).isCloseTo(0.01, within(1e-6));
        assertThat(dist.volumeAtDoseCc(50.5)).isEqualTo(0.0);
        assertThat(dist.volumeAtDoseCc(30)).isCloseTo(0.1, within(1e-6));
        assertThat(dist.volumeAtDoseCc(35)).isCloseTo(0.05, within(1e-6));
    }

    /** Whole planes of samples sharing a dose (an axis-aligned gradient, as in phantoms) still give the exact DVH. */
    @Test
    void planesOfTiedSamplesGiveTheAnalyticDvh() {
        int planes = 100, perPlane = 50;
        int n = planes * perPlane;
        float[] dose = new float[n];
        float[] vol = new float[n];
        for (int p = 0; p < n; p++) {
            dose[p] = (float) (30 + 0.1 * (p / perPlane));   // plane k covers doses [30 + 0.1k - 0.05, + 0.05]
            vol[p] = 0.001f;
        }
        shuffle(dose, vol, 3);
        DoseDistribution dist = new DoseDistribution(dose, vol, n, false);
        double total = dist.summary().volumeCc();
        // doses uniform on [29.95, 39.95] over 5 cc
        for (double x : new double[] {0.03, 0.1, 1, 2.5, 4.9}) {
            assertThat(dist.doseAtVolumeCc(x)).as("D%scc", x).isCloseTo(39.95 - 10 * x / total, within(1e-4));
        }
        assertThat(dist.volumeAtDoseCc(35.0)).isCloseTo(total * 4.95 / 10, within(1e-4));
    }

    @Test
    void tiesNeverGiveZeroAndDoNotDependOnOrder() {
        // 40 % of the structure outside one course's grid gets exactly 0 from it; most of the rest is tied at 12 Gy
        int n = 20_000;
        float[] dose = new float[n];
        float[] vol = new float[n];
        for (int p = 0; p < n; p++) {
            dose[p] = p < 8000 ? 0f : p < 19_990 ? 12f : 20f;
            vol[p] = 0.001f;
        }
        float[] d2 = dose.clone(), v2 = vol.clone();
        shuffle(d2, v2, 7);
        List<DoseStatistics> results = new ArrayList<>();
        List<DoseStatistic> sts = all("D0.005cc", "D0.03cc", "D1cc", "D50%", "D79%", "D80%", "D100%", "V12Gy", "V0Gy",
                "V20Gy");
        for (boolean shuffled : new boolean[] {false, true}) {
            DoseDistribution dist = shuffled ? new DoseDistribution(d2, v2, n, true) : new DoseDistribution(dose, vol, n, false);
            DoseStatistics s = dist.statistics(sts);
            results.add(s);
            // one node per distinct dose, at the middle of its samples' volume: 20 Gy at 0.005 cc,
            // 12 Gy at 0.01 + 5.995 cc, 0 Gy at 12 + 4 cc; linear between them
            assertThat(s.value(st("D0.005cc"))).isEqualTo(20.0);
            assertThat(s.value(st("D0.03cc"))).isCloseTo(20 - 8 * 0.025 / 6.0, within(1e-4));
            assertThat(s.value(st("D1cc"))).isCloseTo(20 - 8 * 0.995 / 6.0, within(1e-4));
            assertThat(s.value(st("D50%"))).isCloseTo(12 - 12 * 3.995 / 9.995, within(1e-4));
            assertThat(s.value(st("D79%"))).isGreaterThan(0.0);
            assertThat(s.value(st("D80%"))).isEqualTo(0.0);
            assertThat(s.value(st("D100%"))).isEqualTo(0.0);
            assertThat(s.value(st("V12Gy"), StatisticUnit.CC)).isCloseTo(6.005, within(1e-4));
            assertThat(s.value(st("V0Gy"), StatisticUnit.PERCENT)).isEqualTo(100.0, within(1e-9));
            assertThat(s.value(st("V20Gy"), StatisticUnit.CC)).isCloseTo(0.005, within(1e-6));
        }
        for (DoseStatistic x : sts) {
            for (StatisticUnit u : x.units()) {
                assertThat(results.get(1).value(x, u)).isCloseTo(results.get(0).value(x, u), within(1e-9));
            }
        }
    }

    @Test
    void undefinedIsNullNeverZeroOrNaN() {
        DoseStatistics empty = new DoseDistribution(new float[0], new float[0], 0, false)
                .statistics(all("Dmax", "Dmin", "Dmean", "D0.03cc", "D95%", "V20Gy", "volume"));
        for (String s : List.of("Dmax", "Dmin", "Dmean", "D0.03cc", "D95%")) {
            assertThat(empty.value(st(s))).as(s).isNull();
        }
        assertThat(empty.value(st("V20Gy"), StatisticUnit.CC)).isEqualTo(0.0);
        assertThat(empty.value(st("V20Gy"), StatisticUnit.PERCENT)).isNull();
        assertThat(empty.value(DoseStatistic.VOLUME)).isEqualTo(0.0);
        assertThat(empty.maxSample()).isEqualTo(-1);

        float[][] bar = linearBar(100, 0, 1, 0.01f, 1);  // 1 cc
        DoseStatistics small = new DoseDistribution(bar[0], bar[1], 100, false).statistics(all("D2cc", "D1cc"));
        assertThat(small.value(st("D2cc"))).isNull();
        assertThat(small.value(st("D1cc"))).isNotNull();
    }

    @Test
    void absurdDosesWidenTheDvhBinsInsteadOfExhaustingMemory() {
        float[] dose = {1e6f, 5f, 0f, -0.0f, -2f};
        float[] vol = {0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
        Dvh dvh = new DoseDistribution(dose, vol, dose.length, false).dvh();
        assertThat(dvh.size()).isLessThanOrEqualTo(Dvh.MAX_POINTS);
        assertThat(dvh.binGy()).isEqualTo(1.28);
        assertThat(dvh.volumeCc()[0]).isCloseTo(0.5, within(1e-6));
        assertThat(dvh.volumeCc()[dvh.size() - 1]).isEqualTo(0.0);
        DoseStatistics s = new DoseDistribution(dose, vol, dose.length, false).statistics(all("Dmin", "D100%", "D0cc"));
        assertThat(s.value(st("Dmin"))).isEqualTo(-2.0);
        assertThat(s.value(st("D100%"))).isEqualTo(-2.0);
        assertThat(s.value(st("D0cc"))).isEqualTo(1e6);
    }

    @Test
    void maximumLocationIsTheLowestSampleIndexOnTies() {
        float[] dose = new float[600_000];
        float[] vol = new float[dose.length];
        Arrays.fill(vol, 0.001f);
        dose[500_000] = 9f;
        dose[300_000] = 9f;
        dose[700] = -1f;
        DoseSummary s = new DoseDistribution(dose, vol, dose.length, true).summary();
        assertThat(s.maxSample()).isEqualTo(300_000);
        assertThat(s.minSample()).isEqualTo(700);
        assertThat(s.max()).isEqualTo(9.0);
    }

    @Test
    void parallelAndSequentialGiveTheSameBits() {
        Random r = new Random(3);
        int n = 1_100_000;
        float[] dose = new float[n];
        float[] vol = new float[n];
        for (int p = 0; p < n; p++) {
            dose[p] = (float) (r.nextGaussian() * 8 + 40);
            vol[p] = 0.0005f + r.nextFloat() * 0.001f;
        }
        List<DoseStatistic> sts = all("Dmax", "Dmin", "Dmean", "D0.03cc", "D2cc", "D95%", "D5%", "V40Gy", "volume");
        DoseStatistics a = new DoseDistribution(dose, vol, n, true).statistics(sts);
        DoseStatistics b = new DoseDistribution(dose, vol, n, false).statistics(sts);
        for (DoseStatistic s : sts) {
            for (StatisticUnit u : s.units()) {
                assertThat(a.value(s, u)).as(s.name()).isEqualTo(b.value(s, u));
            }
        }
        Dvh da = new DoseDistribution(dose, vol, n, true).dvh();
        Dvh db = new DoseDistribution(dose, vol, n, false).dvh();
        assertThat(da.volumeCc()).containsExactly(db.volumeCc());
    }
}
