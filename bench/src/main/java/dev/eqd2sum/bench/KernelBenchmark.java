package dev.eqd2sum.bench;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Warm throughput of the kernels, every backend in the same run, beside an array copy of the same
 * size as the bandwidth reference. Time per pass over the whole output grid (ms); voxels/s and
 * bytes/s are derived in bench/results/kernels.md: EQD2 + accumulate moves 12 bytes per voxel
 * (dose read, accumulator read and written), the copy 8 (read and write); the fused resample writes
 * and reads the accumulator (8 bytes/voxel) and reads the prior, which is small and cache-resident.
 * Threads: the pass is split into slabs over {@code threads} threads (DoseKernels); OpenCL always
 * gets the whole pass (its device, here POCL on the same 2 CPU cores, does its own threading).
 * Backends: {@code reference} is ScalarDoseKernels (the oracle of the tests), the others are the
 * --backend choices.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx3g"})
public class KernelBenchmark {

    /** Same-grid EQD2 + accumulate. */
    @State(Scope.Benchmark)
    public static class SameGrid {
        @Param({"reference", "scalar", "vector", "opencl"})
        public String backend;
        @Param({"std", "large"})
        public String grid;
        @Param({"1", "2"})
        public int threads;

        float[] dose;
        float[] acc;
        DoseKernels kernels;

        @Setup(Level.Trial)
        public void setUp() {
            GridGeometry g = KernelFixtures.output(grid);
            dose = KernelFixtures.dose(g, 27f);
            acc = new float[g.voxelCount()];
            kernels = new DoseKernels(KernelFixtures.backend(backend), threads);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            kernels.close();
        }
    }

    @Benchmark
    public float[] eqd2Accumulate(SameGrid s) {
        s.kernels.eqd2Accumulate(s.dose, KernelFixtures.current(), s.acc);
        return s.acc;
    }

    /** The bandwidth reference: copying a float array of the grid's size, split over the same threads. */
    @State(Scope.Benchmark)
    public static class Copy {
        @Param({"std", "large"})
        public String grid;
        @Param({"1", "2"})
        public int threads;

        float[] from;
        float[] to;
        Thread[] workers;

        @Setup(Level.Trial)
        public void setUp() {
            int n = KernelFixtures.output(grid).voxelCount();
            from = new float[n];
            to = new float[n];
            java.util.Arrays.fill(from, 1f);
        }
    }

    @Benchmark
    public float[] arrayCopy(Copy c) throws InterruptedException {
        int n = c.from.length;
        if (c.threads == 1) {
            System.arraycopy(c.from, 0, c.to, 0, n);
            return c.to;
        }
        int half = n / 2;
        Thread t = Thread.ofPlatform().start(() -> System.arraycopy(c.from, half, c.to, half, n - half));
        System.arraycopy(c.from, 0, c.to, 0, half);
        t.join();
        return c.to;
    }

    /** Fused resample + EQD2 of the prior onto the std output grid. */
    @State(Scope.Benchmark)
    public static class Resample {
        @Param({"reference", "scalar", "vector", "opencl"})
        public String backend;
        @Param({"aligned", "rotated"})
        public String map;
        @Param({"1", "2"})
        public int threads;

        DoseGrid prior;
        GridGeometry output;
        Affine3 outputToPrior;
        float[] acc;
        DoseKernels kernels;

        @Setup(Level.Trial)
        public void setUp() {
            prior = KernelFixtures.priorDose();
            output = KernelFixtures.stdOutput();
            outputToPrior = KernelFixtures.priorMap(output, map.equals("rotated"));
            acc = new float[output.voxelCount()];
            kernels = new DoseKernels(KernelFixtures.backend(backend), threads);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            kernels.close();
        }
    }

    @Benchmark
    public float[] resampleEqd2Accumulate(Resample s) {
        s.kernels.resampleEqd2Accumulate(s.prior, s.outputToPrior, s.output, KernelFixtures.priorCourse(), s.acc);
        return s.acc;
    }
}
