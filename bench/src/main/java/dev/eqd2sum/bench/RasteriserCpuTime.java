package dev.eqd2sum.bench;

import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.StructureMask;
import dev.eqd2sum.io.synth.NelmsPhantoms;
import dev.eqd2sum.io.synth.PhantomCase;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time (all threads of the process, including GC) per rasterisation of the 15-litre Body, for a
 * machine too busy for wall-clock figures to mean much: on an idle machine the wall time of one
 * rasterisation is at most this (at least this divided by the cores used). Prints the median and
 * the quartiles of 200 runs after 100 warm-up runs. Run:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.eqd2sum.bench.RasteriserCpuTime}
 */
public final class RasteriserCpuTime {
    private RasteriserCpuTime() {
    }

    public static void main(String[] args) {
        PhantomCase body = NelmsPhantoms.bodyEllipsoid();
        RasterOptions options = RasterOptions.forStructureSet(body.structureSet());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int warm = 100, runs = 200;
        double[] cpuMs = new double[runs], wallMs = new double[runs];
        long samples = 0;
        for (int it = 0; it < warm + runs; it++) {
            long c0 = os.getProcessCpuTime(), w0 = System.nanoTime();
            StructureMask m = Rasteriser.rasterise(body.structure(), body.dose().geometry(), options);
            long c1 = os.getProcessCpuTime(), w1 = System.nanoTime();
            samples = m.samples().count();
            if (it >= warm) {
                cpuMs[it - warm] = (c1 - c0) / 1e6;
                wallMs[it - warm] = (w1 - w0) / 1e6;
            }
        }
        Arrays.sort(cpuMs);
        Arrays.sort(wallMs);
        System.out.printf(Locale.ROOT, "body 15 L onto 2.5 mm: %d samples; process CPU ms per run: median %.1f (quartiles %.1f, %.1f);"
                + " wall ms: median %.1f (min %.1f); load average %.1f on %d cores%n", samples,
                cpuMs[runs / 2], cpuMs[runs / 4], cpuMs[3 * runs / 4], wallMs[runs / 2], wallMs[0],
                os.getSystemLoadAverage(), os.getAvailableProcessors());
    }
}
