package dev.eqd2sum.engine.dvh;

import java.util.Objects;

/**
 * Which dose a statistic is taken of (CONTRACT, dvh.json and metrics.csv). Voxel-wise scopes are
 * statistics of a dose distribution over the structure's sample points; the summary scopes are
 * sums of per-course statistics (the clinics' hand method), for dose statistics only.
 */
public record Scope(Kind kind, String courseLabel) {

    public enum Kind {
        /** Voxel-wise sum of weighted (forgiven) EQD2: S = sum_i w_i * EQD2_i. */
        PLAN_SUM("planSum", "plan_sum"),
        /** Voxel-wise sum of EQD2 without forgiveness. */
        PLAN_SUM_UNFORGIVEN("planSumUnforgiven", "plan_sum_unforgiven"),
        /** Voxel-wise sum of physical dose. */
        PLAN_SUM_PHYSICAL("planSumPhysical", "plan_sum_physical"),
        /** sum_i w_i * (course i's EQD2 statistic). */
        SUMMARY_SUM("summarySum", "summary_sum"),
        /** sum_i (course i's EQD2 statistic). */
        SUMMARY_SUM_UNFORGIVEN("summarySumUnforgiven", "summary_sum_unforgiven"),
        /** One course's EQD2, unweighted. */
        COURSE("courses", "course"),
        /** One course's physical dose. */
        COURSE_PHYSICAL("coursesPhysical", "course_physical");

        private final String jsonKey;
        private final String csvName;

        Kind(String jsonKey, String csvName) {
            this.jsonKey = jsonKey;
            this.csvName = csvName;
        }

        /** Key in dvh.json's statistics block ({@code courses}/{@code coursesPhysical} hold maps by label). */
        public String jsonKey() {
            return jsonKey;
        }
    }

    public static final Scope PLAN_SUM = new Scope(Kind.PLAN_SUM, null);
    public static final Scope PLAN_SUM_UNFORGIVEN = new Scope(Kind.PLAN_SUM_UNFORGIVEN, null);
    public static final Scope PLAN_SUM_PHYSICAL = new Scope(Kind.PLAN_SUM_PHYSICAL, null);
    public static final Scope SUMMARY_SUM = new Scope(Kind.SUMMARY_SUM, null);
    public static final Scope SUMMARY_SUM_UNFORGIVEN = new Scope(Kind.SUMMARY_SUM_UNFORGIVEN, null);

    public Scope {
        Objects.requireNonNull(kind, "kind");
        boolean perCourse = kind == Kind.COURSE || kind == Kind.COURSE_PHYSICAL;
        if (perCourse != (courseLabel != null)) {
            throw new IllegalArgumentException(kind + (perCourse ? " needs" : " takes no") + " course label");
        }
    }

    // equals and hashCode written out, with the values the record's own would give: a record's generated ones are
    // bootstrapped through invokedynamic on first use, which the start-up cache does not keep (5-15 ms each in a
    // fresh JVM, on the path of every sum).
    @Override
    public boolean equals(Object o) {
        return o instanceof Scope s && kind == s.kind && Objects.equals(courseLabel, s.courseLabel);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(kind) * 31 + Objects.hashCode(courseLabel);
    }

    public static Scope course(String label) {
        return new Scope(Kind.COURSE, label);
    }

    public static Scope coursePhysical(String label) {
        return new Scope(Kind.COURSE_PHYSICAL, label);
    }

    /** metrics.csv's scope column: {@code plan_sum}, ..., {@code course:<label>}, {@code course_physical:<label>}. */
    public String csvName() {
        return courseLabel == null ? kind.csvName : kind.csvName + ":" + courseLabel;
    }

    /** Physical scopes have no alpha/beta (metrics.csv leaves the cell empty). */
    public boolean isPhysical() {
        return kind == Kind.PLAN_SUM_PHYSICAL || kind == Kind.COURSE_PHYSICAL;
    }

    /** Summary scopes are sums of per-course statistics, not statistics of a dose distribution. */
    public boolean isSummary() {
        return kind == Kind.SUMMARY_SUM || kind == Kind.SUMMARY_SUM_UNFORGIVEN;
    }

    @Override
    public String toString() {
        return csvName();
    }
}
