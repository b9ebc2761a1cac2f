package dev.eqd2sum.io.cohort;

/**
 * The options every case of a cohort runs with. Part of the --resume hash: a case whose outputs were made
 * with other options is run again.
 *
 * @param noDose  write no RT Dose files (the plan-sum map need not be built or encoded)
 * @param backend kernel backend asked for: auto, scalar, vector or opencl
 */
public record CaseOptions(boolean noDose, String backend) {
    /** A stable one-line description for the --resume hash. */
    public String describe() {
        return "noDose=" + noDose + " backend=" + backend;
    }
}
