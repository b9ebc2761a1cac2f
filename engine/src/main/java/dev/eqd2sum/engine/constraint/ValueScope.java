package dev.eqd2sum.engine.constraint;

/** The dose distributions a constraint's value may be read from (dvh.json statistic scopes). */
public enum ValueScope {
    /** The current course alone, EQD2, unweighted. */
    CURRENT_COURSE,
    /** Voxel-wise EQD2 plan sum with forgiveness (normal tissue only). */
    PLAN_SUM,
    /** Voxel-wise EQD2 plan sum without forgiveness. */
    PLAN_SUM_UNFORGIVEN,
    /** Sum over courses of the weighted EQD2 of each course's own statistic. */
    SUMMARY_SUM,
    /** Sum over courses of the unweighted EQD2 of each course's own statistic. */
    SUMMARY_SUM_UNFORGIVEN
}
