package dev.eqd2sum.io.cohort;

import java.nio.file.Path;
import java.util.Map;

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

    /**
     * As {@link #run(CohortCase, Path, CaseOptions)}, and reports the SHA-256 of the input files the case read
     * (its provenance digests) into {@code inputSha256}: absolute normalised path to lower-case hex, of the
     * bytes the case actually used. The cohort's {@code --resume} record then hashes only the referenced files
     * missing there, instead of reading every input a second time. Runners that hash nothing report nothing.
     */
    default String run(CohortCase c, Path outDir, CaseOptions options, Map<Path, String> inputSha256) {
        return run(c, outDir, options);
    }
}
