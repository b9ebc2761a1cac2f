package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.io.cohort.FakeStudy;
import picocli.CommandLine;

/** `eqd2sum cohort` with the fake per-case pipeline, slowed down, for a test to kill in the middle. */
public final class FakeCohortMain {
    private FakeCohortMain() {
    }

    /** Starts it in a child JVM on this test's class path: study, --out, 2 threads, --no-dose, then {@code extra}. */
    static Process start(java.nio.file.Path study, java.nio.file.Path out, long sleepMillis, String... extra)
            throws java.io.IOException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dfake.sleepMillis=" + sleepMillis,
                FakeCohortMain.class.getName(), study.toString(), "--out", out.toString(), "--threads", "2",
                "--no-dose"));
        cmd.addAll(java.util.List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    public static void main(String[] args) {
        FakeStudy.Runner runner = new FakeStudy.Runner();
        runner.sleepMillis = Long.getLong("fake.sleepMillis", 0);
        System.exit(new CommandLine(new CohortCommand(runner, Runtime.getRuntime().maxMemory()))
                .execute(args));
    }
}
