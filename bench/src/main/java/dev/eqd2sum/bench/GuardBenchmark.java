package dev.eqd2sum.bench;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDose;
import dev.eqd2sum.io.rt.RtDoseReader;
import dev.eqd2sum.io.rt.RtDoseWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pairs of measurements the perf-guard compares ({@link PerfGuard}): each fast path beside its
 * reference, one thread, on the std grid (200x200x150) and the std prior (180x160x110 at
 * 2.5x2.5x3 mm), all in one JVM so that the ratios hold on a noisy machine.
 * <ul>
 *   <li>{@code arrayCopy}: System.arraycopy of a 6 M float[] (8 bytes/voxel moved), the bandwidth
 *       reference;</li>
 *   <li>{@code eqd2Accumulate*}: same-grid EQD2 + accumulate (12 bytes/voxel), scalar and vector;</li>
 *   <li>{@code resample*}: fused resample + EQD2 + accumulate of the prior, scalar and vector;</li>
 *   <li>{@code readRtDose} vs {@code readFileBytes}: the RT Dose reader against reading the same
 *       24 MB file's bytes;</li>
 *   <li>{@code writeRtDose} vs {@code writeFileBytes}: the 32-bit RT Dose writer against writing
 *       as many bytes to a file.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GuardBenchmark {

    @State(Scope.Benchmark)
    public static class Grids {
        float[] dose;
        float[] acc;
        float[] copy;
        DoseGrid prior;
        GridGeometry output;
        Affine3 outputToPrior;
        DoseKernelSupport scalar;
        DoseKernelSupport vector;

        @Setup(Level.Trial)
        public void setUp() {
            output = KernelFixtures.stdOutput();
            dose = KernelFixtures.dose(output, 27f);
            acc = new float[output.voxelCount()];
            copy = new float[output.voxelCount()];
            prior = KernelFixtures.priorDose();
            outputToPrior = KernelFixtures.priorMap(output, false);
            scalar = KernelFixtures.backend("scalar");
            vector = KernelFixtures.backend("vector");
        }
    }

    @Benchmark
    public float[] arrayCopy(Grids g) {
        System.arraycopy(g.dose, 0, g.copy, 0, g.dose.length);
        return g.copy;
    }

    @Benchmark
    public float[] eqd2AccumulateScalar(Grids g) {
        g.scalar.eqd2Accumulate(g.dose, KernelFixtures.current(), g.acc, 0, g.acc.length);
        return g.acc;
    }

    @Benchmark
    public float[] eqd2AccumulateVector(Grids g) {
        g.vector.eqd2Accumulate(g.dose, KernelFixtures.current(), g.acc, 0, g.acc.length);
        return g.acc;
    }

    @Benchmark
    public float[] resampleScalar(Grids g) {
        g.scalar.resampleEqd2Accumulate(g.prior, g.outputToPrior, g.output, KernelFixtures.priorCourse(), g.acc, 0,
                g.output.nz());
        return g.acc;
    }

    @Benchmark
    public float[] resampleVector(Grids g) {
        g.vector.resampleEqd2Accumulate(g.prior, g.outputToPrior, g.output, KernelFixtures.priorCourse(), g.acc, 0,
                g.output.nz());
        return g.acc;
    }

    @State(Scope.Benchmark)
    public static class Files32 {
        Path dir;
        Path doseFile;
        Path written;
        Path plain;
        byte[] bytes;
        DoseGrid grid;
        RtDose dose;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("eqd2sum-guard");
            doseFile = dir.resolve("RD.dcm");
            written = dir.resolve("out.dcm");
            plain = dir.resolve("plain.bin");
            GridGeometry g = KernelFixtures.stdOutput();
            grid = new DoseGrid(g, KernelFixtures.dose(g, 27f));
            RtDoseWriter.writePhysical(doseFile, grid, PatientStudy.synthetic("Guard^Bench", "guard", "20240506"),
                    "1.2.3", "1.2.4", 32);
            dose = RtDoseReader.read(doseFile);
            bytes = Files.readAllBytes(doseFile);
            Arrays.fill(bytes, 0, 16, (byte) 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Benchmark
    public RtDose readRtDose(Files32 f) {
        return RtDoseReader.read(f.doseFile);
    }

    @Benchmark
    public byte[] readFileBytes(Files32 f) throws IOException {
        return Files.readAllBytes(f.doseFile);
    }

    @Benchmark
    public String writeRtDose(Files32 f) {
        return RtDoseWriter.writeEqd2PlanSum(f.written, f.grid, RtDoseWriter.Eqd2Export.fromCurrentCourse(f.dose,
                java.util.List.of(), java.util.List.of(), "alpha/beta 3 Gy", true, 32));
    }

    @Benchmark
    public Path writeFileBytes(Files32 f) throws IOException {
        return Files.write(f.plain, f.bytes);
    }
}
