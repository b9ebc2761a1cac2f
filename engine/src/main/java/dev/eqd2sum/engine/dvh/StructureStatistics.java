package dev.eqd2sum.engine.dvh;

import dev.eqd2sum.engine.lq.Eqd2;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dose statistics of one structure at one alpha/beta in every scope (CONTRACT, dvh.json):
 * the voxel-wise scopes are statistics of a dose computed at each sample point from the courses'
 * physical doses there,
 * <pre>
 *   planSum            S = sum_i w_i * EQD2(D_i, n_i, ab)
 *   planSumUnforgiven  S = sum_i EQD2(D_i, n_i, ab)
 *   planSumPhysical    S = sum_i D_i
 *   course i           EQD2(D_i, n_i, ab)        course physical i   D_i
 * </pre>
 * and the summary scopes add per-course statistics, {@code summarySum = sum_i w_i * stat(course i)},
 * for dose statistics only. Targets are never forgiven: their weights are all 1.
 */
public final class StructureStatistics {
    private final double alphaBetaGy;
    private final boolean target;
    private final List<Scope> scopes;
    private final List<DoseStatistic> statistics;
    private final Map<Scope, DoseStatistics> voxelWise = new LinkedHashMap<>();
    private final Map<Scope, Map<DoseStatistic, Double>> summary = new LinkedHashMap<>();
    private final Map<Scope, double[]> maxLocationIndex = new LinkedHashMap<>();
    private final Map<Scope, Dvh> dvhs = new LinkedHashMap<>();

    private StructureStatistics(double alphaBetaGy, boolean target, List<Scope> scopes,
                                List<DoseStatistic> statistics) {
        this.alphaBetaGy = alphaBetaGy;
        this.target = target;
        this.scopes = scopes;
        this.statistics = statistics;
    }

    /**
     * Computes {@code statistics} in every scope, and the DVH curves of {@code dvhScopes} (voxel-wise
     * scopes only; CONTRACT's dvh.json needs {@link Scope#PLAN_SUM}).
     *
     * @param courses  one per row of {@code samples.physicalGyPerCourse()}, in that order
     * @param target   true for a target structure: no course is forgiven
     * @param parallel spread sample chunks over the common fork-join pool (same results either way)
     */
    public static StructureStatistics compute(StructureDoseSamples samples, List<CourseInfo> courses,
                                              double alphaBetaGy, boolean target,
                                              Collection<DoseStatistic> statistics, Set<Scope> dvhScopes,
                                              boolean parallel) {
        return compute(samples, courses, Map.of(alphaBetaGy, statistics), target, dvhScopes, parallel)
                .get(alphaBetaGy);
    }

