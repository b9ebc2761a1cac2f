package dev.eqd2sum.io.cohort;

/** Hears about a cohort's progress (progress bar, log lines). Called from worker threads, one call at a time. */
public interface CohortListener {
    default void started(int cases) {
    }

    /**
     * @param finished cases finished so far, this one included
     * @param failed   failed cases so far
     */
    default void caseFinished(CaseOutcome outcome, int finished, int failed, int cases) {
    }

    /** A line for the user about a case that is not its outcome (why --resume runs it again, say). */
    default void note(String line) {
    }
}
