package dev.eqd2sum.bench;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.kernel.KernelProvider;
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
 * What the command line sees: one pass in a fresh JVM, the backend started inside the measured
 * call (as a run does: the provider is asked once, then the kernel runs once per course). Run
 * with {@code -f 5 -wi 0 -i 1} (the defaults here). Sizes are cubes-ish output grids of
 * {@code voxels} voxels; the data are made in the (unmeasured) set-up.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 5, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx2g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class KernelColdBenchmark {

    @State(Scope.Benchmark)
    public static class Cold {
        @Param({"scalar", "vector"})
        public String backend;
        /** Output voxels: 200x200x{6, 25, 50, 150} = 0.24, 1, 2 and 6 M. */
        @Param({"6", "25", "50", "150"})
        public int slices;

        GridGeometry output;
        float[] dose;
        float[] acc;
        DoseGrid prior;
        Affine3 outputToPrior;

        @Setup
        public void setUp() {
            output = GridGeometry.axisAligned(200, 200, slices, -199, -199, -(slices - 1), 2, 2, 2);
            dose = KernelFixtures.dose(output, 27f);
            acc = new float[output.voxelCount()];
            prior = KernelFixtures.priorDose();
            outputToPrior = KernelFixtures.priorMap(output, false);
        }
    }

    @Benchmark
    public float[] eqd2AccumulateCold(Cold c) {
        DoseKernelSupport k = KernelProvider.start(c.backend).kernels().orElseThrow();
        k.eqd2Accumulate(c.dose, KernelFixtures.current(), c.acc, 0, c.acc.length);
        return c.acc;
    }

    @Benchmark
    public float[] resampleEqd2AccumulateCold(Cold c) {
        DoseKernelSupport k = KernelProvider.start(c.backend).kernels().orElseThrow();
        k.resampleEqd2Accumulate(c.prior, c.outputToPrior, c.output, KernelFixtures.priorCourse(), c.acc, 0,
                c.output.nz());
        return c.acc;
    }
}