    /**
     * The statistics of one structure at several alpha/betas, each with its own list of statistics:
     * the same results as one {@link #compute(StructureDoseSamples, List, double, boolean, Collection,
     * Set, boolean)} per alpha/beta, but the physical scopes (planSumPhysical, each course's physical
     * dose, from which the courses' EQD2 statistics are derived) are computed once for all.
     *
     * @return one result per key of {@code statisticsByAlphaBeta}, in its iteration order
     */
    public static Map<Double, StructureStatistics> compute(StructureDoseSamples samples, List<CourseInfo> courses,
                                                           Map<Double, ? extends Collection<DoseStatistic>>
                                                                   statisticsByAlphaBeta,
                                                           boolean target, Set<Scope> dvhScopes, boolean parallel) {
        if (courses.isEmpty()) {
            throw new IllegalArgumentException("statistics need at least one course");
        }
        if (courses.size() != samples.courseCount()) {
            throw new IllegalArgumentException(courses.size() + " courses but doses of " + samples.courseCount());
        }
        if (statisticsByAlphaBeta.isEmpty()) {
            throw new IllegalArgumentException("statistics need at least one alpha/beta");
        }
        for (double alphaBetaGy : statisticsByAlphaBeta.keySet()) {
            if (!(alphaBetaGy > 0) || Double.isInfinite(alphaBetaGy)) {
                throw new IllegalArgumentException("alpha/beta must be positive: " + alphaBetaGy);
            }
        }
        Set<String> labels = new HashSet<>();
        for (CourseInfo c : courses) {
            if (!labels.add(c.label())) {
                throw new IllegalArgumentException("course label used twice: " + c.label());
            }
        }
        for (Scope s : dvhScopes) {
            if (s.isSummary()) {
                throw new IllegalArgumentException("a summary scope has no DVH: " + s);
            }
        }
        int n = courses.size();
        double[] weight = new double[n];
        double[] unit = new double[n];
        for (int c = 0; c < n; c++) {
            weight[c] = target ? 1.0 : courses.get(c).weight();
            unit[c] = 1.0;
        }
        List<Scope> scopes = new ArrayList<>(List.of(Scope.PLAN_SUM, Scope.PLAN_SUM_UNFORGIVEN,
                Scope.PLAN_SUM_PHYSICAL, Scope.SUMMARY_SUM, Scope.SUMMARY_SUM_UNFORGIVEN));
        for (CourseInfo c : courses) {
            scopes.add(Scope.course(c.label()));
        }
        for (CourseInfo c : courses) {
            scopes.add(Scope.coursePhysical(c.label()));
        }
        int m = statisticsByAlphaBeta.size();
        double[] ab = new double[m];
        StructureStatistics[] out = new StructureStatistics[m];
        List<List<DoseStatistic>> wanted = new ArrayList<>();
        Set<DoseStatistic> union = new LinkedHashSet<>();
        int k0 = 0;
        for (Map.Entry<Double, ? extends Collection<DoseStatistic>> e : statisticsByAlphaBeta.entrySet()) {
            ab[k0] = e.getKey();
            wanted.add(List.copyOf(new LinkedHashSet<>(e.getValue())));
            union.addAll(wanted.get(k0));
            out[k0] = new StructureStatistics(ab[k0], target, List.copyOf(scopes), wanted.get(k0));
            k0++;
        }
        List<DoseStatistic> all = List.copyOf(union);

        int count = samples.count();
        int withVolume = samples.withVolumeCount();
        boolean allWeightsOne = true;
        for (double w : weight) {
            allWeightsOne &= w == 1.0;
        }
        float[][] physical = samples.physicalGyPerCourse();
        double[] fractions = courses.stream().mapToDouble(CourseInfo::fractions).toArray();
        float[] volume = samples.volumeCc();
        if (n == 1) {
            float[] buffer = new float[count];
            Scope course = Scope.course(courses.get(0).label());
            for (int k = 0; k < m; k++) {
                // planSum, and its unforgiven twin when nothing is forgiven
                out[k].evaluate(Scope.PLAN_SUM, DoseDistribution.filled(eqd2Sum(physical, fractions, weight, ab[k],
                        buffer), buffer, volume, withVolume, count, parallel), samples, wanted.get(k), dvhScopes);
                if (allWeightsOne) {
                    out[k].copyScope(Scope.PLAN_SUM, Scope.PLAN_SUM_UNFORGIVEN, buffer, samples, dvhScopes, parallel);
                } else {
                    out[k].evaluate(Scope.PLAN_SUM_UNFORGIVEN, DoseDistribution.filled(eqd2Sum(physical, fractions,
                            unit, ab[k], buffer), buffer, volume, withVolume, count, parallel), samples, wanted.get(k),
                            dvhScopes);
                }
                // the buffer still holds the unforgiven sum, which is the one course's EQD2
                out[k].copyScope(Scope.PLAN_SUM_UNFORGIVEN, course, buffer, samples, dvhScopes, parallel);
            }
            evaluateShared(out, Scope.PLAN_SUM_PHYSICAL, new DoseDistribution(physical[0], volume, withVolume, count,
                    parallel),
                    all, wanted, samples, dvhScopes);
            for (StructureStatistics o : out) {
                o.copyScope(Scope.PLAN_SUM_PHYSICAL, Scope.coursePhysical(courses.get(0).label()), physical[0],
                        samples, dvhScopes, parallel);
            }
        } else {
            // One scope at a time in one buffer: beside the courses' doses the statistics hold one per-sample
            // array, not one per scope (peak memory: 2m + 1 arrays of an External's millions of samples before).
            // Each scope is filled and scanned block by block in cache as before, so its sums are the same bits.
            float[] buffer = new float[count];
            for (int k = 0; k < m; k++) {
                out[k].evaluate(Scope.PLAN_SUM, DoseDistribution.filledInBlocks(eqd2Sum(physical, fractions, weight,
                        ab[k], buffer), buffer, volume, withVolume, count, parallel), samples, wanted.get(k),
                        dvhScopes);
                if (allWeightsOne) {
                    out[k].copyScope(Scope.PLAN_SUM, Scope.PLAN_SUM_UNFORGIVEN, buffer, samples, dvhScopes, parallel);
                } else {
                    out[k].evaluate(Scope.PLAN_SUM_UNFORGIVEN, DoseDistribution.filledInBlocks(eqd2Sum(physical,
                            fractions, unit, ab[k], buffer), buffer, volume, withVolume, count, parallel), samples,
                            wanted.get(k), dvhScopes);
                }
            }
            evaluateShared(out, Scope.PLAN_SUM_PHYSICAL, DoseDistribution.filledInBlocks(physicalSum(physical, buffer),
                    buffer, volume, withVolume, count, parallel), all, wanted, samples, dvhScopes);
            for (int c = 0; c < n; c++) {
                // the buffer is free again: scratch for a course's EQD2 curve
                evaluateCourse(out, courses.get(c), DoseDistribution.filledInBlocks((from, to) -> { }, physical[c],
                        volume, withVolume, count, parallel), wanted, samples, dvhScopes, buffer, parallel);
            }
        }
        Map<Double, StructureStatistics> result = new LinkedHashMap<>();
        for (StructureStatistics o : out) {
            o.summarise(courses, weight);
            result.put(o.alphaBetaGy, o);
        }
        return result;
    }

