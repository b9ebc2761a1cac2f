package dev.eqd2sum.bench;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
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
 * What the command line sees: the kernels in a fresh JVM (SingleShotTime, {@code -f 5 -wi 0 -i 1},
 * the defaults here), the backend started inside the measured call as a run starts it. The data
 * are made in the unmeasured set-up. On the std grids (200x200x150 output, 180x160x110 prior).
 * <ul>
 *   <li>{@code eqd2AccumulateCold}, {@code resampleEqd2AccumulateCold}: the very first pass.</li>
 *   <li>{@code passesCold}: {@code passes} course pairs (resample the prior + convert the current
 *       dose) one after the other in one fresh JVM: where the Vector API's JIT cost is paid back.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 5, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx2g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class KernelColdBenchmark {

    /** Inputs of the std case. */
    public static class Inputs {
        GridGeometry output;
        float[] dose;
        float[] acc;
        DoseGrid prior;
        Affine3 outputToPrior;

        void make() {
            output = KernelFixtures.stdOutput();
            dose = KernelFixtures.dose(output, 27f);
            acc = new float[output.voxelCount()];
            prior = KernelFixtures.priorDose();
            outputToPrior = KernelFixtures.priorMap(output, false);
        }

        void coursePair(DoseKernelSupport k) {
            k.resampleEqd2Accumulate(prior, outputToPrior, output, KernelFixtures.priorCourse(), acc, 0, output.nz());
            k.eqd2Accumulate(dose, KernelFixtures.current(), acc, 0, acc.length);
        }
    }

    @State(Scope.Benchmark)
    public static class OnePass extends Inputs {
        @Param({"reference", "scalar", "vector"})
        public String backend;

        @Setup
        public void setUp() {
            make();
        }
    }

    @State(Scope.Benchmark)
    public static class Passes extends Inputs {
        @Param({"scalar", "vector"})
        public String backend;
        @Param({"1", "4", "16", "64"})
        public int passes;

        @Setup
        public void setUp() {
            make();
        }
    }

    @Benchmark
    public float[] eqd2AccumulateCold(OnePass c) {
        DoseKernelSupport k = KernelFixtures.backend(c.backend);
        k.eqd2Accumulate(c.dose, KernelFixtures.current(), c.acc, 0, c.acc.length);
        return c.acc;
    }

    @Benchmark
    public float[] resampleEqd2AccumulateCold(OnePass c) {
        DoseKernelSupport k = KernelFixtures.backend(c.backend);
        k.resampleEqd2Accumulate(c.prior, c.outputToPrior, c.output, KernelFixtures.priorCourse(), c.acc, 0,
                c.output.nz());
        return c.acc;
    }

    @Benchmark
    public float[] passesCold(Passes c) {
        DoseKernelSupport k = KernelFixtures.backend(c.backend);
        for (int p = 0; p < c.passes; p++) {
            c.coursePair(k);
        }
        return c.acc;
    }
}
