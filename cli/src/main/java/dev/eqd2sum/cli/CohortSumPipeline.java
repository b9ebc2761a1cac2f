package dev.eqd2sum.cli;

import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.report.CaseResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The `sum` pipeline as one public call, for `eqd2sum cohort` (dev.eqd2sum.cli.cohort): exactly what
 * {@code eqd2sum sum CASE --out DIR} does between checking DIR and moving the result into place. It lives in
 * this package only because {@link SumCommand#runInto} and {@link CaseRunner} are package-private; it adds no
 * behaviour of its own. Under --no-dose the EQD2 maps are neither computed nor written.
 */
public final class CohortSumPipeline {
    private CohortSumPipeline() {
    }

    /**
     * Reads the case file, runs the case and writes every output `sum` writes into {@code dir}.
     *
     * @param display the case file as the user would name it (start of every error message)
     * @param err     where the pipeline's stderr lines (the backend choice) go
     * @return the result model (caseId, backend, ...)
     * @throws dev.eqd2sum.engine.InvalidInputException for bad input, as `sum` reports it
     */
    public static CaseResult runInto(Path caseFile, String display, Path dir, String backend, boolean noDose,
                                     PrintStream err) {
        return runInto(caseFile, display, dir, backend, noDose, err, new HashMap<>());
    }

    /**
     * As {@link #runInto(Path, String, Path, String, boolean, PrintStream)}, and puts the SHA-256 that the run
     * computed for each input file's provenance into {@code inputSha256} (absolute normalised path to hex).
     */
    public static CaseResult runInto(Path caseFile, String display, Path dir, String backend, boolean noDose,
                                     PrintStream err, Map<Path, String> inputSha256) {
        CaseSpec spec = CaseFileReader.read(caseFile, display);
        try {
            CaseRunner.Run run = SumCommand.runInto(spec, dir, backend, err, !noDose, false);
            inputSha256.putAll(run.inputSha256());
            return run.result();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir, e);
        }
    }
}
