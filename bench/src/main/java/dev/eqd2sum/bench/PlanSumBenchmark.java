package dev.eqd2sum.bench;

import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.kernel.VoxelConversion;
import dev.eqd2sum.engine.plansum.PlanSum;
import dev.eqd2sum.engine.plansum.TissueMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scalar reference plan sum on the std case's grids (bench/results/plansum-scalar.md):
 * <ul>
 *   <li>{@code eqd2Accumulate}: a course on the 200x200x150 output grid itself, EQD2 + accumulate
 *       in place through PlanSum (12 bytes per voxel: dose read, accumulator read and written);</li>
 *   <li>{@code fusedResampleEqd2}: a 180x160x110 prior on a 2.5x2.5x3 mm grid resampled onto the
 *       200x200x150 2 mm grid, converted and accumulated in the same pass (8 bytes per output
 *       voxel for the accumulator plus the prior's 12.7 MB, ~2.1 bytes per output voxel);</li>
 *   <li>{@code kernelEqd2Accumulate}: the same-grid kernel called directly, without PlanSum;</li>
 *   <li>{@code arrayCopy}: System.arraycopy of a float[] of the same size (8 bytes per voxel),
 *       the bandwidth reference, split over the same thread count.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlanSumBenchmark {
    @Param({"1", "2"})
    public int threads;

    private static final GridGeometry OUTPUT = GridGeometry.axisAligned(200, 200, 150, -199, -199, -149, 2, 2, 2);
    // 447.5 x 397.5 x 327 mm, centred on the output grid (398 x 398 x 298 mm) and covering it
    private static final GridGeometry PRIOR = GridGeometry.axisAligned(180, 160, 110, -223.25, -198.25, -163, 2.5, 2.5, 3);

    private float[] acc;
    private float[] copySource;
    private float[] copyTarget;
    private DoseGrid currentDose;
    private PlanSum sameGrid;
    private PlanSum fused;
    private TissueMap tissue;
    private VoxelConversion conversion;
    private ExecutorService copyPool;

    @Setup(Level.Trial)
    public void setUp() {
        int n = OUTPUT.voxelCount();
        acc = new float[n];
        copySource = smoothField(OUTPUT, 12);
        copyTarget = new float[n];
        currentDose = new DoseGrid(OUTPUT, smoothField(OUTPUT, 27));
        DoseGrid priorDose = new DoseGrid(PRIOR, smoothField(PRIOR, 30));
        tissue = TissueMap.uniform(2);
        sameGrid = new PlanSum(CourseTimeline.of(List.of(Course.of("reSBRT",
                CourseDose.of(DoseComponent.plan(currentDose)), 3, null, null)), ForgivenessSchedule.none()),
                OUTPUT, ScalarDoseKernels.INSTANCE, threads);
        fused = new PlanSum(CourseTimeline.of(List.of(Course.of("cEBRT",
                CourseDose.of(DoseComponent.plan(priorDose)), 10, null, null)), ForgivenessSchedule.none()),
                OUTPUT, ScalarDoseKernels.INSTANCE, threads);
        conversion = VoxelConversion.uniform(3, 2f);
        copyPool = Executors.newFixedThreadPool(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        copyPool.shutdownNow();
    }

    /** A smooth dose field (0 .. peakGy) so the conversion sees realistic values. */
    static float[] smoothField(GridGeometry g, double peakGy) {
        float[] d = new float[g.voxelCount()];
        int v = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++, v++) {
                    double x = (i - g.nx() / 2.0) / g.nx();
                    double y = (j - g.ny() / 2.0) / g.ny();
                    double z = (k - g.nz() / 2.0) / g.nz();
                    d[v] = (float) (peakGy * Math.exp(-8 * (x * x + y * y + z * z)));
                }
            }
        }
        return d;
    }

    @Benchmark
    public float[] eqd2Accumulate() {
        sameGrid.accumulateEqd2(tissue, true, acc);
        return acc;
    }

    @Benchmark
    public float[] fusedResampleEqd2() {
        fused.accumulateEqd2(tissue, true, acc);
        return acc;
    }

    @Benchmark
    public float[] kernelEqd2Accumulate() throws Exception {
        int n = acc.length;
        if (threads == 1) {
            ScalarDoseKernels.INSTANCE.eqd2Accumulate(currentDose.doseGy(), conversion, acc, 0, n);
            return acc;
        }
        Future<?>[] parts = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            parts[t] = copyPool.submit(() ->
                    ScalarDoseKernels.INSTANCE.eqd2Accumulate(currentDose.doseGy(), conversion, acc, from, to));
        }
        for (Future<?> f : parts) {
            f.get();
        }
        return acc;
    }

    @Benchmark
    public float[] arrayCopy() throws Exception {
        int n = copySource.length;
        if (threads == 1) {
            System.arraycopy(copySource, 0, copyTarget, 0, n);
            return copyTarget;
        }
        Future<?>[] parts = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            parts[t] = copyPool.submit(() -> System.arraycopy(copySource, from, copyTarget, from, to - from));
        }
        for (Future<?> f : parts) {
            f.get();
        }
        return copyTarget;
    }
}
