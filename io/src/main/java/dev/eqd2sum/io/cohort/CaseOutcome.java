package dev.eqd2sum.io.cohort;

/**
 * How one case of a cohort ended.
 *
 * @param errorLine for a failed case the line {@code sum} prints ({@code eqd2sum: error: ...}), else null
 * @param backend   the backend that ran it, or null when it was skipped or failed
 * @param seconds   wall time of the case (hashing included), 0 when skipped
 * @param bug       the unexpected exception of an internal error (a bug), else null
 */
public record CaseOutcome(CohortCase c, Status status, String errorLine, String backend, double seconds,
                          Throwable bug) {
    public enum Status {
        /** Ran and wrote its outputs. */
        DONE,
        /** --resume: outputs of the same inputs, version and options were already there. */
        UNCHANGED,
        /** Failed; see errorLine. */
        FAILED
    }

    public boolean hasOutputs() {
        return status != Status.FAILED;
    }
}
