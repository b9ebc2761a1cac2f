package dev.eqd2sum.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The perf-guard (Maven profile {@code perf-guard}, README "Performance guard"): runs the short
 * {@link GuardBenchmark}s in one forked JVM and fails (exit 1) when a ratio of two measurements
 * taken in that same run falls below its floor. Ratios, not absolute times, so that a busy or
 * slower machine does not trip it; floors are set from the measurements in bench/RESULTS.md with a
 * margin. Not part of CI or the default build (shared CI machines are too noisy even for ratios).
 *
 * <p>Usage: {@code PerfGuard [--quick]} ({@code --quick}: fewer, shorter iterations).
 */
public final class PerfGuard {
    private PerfGuard() {
    }

    /**
     * A guarded ratio: {@code factor * time(reference) / time(subject)}, at least {@code floor}.
     * The factor turns a time ratio into the quantity named (e.g. bytes moved per voxel for a
     * fraction of the copy bandwidth).
     */
    record Guard(String name, String subject, String reference, double factor, double floor, String meaning) {
        double ratio(Map<String, Double> ms) {
            return factor * ms.get(reference) / ms.get(subject);
        }
    }

    /**
     * Floors: about two thirds of the ratio measured on the quiet 2-core AVX-512 VM (bench/RESULTS.md,
     * 2026-11-28 04:44 UTC, load 1.4-2: resample 3.01, EQD2 1.35, EQD2 vs copy 0.98, reader 0.66,
     * writer 1.47), so that noise does not trip them but a regression like the 6x slower RT Dose decode
     * of a VarHandle held in a local variable does.
     */
    static final List<Guard> GUARDS = List.of(
            new Guard("vector vs scalar fused resample", "resampleVector", "resampleScalar", 1.0, 2.0,
                    "speed-up of the Vector API fused resample + EQD2 over the scalar kernel"),
            new Guard("vector vs scalar EQD2 + accumulate", "eqd2AccumulateVector", "eqd2AccumulateScalar", 1.0, 0.9,
                    "the Vector API same-grid kernel is not slower than the scalar one"),
            new Guard("EQD2 + accumulate vs array copy", "eqd2AccumulateVector", "arrayCopy", 12.0 / 8.0, 0.6,
                    "fraction of the copy bandwidth reached (12 bytes/voxel against the copy's 8)"),
            new Guard("RT Dose reader vs plain file read", "readRtDose", "readFileBytes", 1.0, 0.4,
                    "plain read time / reader time (1 = as fast as reading the bytes)"),
            new Guard("RT Dose writer vs plain file write", "writeRtDose", "writeFileBytes", 1.0, 0.9,
                    "plain write time / writer time (1 = as fast as writing the bytes)"));

    public static void main(String[] args) throws RunnerException {
        boolean quick = List.of(args).contains("--quick");
        Options options = new OptionsBuilder()
                .include(GuardBenchmark.class.getName() + "\\.")
                .forks(1)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> ms = new HashMap<>();
        for (RunResult r : results) {
            String label = r.getParams().getBenchmark();
            ms.put(label.substring(label.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        List<String> failures = new ArrayList<>();
        System.out.println();
        System.out.println("perf-guard: average time per operation (ms)");
        ms.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-22s %9.3f%n", e.getKey(), e.getValue()));
        System.out.println();
        System.out.println("perf-guard: ratios measured in this run (" + Runtime.getRuntime().availableProcessors()
                + " cores; load " + loadAverage() + ")");
        System.out.println("| guard | ratio | floor | verdict | meaning |");
        System.out.println("|---|---|---|---|---|");
        for (Guard g : GUARDS) {
            if (!ms.containsKey(g.subject()) || !ms.containsKey(g.reference())) {
                failures.add(g.name() + ": not measured");
                continue;
            }
            double ratio = g.ratio(ms);
            boolean ok = ratio >= g.floor();
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %s | %s |%n", g.name(), ratio, g.floor(),
                    ok ? "ok" : "BELOW FLOOR", g.meaning());
            if (!ok) {
                failures.add(String.format(Locale.ROOT, "%s: %.2f < floor %.2f", g.name(), ratio, g.floor()));
            }
        }
        if (!failures.isEmpty()) {
            System.out.println();
            failures.forEach(f -> System.out.println("perf-guard: FAILED " + f));
            System.exit(1);
        }
        System.out.println("perf-guard: all ratios at or above their floors");
    }

    private static String loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", l);
    }
}
