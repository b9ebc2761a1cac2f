package dev.eqd2sum.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of one {@code sum} goes, for the performance work (bench/RESULTS.md): with the
 * environment variable {@code EQD2SUM_TIMINGS=1}, each stage's wall time is summed and printed to
 * stderr at the end, with the JVM's own start-up and the array-copy bandwidth measured in the same
 * process (the floor each stage is compared with). Without it, nothing is measured or printed.
 */
final class StageTimes {
    static final boolean ON = "1".equals(System.getenv("EQD2SUM_TIMINGS"));
    private static final Map<String, Long> NANOS = new LinkedHashMap<>();
    /** CPU time of the whole process (every thread, JIT and GC included) per stage: how parallel it ran. */
    private static final Map<String, Long> CPU_NANOS = new LinkedHashMap<>();
    /** JVM uptime (ms) when each stage last ended: to line the stages up with a GC log (-Xlog:gc). */
    private static final Map<String, Long> LAST_END_UPTIME_MS = new LinkedHashMap<>();
    private static long last = System.nanoTime();
    private static long lastCpu = ON ? processCpuNanos() : 0;

    private StageTimes() {
    }

    /** Restarts the clock without charging the time since the last lap to any stage. */
    static synchronized void start() {
        last = System.nanoTime();
        lastCpu = ON ? processCpuNanos() : 0;
    }

    /** Charges the time since the previous lap to {@code stage}. */
    static synchronized void lap(String stage) {
        if (!ON) {
            return;
        }
        long now = System.nanoTime();
        long cpu = processCpuNanos();
        NANOS.merge(stage, now - last, Long::sum);
        CPU_NANOS.merge(stage, cpu - lastCpu, Long::sum);
        LAST_END_UPTIME_MS.put(stage, ManagementFactory.getRuntimeMXBean().getUptime());
        last = now;
        lastCpu = cpu;
    }

    static synchronized void print(PrintStream err) {
        if (!ON) {
            return;
        }
        long uptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        long total = 0;
        for (Map.Entry<String, Long> e : NANOS.entrySet()) {
            err.printf(Locale.ROOT, "eqd2sum: timing %-34s %8.1f ms  (CPU %6.1f ms, last ended at %5d ms)%n",
                    e.getKey(), e.getValue() / 1e6, CPU_NANOS.get(e.getKey()) / 1e6, LAST_END_UPTIME_MS.get(e.getKey()));
            total += e.getValue();
        }
        err.printf(Locale.ROOT, "eqd2sum: timing %-34s %8.1f ms%n", "stages above", total / 1e6);
        err.printf(Locale.ROOT, "eqd2sum: timing %-34s %8d ms%n", "JVM uptime at the end", uptimeMs);
        err.printf(Locale.ROOT, "eqd2sum: timing %-34s %8.1f GB/s%n", "array copy, 24 MB (read + write)",
                copyBandwidthGBs(6_000_000));
        err.printf(Locale.ROOT, "eqd2sum: timing %-34s %s%n", "SHA-256 of the inputs by", Sha256.implementation());
    }

    /** -1 where the JVM cannot tell (then the CPU column is meaningless, which only these timings show). */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Best of 10 copies of a float[] of {@code n} values, bytes read plus written per second. */
    private static double copyBandwidthGBs(int n) {
        float[] a = new float[n];
        float[] b = new float[n];
        java.util.Arrays.fill(a, 1f);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 10; r++) {
            long t0 = System.nanoTime();
            System.arraycopy(a, 0, b, 0, n);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return 8.0 * n / best;
    }
}