    /** Statistics (and the DVH, if asked for) of one voxel-wise scope. */
    private void evaluate(Scope scope, DoseDistribution distribution, StructureDoseSamples samples,
                          List<DoseStatistic> wanted, Set<Scope> dvhScopes) {
        if (dvhScopes.contains(scope)) {
            dvhs.put(scope, distribution.dvh());
        }
        DoseStatistics stats = distribution.statistics(wanted);
        voxelWise.put(scope, stats);
        maxLocationIndex.put(scope, stats.maxSample() < 0 ? null : samples.indexOf(stats.maxSample()));
    }

    /**
     * A scope whose dose is the same at every alpha/beta: its statistics computed once, for the
     * union of the statistics wanted, and each result given those it asked for.
     */
    private static void evaluateShared(StructureStatistics[] out, Scope scope, DoseDistribution distribution,
                                       List<DoseStatistic> all, List<List<DoseStatistic>> wanted,
                                       StructureDoseSamples samples, Set<Scope> dvhScopes) {
        Dvh dvh = dvhScopes.contains(scope) ? distribution.dvh() : null;
        DoseStatistics stats = distribution.statistics(all);
        double[] maxAt = stats.maxSample() < 0 ? null : samples.indexOf(stats.maxSample());
        for (int k = 0; k < out.length; k++) {
            if (dvh != null) {
                out[k].dvhs.put(scope, dvh);
            }
            out[k].voxelWise.put(scope, out.length == 1 ? stats : stats.restrictedTo(wanted.get(k)));
            out[k].maxLocationIndex.put(scope, maxAt);
        }
    }

