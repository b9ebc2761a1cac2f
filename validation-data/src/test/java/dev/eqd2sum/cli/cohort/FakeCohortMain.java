package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.io.cohort.FakeStudy;
import picocli.CommandLine;

/** `eqd2sum cohort` with the fake per-case pipeline, slowed down, for a test to kill in the middle. */
public final class FakeCohortMain {
    private FakeCohortMain() {
    }

    public static void main(String[] args) {
        FakeStudy.Runner runner = new FakeStudy.Runner();
        runner.sleepMillis = Long.getLong("fake.sleepMillis", 0);
        System.exit(new CommandLine(new CohortCommand(runner, Runtime.getRuntime().maxMemory()))
                .execute(args));
    }
}
