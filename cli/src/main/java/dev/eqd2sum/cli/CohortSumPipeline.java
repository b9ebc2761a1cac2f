package dev.eqd2sum.cli;

import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.report.CaseResult;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

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
        CaseSpec spec = CaseFileReader.read(caseFile, display);
        try {
            return SumCommand.runInto(spec, dir, backend, err, !noDose).result();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir, e);
        }
    }
}