    /**
     * One course's physical scope, and its EQD2 scope from it at each alpha/beta: EQD2 rises with
     * physical dose, so the samples keep their order and each order statistic is the EQD2 of the
     * physical one (interpolated in physical dose, then converted, as DOMAIN asks), V(x Gy EQD2) is
     * the physical V at the dose whose EQD2 is x, and the mean EQD2 follows from the mean and mean
     * square: (E[D^2] / n + ab E[D]) / (2 + ab). This saves a pass over the samples per course.
     */
    private static void evaluateCourse(StructureStatistics[] out, CourseInfo course, DoseDistribution distribution,
                                       List<List<DoseStatistic>> wanted, StructureDoseSamples samples,
                                       Set<Scope> dvhScopes, float[] buffer, boolean parallel) {
        float[] physicalGy = distribution.doseGy();
        double n = course.fractions();
        List<List<DoseStatistic>> physicalWanted = new ArrayList<>();
        Set<DoseStatistic> all = new LinkedHashSet<>();
        for (int k = 0; k < out.length; k++) {
            List<DoseStatistic> w = new ArrayList<>(wanted.get(k));
            for (DoseStatistic st : wanted.get(k)) {
                if (st.kind() == DoseStatistic.Kind.VOLUME_AT_DOSE) {
                    w.add(physicalThreshold(st, n, out[k].alphaBetaGy));
                }
            }
            physicalWanted.add(w);
            all.addAll(w);
        }
        Scope physicalScope = Scope.coursePhysical(course.label());
        evaluateShared(out, physicalScope, distribution, List.copyOf(all), physicalWanted, samples, dvhScopes);
        DoseSummary summary = distribution.summary();
        for (int k = 0; k < out.length; k++) {
            StructureStatistics o = out[k];
            double ab = o.alphaBetaGy;
            DoseStatistics physical = o.voxelWise.get(physicalScope);
            DoseStatistics eqd2 = new DoseStatistics(physical.volumeCc(), physical.maxSample(), physical.minSample());
            for (DoseStatistic st : wanted.get(k)) {
                switch (st.kind()) {
                    case MAX, MIN, DOSE_AT_VOLUME_CC, DOSE_AT_VOLUME_PERCENT -> {
                        Double d = physical.value(st);
                        eqd2.put(st, StatisticUnit.GY, d == null ? null : Eqd2.eqd2(d, n, ab));
                    }
                    case MEAN -> {
                        Double mean = summary.mean();
                        eqd2.put(st, StatisticUnit.GY, mean == null ? null
                                : (summary.meanSquare() / n + ab * mean) / (2.0 + ab));
                    }
                    case VOLUME_AT_DOSE -> {
                        DoseStatistic threshold = physicalThreshold(st, n, ab);
                        eqd2.put(st, StatisticUnit.CC, physical.value(threshold, StatisticUnit.CC));
                        eqd2.put(st, StatisticUnit.PERCENT, physical.value(threshold, StatisticUnit.PERCENT));
                    }
                    case VOLUME -> eqd2.put(st, StatisticUnit.CC, physical.value(st));
                }
            }
            Scope eqd2Scope = Scope.course(course.label());
            o.voxelWise.put(eqd2Scope, eqd2);
            o.maxLocationIndex.put(eqd2Scope, o.maxLocationIndex.get(physicalScope));
            if (dvhScopes.contains(eqd2Scope)) {
                DoseDistribution.Fill fill = eqd2Sum(new float[][] {physicalGy}, new double[] {n},
                        new double[] {1.0}, ab, buffer);
                o.dvhs.put(eqd2Scope, DoseDistribution.filled(fill, buffer, samples.volumeCc(),
                        samples.withVolumeCount(), samples.count(), parallel).dvh());
            }
        }
    }

    private static DoseStatistic physicalThreshold(DoseStatistic volumeAtEqd2, double fractions, double ab) {
        return DoseStatistic.of(DoseStatistic.Kind.VOLUME_AT_DOSE,
                Eqd2.physicalDoseFor(volumeAtEqd2.parameter(), fractions, ab));
    }

    /** A scope whose dose is identical to an already evaluated one's ({@code dose} holds it). */
    private void copyScope(Scope from, Scope to, float[] dose, StructureDoseSamples samples, Set<Scope> dvhScopes,
                           boolean parallel) {
        voxelWise.put(to, voxelWise.get(from));
        maxLocationIndex.put(to, maxLocationIndex.get(from));
        if (dvhScopes.contains(to)) {
            Dvh d = dvhs.get(from);
            if (d == null) {
                d = new DoseDistribution(dose, samples.volumeCc(), samples.withVolumeCount(), samples.count(),
                        parallel).dvh();
            }
            dvhs.put(to, d);
        }
    }

    private void summarise(List<CourseInfo> courses, double[] weight) {
        Map<DoseStatistic, Double> forgiven = new LinkedHashMap<>();
        Map<DoseStatistic, Double> unforgiven = new LinkedHashMap<>();
        for (DoseStatistic st : statistics) {
            if (!st.isDose()) {
                continue;
            }
            Double sumW = 0.0, sum = 0.0;
            for (int c = 0; c < courses.size(); c++) {
                Double v = voxelWise.get(Scope.course(courses.get(c).label())).value(st);
                if (v == null) {
                    sumW = null;
                    sum = null;
                    break;
                }
                sumW += weight[c] * v;
                sum += v;
            }
            forgiven.put(st, sumW);
            unforgiven.put(st, sum);
        }
        summary.put(Scope.SUMMARY_SUM, forgiven);
        summary.put(Scope.SUMMARY_SUM_UNFORGIVEN, unforgiven);
    }

