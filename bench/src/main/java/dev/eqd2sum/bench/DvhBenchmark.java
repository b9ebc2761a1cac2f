package dev.eqd2sum.bench;

import dev.eqd2sum.engine.dvh.CourseInfo;
import dev.eqd2sum.engine.dvh.DoseDistribution;
import dev.eqd2sum.engine.dvh.DoseStatistic;
import dev.eqd2sum.engine.dvh.Dvh;
import dev.eqd2sum.engine.dvh.StructureDoseSamples;
import dev.eqd2sum.engine.dvh.StructureStatistics;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.SamplePoints;
import dev.eqd2sum.io.synth.NelmsPhantoms;
import dev.eqd2sum.io.synth.PhantomCase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Statistics of every (structure, alpha/beta) pair of a spine-like two-course case, and the DVH of
 * a 15-litre Body, from per-course physical doses at the structures' sample points (what the
 * plan-sum engine hands over). The spine case's samples lie in boxes, in voxel order, with the
 * counts of a 2 mm grid (External 2 M samples, targets and organs at risk tens of thousands); the
 * Body is the generator's 15-litre ellipsoid rasterised onto a 2.5 mm grid.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class DvhBenchmark {
    /** Spread sample chunks over the common pool (2 cores here) or not. */
    @Param({"false", "true"})
    public boolean parallel;

    record Pair(String name, StructureDoseSamples samples, double alphaBeta, boolean target) {
    }

    private final List<Pair> pairs = new ArrayList<>();
    private final List<CourseInfo> courses = List.of(
            new CourseInfo("cEBRT", 10, 0.67, false), new CourseInfo("reSBRT", 3, 1.0, true));
    private final List<DoseStatistic> statistics = DoseStatistic.parseAll(DoseStatistic.DEFAULT_NAMES, "bench");
    private float[] bodyDose;
    private float[] bodyVolume;
    private StructureDoseSamples body;

    @Setup
    public void setUp() {
        Random r = new Random(20240506);
        // centre of the vertebral body at the origin (mm); the cord 12 mm posterior
        StructureDoseSamples external = samples(r, 2_000_000, 300, 220, 400, 0, 0, 0, 0.008f);
        StructureDoseSamples ptvLow = samples(r, 60_000, 60, 50, 60, 0, 0, 0, 0.0015f);
        StructureDoseSamples ptvHigh = samples(r, 20_000, 40, 35, 40, 0, 0, 0, 0.0015f);
        StructureDoseSamples thecal = samples(r, 15_000, 14, 14, 80, 0, 12, 0, 0.0008f);
        StructureDoseSamples cord = samples(r, 8_000, 9, 9, 80, 0, 12, 0, 0.0008f);
        StructureDoseSamples esophagus = samples(r, 10_000, 16, 16, 80, 0, -25, 0, 0.0008f);
        pairs.add(new Pair("External", external, 3, false));
        pairs.add(new Pair("PTV_Low", ptvLow, 10, true));
        pairs.add(new Pair("PTV_High", ptvHigh, 10, true));
        pairs.add(new Pair("ThecalSac", thecal, 2, false));
        pairs.add(new Pair("SpinalCord", cord, 2, false));
        pairs.add(new Pair("SpinalCord", cord, 3, false));
        pairs.add(new Pair("Esophagus", esophagus, 3, false));
        // the raster issue's 15-litre Body: an ellipsoid contoured on 100 planes, rasterised onto a
        // 2.5 mm grid; the prior is the phantom's field (30 Gy + 0.1 Gy/mm along z) read by the
        // engine's trilinear gather, the reirradiation a steep spherical fall-off at the centre
        PhantomCase phantom = NelmsPhantoms.bodyEllipsoid();
        GridGeometry grid = phantom.dose().geometry();
        SamplePoints points = Rasteriser.rasterise(phantom.structure(), grid,
                RasterOptions.forStructureSet(phantom.structureSet())).samples();
        int n = points.count();
        float[] prior = new float[n];
        float[] current = new float[n];
        ScalarDoseKernels.INSTANCE.gather(phantom.dose(), Affine3.identity(), points.i(), points.j(), points.k(), 1f,
                prior, 0, n);
        Affine3 toMm = grid.indexToPatient();
        double[] mm = new double[3];
        for (int p = 0; p < n; p++) {
            toMm.apply(points.i()[p], points.j()[p], points.k()[p], mm);
            double rr = Math.sqrt(mm[0] * mm[0] + mm[1] * mm[1] + mm[2] * mm[2]);
            current[p] = (float) (27.0 * Math.exp(-Math.max(0, rr - 15) / 8.0));
        }
        body = StructureDoseSamples.of(points, new float[][] {prior, current});
        bodyDose = new float[n];
        for (int p = 0; p < n; p++) {
            bodyDose[p] = prior[p] + current[p];
        }
        bodyVolume = points.volumeCc();
    }

    /** Number of sample points of the Body (printed by {@link DvhCpuTime}). */
    int bodySampleCount() {
        return body.count();
    }

    /**
     * Samples in a box (mm) around a centre, in voxel order (i fastest, as the rasteriser emits
     * them) on a lattice with a little jitter, with a prior (30 Gy / 10 fx, broad) and an SBRT dose
     * (27 Gy / 3 fx, steep).
     */
    private static StructureDoseSamples samples(Random r, int n, double sx, double sy, double sz,
                                                double cx, double cy, double cz, float volumeCc) {
        double pitch = Math.cbrt(sx * sy * sz / n);
        int nx = (int) Math.ceil(sx / pitch), ny = (int) Math.ceil(sy / pitch);
        float[] prior = new float[n], current = new float[n], vol = new float[n];
        float[] i = new float[n], j = new float[n], k = new float[n];
        for (int p = 0; p < n; p++) {
            int a = p % nx, b = (p / nx) % ny, c = p / (nx * ny);
            double x = cx - sx / 2 + (a + 0.5 + 0.2 * (r.nextDouble() - 0.5)) * pitch;
            double y = cy - sy / 2 + (b + 0.5 + 0.2 * (r.nextDouble() - 0.5)) * pitch;
            double z = cz - sz / 2 + (c + 0.5 + 0.2 * (r.nextDouble() - 0.5)) * pitch;
            double lateral = Math.hypot(x, y - 5);
            prior[p] = (float) (30.0 / (1 + Math.exp((lateral - 40) / 6)) / (1 + Math.exp((Math.abs(z) - 60) / 5)));
            double rr = Math.sqrt(x * x + y * y + z * z);
            current[p] = (float) (27.0 * Math.exp(-Math.max(0, rr - 15) / 8.0));
            vol[p] = volumeCc;
            i[p] = (float) (x / 2 + 100);
            j[p] = (float) (y / 2 + 100);
            k[p] = (float) (z / 2 + 75);
        }
        return new StructureDoseSamples(new float[][] {prior, current}, vol, i, j, k, n);
    }

    /**
     * Every scope of every (structure, alpha/beta) pair, with the plan-sum DVH of each: one call per
     * structure with all its alpha/betas, as the CLI makes it (the cord's physical scopes once).
     */
    @Benchmark
    public int spineCaseAllStructures() {
        int h = 0;
        for (int i = 0; i < pairs.size(); ) {
            Pair p = pairs.get(i);
            Map<Double, List<DoseStatistic>> byAlphaBeta = new LinkedHashMap<>();
            for (; i < pairs.size() && pairs.get(i).samples() == p.samples(); i++) {
                byAlphaBeta.put(pairs.get(i).alphaBeta(), statistics);
            }
            for (StructureStatistics s : StructureStatistics.compute(p.samples(), courses, byAlphaBeta, p.target(),
                    Set.of(dev.eqd2sum.engine.dvh.Scope.PLAN_SUM), parallel).values()) {
                h += s.dvh(dev.eqd2sum.engine.dvh.Scope.PLAN_SUM).size();
            }
        }
        return h;
    }

    /** The same pairs, one call per (structure, alpha/beta) pair (how the case was computed before). */
    @Benchmark
    public int spineCaseAllStructuresPerPair() {
        int h = 0;
        for (Pair p : pairs) {
            StructureStatistics s = StructureStatistics.compute(p.samples(), courses, p.alphaBeta(), p.target(),
                    statistics, Set.of(dev.eqd2sum.engine.dvh.Scope.PLAN_SUM), parallel);
            h += s.dvh(dev.eqd2sum.engine.dvh.Scope.PLAN_SUM).size();
        }
        return h;
    }

    /** The External alone, every scope (the bulk of the case above). */
    @Benchmark
    public int externalAllScopes() {
        Pair p = pairs.get(0);
        return StructureStatistics.compute(p.samples(), courses, p.alphaBeta(), p.target(), statistics,
                Set.of(dev.eqd2sum.engine.dvh.Scope.PLAN_SUM), parallel).scopes().size();
    }

    /** Cumulative DVH (0.01 Gy bins) of the 15-litre Body from its sample doses. */
    @Benchmark
    public Dvh bodyDvh() {
        return new DoseDistribution(bodyDose, bodyVolume, bodyDose.length, parallel).dvh();
    }

    /** The same Body: EQD2 plan sum at the samples from two courses' physical doses, then its DVH and statistics. */
    @Benchmark
    public int bodyDvhAndStatisticsFromCourses() {
        StructureStatistics s = StructureStatistics.compute(body, courses, 3, false, statistics,
                Set.of(dev.eqd2sum.engine.dvh.Scope.PLAN_SUM), parallel);
        return s.dvh(dev.eqd2sum.engine.dvh.Scope.PLAN_SUM).size();
    }
}
