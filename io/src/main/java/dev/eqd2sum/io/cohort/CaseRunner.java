package dev.eqd2sum.io.cohort;

import java.nio.file.Path;

/**
 * Runs one case of a cohort: the same work as {@code eqd2sum sum CASE --out DIR}, writing metrics.csv,
 * constraints.json (and the rest) into {@code outDir}. Bad input is an
 * {@link dev.eqd2sum.engine.InvalidInputException} whose message is the case's line in failures.csv. Runs on
 * several threads at once, one case each.
 */
@FunctionalInterface
public interface CaseRunner {
    /**
     * @param c       the case
     * @param outDir  an existing, empty folder for the case's outputs
     * @param options the cohort's options
     * @return the kernel backend that ran the case (for cohort.json)
     */
    String run(CohortCase c, Path outDir, CaseOptions options);
}
