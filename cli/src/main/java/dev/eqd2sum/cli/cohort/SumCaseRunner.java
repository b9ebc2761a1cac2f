package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.cli.CohortSumPipeline;
import dev.eqd2sum.io.cohort.CaseOptions;
import dev.eqd2sum.io.cohort.CaseRunner;
import dev.eqd2sum.io.cohort.CohortCase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs a cohort's case through the `sum` pipeline (same outputs, same error lines). The pipeline's own stderr
 * lines (the backend choice, one per case) are kept out of the cohort's progress output; the first case's is
 * printed once.
 */
final class SumCaseRunner implements CaseRunner {
    private final CohortProgress progress;
    private volatile boolean backendLinePrinted;

    SumCaseRunner(CohortProgress progress) {
        this.progress = progress;
    }

    @Override
    public String run(CohortCase c, Path outDir, CaseOptions options) {
        return run(c, outDir, options, new HashMap<>());
    }

    @Override
    public String run(CohortCase c, Path outDir, CaseOptions options, Map<Path, String> inputSha256) {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try (PrintStream caseErr = new PrintStream(lines, true, StandardCharsets.UTF_8)) {
            String backend = CohortSumPipeline.runInto(c.caseFile(), c.displayCaseFile(), outDir, options.backend(),
                    options.noDose(), caseErr, inputSha256).backend();
            if (!backendLinePrinted) {
                synchronized (this) {
                    if (!backendLinePrinted) {
                        backendLinePrinted = true;
                        progress.note("cohort: " + lines.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""));
                    }
                }
            }
            return backend;
        }
    }
}