    /** Per sample: sum_c w_c * EQD2(D_c, n_c, ab), written as D * (a D + b) with the constants folded
     * (algebraically {@code w * Eqd2.eqd2(D, n, ab)}; tests hold it to that formula). */
    static DoseDistribution.Fill eqd2Sum(float[][] physical, double[] fractions, double[] weight, double ab,
                                         float[] out) {
        int n = physical.length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int c = 0; c < n; c++) {
            // w * EQD2 = w * D * (D / n + ab) / (2 + ab)  (Eqd2.eqd2)
            a[c] = weight[c] / (fractions[c] * (2.0 + ab));
            b[c] = weight[c] * ab / (2.0 + ab);
        }
        return (from, to) -> {
            if (n == 1) {
                float[] d0 = physical[0];
                double a0 = a[0], b0 = b[0];
                for (int p = from; p < to; p++) {
                    double d = d0[p];
                    out[p] = (float) (d * (a0 * d + b0));
                }
            } else if (n == 2) {
                float[] d0 = physical[0], d1 = physical[1];
                double a0 = a[0], b0 = b[0], a1 = a[1], b1 = b[1];
                for (int p = from; p < to; p++) {
                    double x = d0[p], y = d1[p];
                    out[p] = (float) (x * (a0 * x + b0) + y * (a1 * y + b1));
                }
            } else {
                for (int p = from; p < to; p++) {
                    double s = 0;
                    for (int c = 0; c < n; c++) {
                        double d = physical[c][p];
                        s += d * (a[c] * d + b[c]);
                    }
                    out[p] = (float) s;
                }
            }
        };
    }

    static DoseDistribution.Fill physicalSum(float[][] physical, float[] out) {
        if (physical.length == 2) {
            // the usual prior + current, as a flat loop the compiler vectorises (same additions from 0)
            float[] d0 = physical[0], d1 = physical[1];
            return (from, to) -> {
                for (int p = from; p < to; p++) {
                    double s = 0;
                    s += d0[p];
                    s += d1[p];
                    out[p] = (float) s;
                }
            };
        }
        return (from, to) -> {
            for (int p = from; p < to; p++) {
                double s = 0;
                for (float[] course : physical) {
                    s += course[p];
                }
                out[p] = (float) s;
            }
        };
    }

    /** Scopes in CONTRACT order: plan sums, summary sums, then each course's EQD2 and physical dose. */
    public List<Scope> scopes() {
        return scopes;
    }

    public List<DoseStatistic> statistics() {
        return statistics;
    }

    public double alphaBetaGy() {
        return alphaBetaGy;
    }

    public boolean target() {
        return target;
    }

    /** Volume of the structure inside the output grid (the sum of its sample volumes), cc. */
    public double volumeCc() {
        return voxelWise.get(Scope.PLAN_SUM).volumeCc();
    }

    /** Whether a value exists for this pair: summary scopes hold dose statistics only. */
    public boolean has(DoseStatistic statistic, Scope scope) {
        if (scope.isSummary()) {
            return statistic.isDose() && summary.get(scope).containsKey(statistic);
        }
        DoseStatistics s = voxelWise.get(scope);
        return s != null && s.has(statistic);
    }

    /** The value, or null when undefined (e.g. D2cc of a 1 cc structure). */
    public Double value(DoseStatistic statistic, StatisticUnit unit, Scope scope) {
        if (!has(statistic, scope)) {
            throw new IllegalArgumentException(statistic + " has no value in scope " + scope);
        }
        if (scope.isSummary()) {
            if (unit != StatisticUnit.GY) {
                throw new IllegalArgumentException(statistic + " is in Gy, not " + unit.symbol());
            }
            return summary.get(scope).get(statistic);
        }
        return voxelWise.get(scope).value(statistic, unit);
    }

    public Double value(DoseStatistic statistic, Scope scope) {
        return value(statistic, statistic.units().get(0), scope);
    }

    /**
     * Where the maximum of a voxel-wise scope lies, as continuous output-grid indices (i, j, k)
     * (the caller maps them to mm); null for summary scopes or a structure without samples.
     */
    public double[] maxLocationIndex(Scope scope) {
        double[] at = maxLocationIndex.get(scope);
        return at == null ? null : at.clone();
    }

    /** The DVH curve of a scope named in {@code dvhScopes}, else null. */
    public Dvh dvh(Scope scope) {
        return dvhs.get(scope);
    }
}
