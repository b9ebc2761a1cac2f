package dev.eqd2sum.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The single-thread workloads of {@link DvhBenchmark}, timed in thread CPU time rather than wall
 * time: on a 2-core machine shared with other jobs, wall time mostly measures the wait for a core.
 * Prints the median of 15 runs after 15 warm-up runs. Run with
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.eqd2sum.bench.DvhCpuTime}.
 */
public final class DvhCpuTime {
    private DvhCpuTime() {
    }

    public static void main(String[] args) {
        DvhBenchmark b = new DvhBenchmark();
        b.parallel = false;
        b.setUp();
        System.out.println("Body sample points: " + b.bodySampleCount());
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        String[] names = {"spineCaseAllStructures", "spineCaseAllStructuresPerPair", "externalAllScopes", "bodyDvh", "bodyDvhAndStatisticsFromCourses"};
        Runnable[] work = {b::spineCaseAllStructures, b::spineCaseAllStructuresPerPair, b::externalAllScopes, b::bodyDvh, b::bodyDvhAndStatisticsFromCourses};
        for (int w = 0; w < work.length; w++) {
            double[] ms = new double[15];
            for (int r = 0; r < 15; r++) {
                work[w].run();
            }
            for (int r = 0; r < ms.length; r++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                work[w].run();
                ms[r] = (cpu.getCurrentThreadCpuTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "%-34s median %7.1f ms CPU (min %.1f, max %.1f)%n", names[w], ms[7], ms[0],
                    ms[14]);
        }
    }
}
