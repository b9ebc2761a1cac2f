package dev.eqd2sum.engine.dvh;

import dev.eqd2sum.engine.dvh.DoseVolumeNodes.Group;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * One dose distribution over a structure's weighted samples ({@code doseGy[p]} standing for
 * {@code volumeCc[p]}), and everything computed from it: the order-free statistics, DVH curves, and
 * dose-at-volume / volume-at-dose by the interpolated relation of {@link DoseVolumeNodes}.
 *
 * <p>Samples are processed in fixed chunks whose accumulators are merged in chunk order, so results
 * are bitwise the same with or without {@code parallel}. Dose-at-volume avoids sorting all samples:
 * a histogram of the doses' ordered float bits locates the bin each query falls in, only that
 * bin's samples are collected (for all queries in one pass), refined by sub-histograms while many,
 * then sorted (bucket/radix selection, as in Alabi et al., "Fast k-selection algorithms for graphics
 * processing units", ACM JEA 17, 2012), which gives exactly the answer of sorting everything.
 *
 * <p>The arrays are read, never written, and must not change while this object is used.
 */
public final class DoseDistribution {
    static final int CHUNK = 1 << 18;
    static final int REFINE_BINS = 1024;
    /** Below this many samples a query sorts its samples directly. */
    static final int LEAF = 1 << 11;
    /** Relative slack when a requested volume equals the structure's (summing floats is inexact). */
    static final double VOLUME_SLACK = 1e-6;

    private final float[] doseGy;
    private final float[] volumeCc;
    /** The samples that shape the dose-volume curve: [0, count). */
    private final int count;
    /** Samples [count, extremesTo) carry no volume and count for the minimum and maximum only. */
    private final int extremesTo;
    /**
     * The curve's end points from those samples, when they reach beyond the others: the maximum at 0 cc, the minimum
     * at the whole volume (null otherwise), so that D0cc is Dmax and D100% Dmin.
     */
    private DoseVolumeNodes.Group topEnd, bottomEnd;
    private final boolean parallel;
    private DoseSummary summary;
    private OrderedHistogram bins;
    /**
     * Samples per bin of {@link #bins} in each {@link #CHUNK} (null: one chunk), from the first pass: where each
     * chunk's samples of a bin go when the bin's samples are collected, so they are written once, in place.
     */
    private int[][] chunkBinCounts;
    /** Samples at exactly 0 Gy (either sign), from the first pass. */
    private long zeroCount;
    private DoseHistogram dvhHistogram;

    /** Samples [0, count), each a point of the dose-volume curve. */
    public DoseDistribution(float[] doseGy, float[] volumeCc, int count, boolean parallel) {
        this(doseGy, volumeCc, count, count, parallel);
    }

    /**
     * Samples [0, count), of which those from {@code withVolume} on carry no volume and count for the minimum and
     * maximum (and their samples) only: they are not points of the dose-volume curve, which the samples
     * [0, withVolume) make. A structure's samples without volume (contour vertices and crossings, nodes) mark
     * where its extremes can lie; as points of the curve they would each pin it to their dose at one volume.
     */
    public DoseDistribution(float[] doseGy, float[] volumeCc, int withVolume, int count, boolean parallel) {
        if (count < 0 || withVolume < 0 || withVolume > count || doseGy.length < count || volumeCc.length < count) {
            throw new IllegalArgumentException("sample arrays shorter than count " + count);
        }
        this.doseGy = doseGy;
        this.volumeCc = volumeCc;
        this.count = withVolume;
        this.extremesTo = count;
        this.parallel = parallel;
    }

    /** Every sample, those that count for the extremes only included. */
    public int count() {
        return extremesTo;
    }

    /** Fills {@code doseGy[from, to)} (e.g. converts physical dose there). */
    interface Fill {
        void run(int from, int to);
    }

    /**
     * A distribution whose doses {@code fill} writes into {@code doseGy} chunk by chunk, each chunk
     * scanned while it is still in cache (one pass over memory instead of two).
     */
    static DoseDistribution filled(Fill fill, float[] doseGy, float[] volumeCc, int count, boolean parallel) {
        return filled(fill, doseGy, volumeCc, count, count, parallel, CHUNK);
    }

    /** As {@link #filled(Fill, float[], float[], int, boolean)}, samples [withVolume, count) for the extremes only. */
    static DoseDistribution filled(Fill fill, float[] doseGy, float[] volumeCc, int withVolume, int count,
                                   boolean parallel) {
        return filled(fill, doseGy, volumeCc, withVolume, count, parallel, CHUNK);
    }

    /** Samples per block of {@link #filledInBlocks} (a block of doses and volumes stays in L2). */
    static final int BLOCK = 1 << 12;

    /**
     * As {@link #filled}, but filled and scanned {@link #BLOCK} samples at a time: the summary's sums are
     * grouped per block (the plan-sum scopes of several courses have always been summed so).
     */
    static DoseDistribution filledInBlocks(Fill fill, float[] doseGy, float[] volumeCc, int count, boolean parallel) {
        return filled(fill, doseGy, volumeCc, count, count, parallel, BLOCK);
    }

    /** As {@link #filledInBlocks(Fill, float[], float[], int, boolean)}, samples [withVolume, count) for the extremes only. */
    static DoseDistribution filledInBlocks(Fill fill, float[] doseGy, float[] volumeCc, int withVolume, int count,
                                           boolean parallel) {
        return filled(fill, doseGy, volumeCc, withVolume, count, parallel, BLOCK);
    }

    /**
     * Filled and scanned {@code block} samples at a time within each chunk (a chunk is at most one block of CHUNK);
     * then the samples for the extremes only, filled and scanned at once.
     */
    private static DoseDistribution filled(Fill fill, float[] doseGy, float[] volumeCc, int withVolume, int count,
                                           boolean parallel, int block) {
        DoseDistribution d = new DoseDistribution(doseGy, volumeCc, withVolume, count, parallel);
        d.adopt(chunks(d.count, parallel, Scan::new, (a, from, to) -> {
            for (int b = from; b < to; b += block) {
                int e = Math.min(to, b + block);
                fill.run(b, e);
                a.acceptRange(doseGy, volumeCc, b, e);
            }
            return a;
        }));
        if (d.extremesTo > d.count) {
            fill.run(d.count, d.extremesTo);
        }
        d.acceptExtremes();
        return d;
    }

    /**
     * Takes the samples for the extremes only into the summary; where they reach beyond the curve's samples, their
     * maximum and minimum become the curve's end points (a peak on the outline: D(0 cc) is the peak, and the curve
     * falls from it to the first node).
     */
    private void acceptExtremes() {
        if (extremesTo == count) {
            return;
        }
        DoseSummary tail = new DoseSummary().acceptRange(doseGy, volumeCc, count, extremesTo);
        if (count > 0) {
            if (tail.max() > summary.max()) {
                topEnd = new DoseVolumeNodes.Group(tail.max(), 0);
            }
            if (tail.min() < summary.min()) {
                bottomEnd = new DoseVolumeNodes.Group(tail.min(), 0);
            }
        }
        summary.combine(tail);
    }

    /** Takes the first pass's results from its chunks' parts. */
    private void adopt(List<Scan> parts) {
        chunkBinCounts = countsPerChunk(parts, Scan::counts);
        Scan scan = merged(parts, Scan::combine).finish();
        summary = scan.summary;
        zeroCount = scan.zeros;
        bins = scan.bins;
    }

    /** The doses (read only). */
    float[] doseGy() {
        return doseGy;
    }

    /** Minimum, maximum (with their samples), mean and volume. */
    public DoseSummary summary() {
        if (summary == null) {
            adopt(chunks(count, parallel, Scan::new, (a, from, to) -> a.acceptRange(doseGy, volumeCc, from, to)));
            acceptExtremes();
        }
        return summary;
    }

    /** The first pass: summary and range-free bins together, so the doses are read once. */
    private static final class Scan {
        final DoseSummary summary = new DoseSummary();
        final OrderedHistogram bins = OrderedHistogram.rangeFree();
        // odd samples go to a second histogram: neighbouring samples often share a bin, and one
        // array would make each addition wait for the previous one's store
        private final OrderedHistogram odd = OrderedHistogram.rangeFree();
        long zeros;

        Scan acceptRange(float[] dose, float[] volume, int from, int to) {
            if (to <= from) {
                return this;
            }
            float mx = Float.NEGATIVE_INFINITY, mn = Float.POSITIVE_INFINITY;
            int mxs = from, mns = from;
            double dv = 0, ddv = 0, v = 0;
            int z = 0;
            double[] volumeA = bins.volume, volumeB = odd.volume;
            int[] countA = bins.count, countB = odd.count;
            for (int p = from; p < to; p++) {
                float d = dose[p];
                float w = volume[p];
                if (d > mx) {
                    mx = d;
                    mxs = p;
                }
                if (d < mn) {
                    mn = d;
                    mns = p;
                }
                z += d == 0f ? 1 : 0;
                double dw = (double) d * w;
                dv += dw;
                ddv += dw * d;
                v += w;
                int b = OrderedHistogram.fixedBinOf(d);
                if ((p & 1) == 0) {
                    volumeA[b] += w;
                    countA[b]++;
                } else {
                    volumeB[b] += w;
                    countB[b]++;
                }
            }
            summary.combine(DoseSummary.part(mn, mns, mx, mxs, to - from, dv, ddv, v));
            zeros += z;
            return this;
        }

        Scan combine(Scan other) {
            summary.combine(other.summary);
            zeros += other.zeros;
            bins.combine(other.bins);
            odd.combine(other.odd);
            return this;
        }

        /** Samples per bin, the odd ones included (a new array; before {@link #finish}). */
        int[] counts() {
            int[] c = bins.count.clone();
            int[] oddCounts = odd.count;
            for (int b = 0; b < c.length; b++) {
                c[b] += oddCounts[b];
            }
            return c;
        }

        /** Folds the odd samples' bins in; call once, after the last combine. */
        Scan finish() {
            bins.combine(odd);
            return this;
        }
    }

    /** The cumulative DVH with {@link Dvh#DEFAULT_BIN_GY} bins (wider only for absurdly high doses). */
    public Dvh dvh() {
        DoseHistogram h = dvhHistogram();
        int n = h.binCount();
        double total = summary().volumeCc();
        // nearest non-empty bin below each bin
        int[] nonEmptyBelow = new int[n + 1];
        int last = -1;
        for (int b = 0; b <= n; b++) {
            nonEmptyBelow[b] = last;
            if (b < n && !h.isEmpty(b)) {
                last = b;
            }
        }
        double[] dose = new double[n + 1];
        double[] volume = new double[n + 1];
        long hundredths = Math.round(h.binGy() * 100);
        int upper = -1;       // nearest non-empty bin at or above b
        double above = 0;     // volume of bins >= b
        for (int b = n; b >= 0; b--) {
            if (b < n) {
                above += h.volumeCc(b);
                if (!h.isEmpty(b)) {
                    upper = b;
                }
            }
            double edge = b * hundredths / 100.0;
            dose[b] = edge;
            int lower = nonEmptyBelow[b];
            // beyond the samples that carry volume, the curve's end points (the extremes of those that carry none)
            boolean toTop = upper < 0 && topEnd != null && lower >= 0 && edge < topEnd.doseGy();
            boolean toBottom = lower < 0 && bottomEnd != null && upper >= 0 && edge > bottomEnd.doseGy();
            if (upper < 0 && !toTop) {
                volume[b] = 0;
            } else if (lower < 0 && !toBottom) {
                volume[b] = total;
            } else {
                double dU = toTop ? topEnd.doseGy() : h.minDose(upper);
                double dL = toBottom ? bottomEnd.doseGy() : h.maxDose(lower);
                double pU = toTop ? 0 : above - h.minGroupVolumeCc(upper) / 2;
                double pL = toBottom ? total : above + h.maxGroupVolumeCc(lower) / 2;
                double t = dU > dL ? Math.clamp((dU - edge) / (dU - dL), 0.0, 1.0) : 0.0;
                volume[b] = Math.clamp(pU + (pL - pU) * t, 0.0, total);
            }
        }
        return new Dvh(hundredths / 100.0, dose, volume, total);
    }

    /** Computes the given statistics in one go (the histogram and sample passes are shared). */
    public DoseStatistics statistics(Collection<DoseStatistic> wanted) {
        DoseSummary s = summary();
        double total = s.volumeCc();
        DoseStatistics out = new DoseStatistics(total, s.maxSample(), s.minSample());
        List<Query> queries = new ArrayList<>();
        for (DoseStatistic st : wanted) {
            switch (st.kind()) {
                case MAX -> out.put(st, StatisticUnit.GY, s.max());
                case MIN -> out.put(st, StatisticUnit.GY, s.min());
                case MEAN -> out.put(st, StatisticUnit.GY, s.mean());
                case VOLUME -> out.put(st, StatisticUnit.CC, total);
                case DOSE_AT_VOLUME_CC, DOSE_AT_VOLUME_PERCENT -> {
                    double x = st.kind() == DoseStatistic.Kind.DOSE_AT_VOLUME_CC
                            ? st.parameter() : st.parameter() / 100.0 * total;
                    boolean undefined = count == 0 || x > total * (1 + VOLUME_SLACK)
                            || (st.kind() == DoseStatistic.Kind.DOSE_AT_VOLUME_PERCENT && !(total > 0));
                    if (undefined) {
                        out.put(st, StatisticUnit.GY, null);
                    } else {
                        queries.add(new Query(st, true, Math.min(x, total)));
                    }
                }
                case VOLUME_AT_DOSE -> {
                    double e = st.parameter();
                    if (count == 0 || e > s.max()) {
                        putVolume(out, st, 0.0, total);
                    } else if (e <= s.min()) {
                        putVolume(out, st, total, total);
                    } else {
                        queries.add(new Query(st, false, e));
                    }
                }
            }
        }
        if (!queries.isEmpty()) {
            resolveAll(queries, total);
            for (Query q : queries) {
                if (q.doseAtVolume) {
                    out.put(q.statistic, StatisticUnit.GY, q.result);
                } else {
                    putVolume(out, q.statistic, Math.clamp(q.result, 0.0, total), total);
                }
            }
        }
        return out;
    }

    /** Minimum dose in the hottest {@code volumeCc}, or null when the structure is smaller. */
    public Double doseAtVolumeCc(double volumeCc) {
        DoseStatistic st = DoseStatistic.of(DoseStatistic.Kind.DOSE_AT_VOLUME_CC, volumeCc);
        return statistics(List.of(st)).value(st);
    }

    /** Volume (cc) receiving at least {@code doseGy}. */
    public double volumeAtDoseCc(double doseGy) {
        DoseStatistic st = DoseStatistic.of(DoseStatistic.Kind.VOLUME_AT_DOSE, doseGy);
        return statistics(List.of(st)).value(st, StatisticUnit.CC);
    }

    private static void putVolume(DoseStatistics out, DoseStatistic st, double cc, double total) {
        out.put(st, StatisticUnit.CC, cc);
        out.put(st, StatisticUnit.PERCENT, total > 0 ? cc / total * 100.0 : null);
    }

    private static final class Query {
        final DoseStatistic statistic;
        final boolean doseAtVolume;  // else volume at dose
        final double argument;       // cc, or Gy
        double result;
        int bin;
        int above;
        int below;
        double volumeAbove;

        Query(DoseStatistic statistic, boolean doseAtVolume, double argument) {
            this.statistic = statistic;
            this.doseAtVolume = doseAtVolume;
            this.argument = argument;
        }
    }

    private void resolveAll(List<Query> queries, double total) {
        summary();
        if (count <= LEAF) {
            DoseVolumeNodes nodes = DoseVolumeNodes.window(doseGy, volumeCc, count, 0, topEnd, bottomEnd);
            for (Query q : queries) {
                q.result = answer(q, nodes, total);
            }
            return;
        }
        OrderedHistogram h = bins;
        BinCandidates wanted = new BinCandidates(h);
        // the range-free bins span every float: the queries need not walk the empty ones above the maximum
        int top = h.binCount() - 1;
        while (top > 0 && h.count[top] == 0) {
            top--;
        }
        List<Query> open = new ArrayList<>();
        for (Query q : queries) {
            locate(q, h, 0, top);
            if (inTheZeroPlateau(q, h, total)) {
                q.result = 0.0;
                continue;
            }
            open.add(q);
            if (!heavy(h, q.bin)) {
                wanted.want(q.bin, true);
            }
            wanted.want(q.above, false);
            wanted.want(q.below, false);
        }
        if (open.isEmpty()) {
            return;
        }
        queries = open;
        // The samples at 0 Gy with the structure's usual volume (a voxel's: most of an External lies outside
        // every field) are counted, not collected; a middle sample's volume is likely a whole voxel's.
        wanted.countZeros = true;
        wanted.zeroVolume = volumeCc[count / 2];
        wanted.placeInChunkOrder(chunkBinCounts);
        BinCandidates found = reduce(wanted::emptyCopy, (a, from, to) -> a.acceptChunk(doseGy, volumeCc, from, to),
                BinCandidates::combine);
        for (List<Query> group : byBin(queries)) {
            Query q = group.get(0);
            // beyond the first and the last bin with samples: the curve's end points, if any
            Group above = q.above < 0 ? topEnd : found.minGroup(q.above);
            Group below = q.below < 0 ? bottomEnd : found.maxGroup(q.below);
            if (heavy(h, q.bin)) {
                refine(group, doseGy, volumeCc, count, q.bin, q.volumeAbove, above, below, total, parallel);
                continue;
            }
            int slot = found.slotOfBin[q.bin];
            ZeroVolumes zeros = found.zeros[slot];
            if (zeros == null || zeros.size == 0) {
                refine(group, found.dose[slot], found.volume[slot], found.size[slot], -1, q.volumeAbove, above,
                        below, total, parallel);
            } else {
                refineWithZeros(group, found.dose[slot], found.volume[slot], found.size[slot], zeros,
                        q.volumeAbove, above, below, total, parallel);
            }
        }
    }

    /**
     * A dose at a volume that lies past the middle of the 0 Gy samples, when bin 0 holds nothing else (no
     * negative or subnormal dose): the nodes of the sort-based path end with the 0 Gy group's node there, so its
     * answer is exactly 0 whatever the last bits of that group's volume (the bin's volume from the first pass
     * stands in for it, with a margin far above the rounding of either sum). No pass over the samples is
     * needed for it (an External's D95%: most of its volume is outside every field).
     */
    private boolean inTheZeroPlateau(Query q, OrderedHistogram h, double total) {
        if (!q.doseAtVolume || q.bin != 0 || zeroCount == 0 || zeroCount != h.count[0] || bottomEnd != null) {
            return false;
        }
        double margin = 8.0 * count * Math.ulp(1.0) * total;
        return q.argument >= q.volumeAbove + h.volume[0] / 2 + margin;
    }

    /**
     * A bin (not bin 0, whose zeros are counted instead) holding at least half of the samples, as a structure
     * whose doses span a few percent does: refined where the samples lie, by filtering on the bin, rather than
     * copied out first.
     */
    private boolean heavy(OrderedHistogram h, int bin) {
        return bin > 0 && 2L * h.count[bin] >= count;
    }

    /**
     * A bin whose collected samples leave out its 0 Gy samples, counted by volume in {@code zeros}. When every
     * sample of the bin is at 0 Gy (the usual case: the External's unirradiated part) the bin is one group,
     * whose volume is summed in the order the sort-based path sums it, without storing or sorting the zeros.
     * Else (0 Gy shares the bin with other doses, e.g. negative ones) the zeros are put back and the bin refined
     * as usual (the same answer, its volumes summed in another order).
     */
    private static void refineWithZeros(List<Query> queries, float[] d, float[] v, int n, ZeroVolumes zeros,
                                        double volumeAbove, Group above, Group below, double total,
                                        boolean parallel) {
        boolean onlyZeros = true;
        for (int p = 0; p < n && onlyZeros; p++) {
            onlyZeros = d[p] == 0f;
        }
        if (onlyZeros) {
            DoseVolumeNodes nodes = DoseVolumeNodes.singleDose(0f, v, n, zeros.bits, zeros.counts, zeros.size,
                    volumeAbove, above, below);
            for (Query q : queries) {
                q.result = answer(q, nodes, total);
            }
            return;
        }
        int all = Math.toIntExact(n + zeros.total);
        float[] dAll = Arrays.copyOf(d, all);
        float[] vAll = Arrays.copyOf(v, all);
        int at = n;
        for (int e = 0; e < zeros.size; e++) {
            int to = Math.toIntExact(at + zeros.counts[e]);
            Arrays.fill(vAll, at, to, Float.intBitsToFloat(zeros.bits[e]));
            at = to;
        }
        refine(queries, dAll, vAll, all, -1, volumeAbove, above, below, total, parallel);
    }

    /**
     * Queries grouped by the bin they fall in: a group shares the bin's samples, the volume above
     * and the neighbouring groups, so it is refined and sorted once (D0.03cc, D0.1cc and D1cc
     * usually fall in the same bin).
     */
    private static Collection<List<Query>> byBin(List<Query> queries) {
        Map<Integer, List<Query>> groups = new LinkedHashMap<>();
        for (Query q : queries) {
            groups.computeIfAbsent(q.bin, b -> new ArrayList<>()).add(q);
        }
        return groups.values();
    }

    private static double answer(Query q, DoseVolumeNodes nodes, double total) {
        return q.doseAtVolume ? nodes.doseAtVolume(q.argument) : nodes.volumeAtDose(q.argument, total);
    }

    /**
     * Finds the bin a query falls in, the nearest non-empty bins around it, and the volume above it;
     * bins above {@code top} are empty.
     */
    private static void locate(Query q, OrderedHistogram h, double volumeAboveRange, int top) {
        int bin = -1;
        if (q.doseAtVolume) {
            double c = volumeAboveRange;
            for (int b = top; b >= 0; b--) {
                if (h.count[b] == 0) {
                    continue;
                }
                bin = b;
                if (q.argument <= c + h.volume[b]) {
                    break;
                }
                c += h.volume[b];
            }
        } else {
            bin = h.binOf(q.argument);
        }
        double above = volumeAboveRange;
        q.above = -1;
        for (int b = top; b > bin; b--) {
            above += h.volume[b];
            if (h.count[b] > 0) {
                q.above = b;
            }
        }
        q.below = -1;
        for (int b = bin - 1; b >= 0; b--) {
            if (h.count[b] > 0) {
                q.below = b;
                break;
            }
        }
        q.bin = bin;
        q.volumeAbove = above;
    }

    /**
     * Narrows queries sharing a bin to their samples by sub-histograms until few enough to sort; a sub-bin that can
     * hold only one dose (one float wide, or the lowest dose's own when many samples share it) is counted by volume
     * where the samples lie instead of collected (see {@link #oneDose}). Its passes over more than one
     * {@link #CHUNK} of samples (a heavy bin's range, sub-histogram and candidates: every sample of the structure)
     * run in fixed chunks merged in chunk order, in parallel when {@code parallel}: the same bits either way.
     *
     * @param inBin -1: the bin's samples are {@code d, v [0, n)}; else they are those of {@code [0, n)} in this
     *              bin of the range-free histogram (the same samples in the same order as collected ones)
     */
    private static void refine(List<Query> queries, float[] d, float[] v, int n, int inBin, double volumeAbove,
                               Group above, Group below, double total, boolean parallel) {
        Range r = reduce(n, parallel, () -> Range.EMPTY, (a, from, to) -> Range.of(d, from, to, inBin),
                Range::combine).settleZeros(d, n, inBin);
        float lo = r.lo, hi = r.hi;
        int size = r.size;
        if (size > LEAF && lo == hi) {
            DoseVolumeNodes nodes = oneDose(d, v, n, inBin, lo, volumeAbove, above, below);
            if (nodes != null) {
                for (Query q : queries) {
                    q.result = answer(q, nodes, total);
                }
                return;
            }
        }
        if (size <= LEAF || lo == hi) {
            float[] dIn = d, vIn = v;
            if (inBin >= 0) {
                dIn = new float[size];
                vIn = new float[size];
                int m = 0;
                for (int p = 0; p < n; p++) {
                    if (OrderedHistogram.fixedBinOf(d[p]) == inBin) {
                        dIn[m] = d[p];
                        vIn[m++] = v[p];
                    }
                }
            }
            DoseVolumeNodes nodes = DoseVolumeNodes.window(dIn, vIn, inBin >= 0 ? size : n, volumeAbove, above, below);
            for (Query q : queries) {
                q.result = answer(q, nodes, total);
            }
            return;
        }
        // Most of the samples at the lowest dose (a plateau, e.g. a prior course's low dose over a whole External):
        // that dose gets a sub-bin of its own, so its samples are counted below rather than copied and refined.
        boolean bottomAlone = r.atLo > LEAF && lo < hi;
        OrderedHistogram empty = new OrderedHistogram(lo, hi, REFINE_BINS, bottomAlone);
        List<OrderedHistogram> parts = chunks(n, parallel, empty::emptyCopy,
                (a, from, to) -> a.acceptRange(d, v, from, to, inBin));
        int[][] chunkCounts = countsPerChunk(parts, part -> part.count.clone());
        OrderedHistogram h = merged(parts, OrderedHistogram::combine);
        BinCandidates wanted = new BinCandidates(h);
        for (Query q : queries) {
            locate(q, h, volumeAbove, h.binCount() - 1);
            wanted.want(q.above, false);
            wanted.want(q.below, false);
        }
        Collection<List<Query>> groups = byBin(queries);
        Map<Integer, CountedVolumes> singleDose = new LinkedHashMap<>();
        for (List<Query> group : groups) {
            int bin = group.get(0).bin;
            // a sub-bin of one dose, with more samples than a sort would take: the samples' volumes counted in place
            // (as the collected bin's refinement would count them, one level down) instead of copied out
            CountedVolumes counted = h.count[bin] > LEAF && h.singleDose(bin)
                    ? countVolumes(d, v, n, -1, true, Float.floatToRawIntBits(h.doseOfSingleDoseBin(bin))) : null;
            if (counted != null) {
                singleDose.put(bin, counted);
            } else {
                wanted.want(bin, true);
            }
        }
        wanted.placeInChunkOrder(chunkCounts);
        BinCandidates c = reduce(n, parallel, wanted::emptyCopy, (a, from, to) -> a.acceptChunk(d, v, from, to, inBin),
                BinCandidates::combine);
        for (List<Query> group : groups) {
            Query q = group.get(0);
            Group newAbove = q.above >= 0 ? c.minGroup(q.above) : above;
            Group newBelow = q.below >= 0 ? c.maxGroup(q.below) : below;
            CountedVolumes counted = singleDose.get(q.bin);
            if (counted != null) {
                DoseVolumeNodes nodes = counted.nodes(h.doseOfSingleDoseBin(q.bin), q.volumeAbove, newAbove, newBelow);
                for (Query each : group) {
                    each.result = answer(each, nodes, total);
                }
                continue;
            }
            int slot = c.slotOfBin[q.bin];
            refine(group, c.dose[slot], c.volume[slot], c.size[slot], -1, q.volumeAbove, newAbove, newBelow, total,
                    parallel);
        }
    }

    /**
     * The lowest and highest of the samples {@code d[0, n)} (of bin {@code inBin} of the range-free histogram
     * only, unless -1) exactly as {@code Math.min} and {@code Math.max} fold them (NaN wins; -0 is below +0),
     * and how many there are. Plain comparisons, with the rare signed zeros settled afterwards: a single case
     * runs on C1, which runs {@code Math}'s float min and max (their NaN and -0 rules) about 2.7 times slower,
     * and this pass goes over every sample of a heavy bin. {@code atLo} counts the samples equal to {@code lo} as
     * floats compare (either zero for a zero); with NaN it is 0.
     */
    record Range(float lo, float hi, int size, int atLo) {
        static final Range EMPTY = new Range(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0);

        static Range of(float[] d, int n, int inBin) {
            return of(d, 0, n, inBin).settleZeros(d, n, inBin);
        }

        /** Of {@code d[from, to)}, the signed zeros not yet settled (see {@link #settleZeros}). */
        static Range of(float[] d, int from, int to, int inBin) {
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            boolean nan = false;
            int size = 0;
            int atLo = 0;
            for (int p = from; p < to; p++) {
                float x = d[p];
                if (inBin < 0 || OrderedHistogram.fixedBinOf(x) == inBin) {
                    if (x < lo) {
                        lo = x;
                        atLo = 0;
                    }
                    if (x == lo) {
                        atLo++;
                    }
                    if (x > hi) {
                        hi = x;
                    }
                    nan |= x != x;
                    size++;
                }
            }
            return nan ? new Range(Float.NaN, Float.NaN, size, 0) : new Range(lo, hi, size, atLo);
        }

        /** Parts of consecutive samples merged: NaN wins, the rest is exact whatever the order. */
        Range combine(Range other) {
            boolean nan = Float.isNaN(lo) || Float.isNaN(other.lo);
            if (nan) {
                return new Range(Float.NaN, Float.NaN, size + other.size, 0);
            }
            int atLowest = lo < other.lo ? atLo : other.lo < lo ? other.atLo : atLo + other.atLo;
            return new Range(lo < other.lo ? lo : other.lo, hi > other.hi ? hi : other.hi, size + other.size,
                    atLowest);
        }

        /**
         * The range of all of {@code d[0, n)} with a zero end given the sign {@code Math.min} or {@code max} would
         * have folded to (comparisons do not tell -0 from +0); this range unchanged unless an end is 0.
         */
        Range settleZeros(float[] d, int n, int inBin) {
            float lo = this.lo, hi = this.hi;
            if (lo == 0f || hi == 0f) {
                // Math.min gives -0 when any -0 was folded in, Math.max +0 when any +0 was
                boolean negativeZero = false, positiveZero = false;
                for (int p = 0; p < n; p++) {
                    float x = d[p];
                    if (x == 0f && (inBin < 0 || OrderedHistogram.fixedBinOf(x) == inBin)) {
                        if (Float.floatToRawIntBits(x) == 0) {
                            positiveZero = true;
                        } else {
                            negativeZero = true;
                        }
                    }
                }
                if (lo == 0f) {
                    lo = negativeZero ? -0f : 0f;
                }
                if (hi == 0f) {
                    hi = positiveZero ? 0f : -0f;
                }
            }
            return new Range(lo, hi, size, atLo);
        }
    }

    /** Distinct volumes counted by {@link #oneDose}; more and it leaves the samples to the sort. */
    static final int ONE_DOSE_MAX_VOLUMES = 1 << 12;

    /**
     * The window of many samples that all have one dose (a bin or sub-bin whose lowest and highest dose are
     * equal, e.g. millions of an External's voxels at the same dose): its one node from the samples' volumes
     * counted by value, as {@link DoseVolumeNodes#singleDose} sums them (bit for bit the sort's result), instead
     * of copying and sorting the samples (3 arrays of 8 bytes a sample). Null when they have more than
     * {@link #ONE_DOSE_MAX_VOLUMES} distinct volumes.
     */
    static DoseVolumeNodes oneDose(float[] d, float[] v, int n, int inBin, float dose, double volumeAbove,
                                   Group above, Group below) {
        CountedVolumes counted = countVolumes(d, v, n, inBin, false, 0);
        return counted == null ? null : counted.nodes(dose, volumeAbove, above, below);
    }

    /** The distinct volumes of a window of one dose and how many samples have each (in no particular order). */
    record CountedVolumes(int[] bits, long[] times) {
        /** The window's one node between its neighbours, bit for bit the sort's (see {@link DoseVolumeNodes#singleDose}). */
        DoseVolumeNodes nodes(float dose, double volumeAbove, Group above, Group below) {
            return DoseVolumeNodes.singleDose(dose, new float[0], 0, bits, times, bits.length, volumeAbove, above,
                    below);
        }
    }

    /**
     * The volumes of samples {@code [0, n)} counted by value: those whose dose has exactly the bits {@code doseBits}
     * when {@code byBits}, else those in range-free bin {@code inBin} (all when -1). Null when they have more than
     * {@link #ONE_DOSE_MAX_VOLUMES} distinct volumes.
     */
    static CountedVolumes countVolumes(float[] d, float[] v, int n, int inBin, boolean byBits, int doseBits) {
        int capacity = 2 * ONE_DOSE_MAX_VOLUMES;
        int[] keys = new int[capacity];
        long[] counts = new long[capacity];
        boolean[] used = new boolean[capacity];
        int distinct = 0;
        int lastBits = 0;
        int lastSlot = -1;
        for (int p = 0; p < n; p++) {
            if (byBits ? Float.floatToRawIntBits(d[p]) != doseBits
                    : inBin >= 0 && OrderedHistogram.fixedBinOf(d[p]) != inBin) {
                continue;
            }
            int b = Float.floatToRawIntBits(v[p]);
            if (lastSlot >= 0 && b == lastBits) {
                counts[lastSlot]++;
                continue;
            }
            int h = (b * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(capacity));
            while (used[h] && keys[h] != b) {
                h = (h + 1) & (capacity - 1);
            }
            if (!used[h]) {
                if (distinct == ONE_DOSE_MAX_VOLUMES) {
                    return null;
                }
                used[h] = true;
                keys[h] = b;
                distinct++;
            }
            counts[h]++;
            lastBits = b;
            lastSlot = h;
        }
        int[] bits = new int[distinct];
        long[] times = new long[distinct];
        int e = 0;
        for (int h = 0; h < capacity; h++) {
            if (used[h]) {
                bits[e] = keys[h];
                times[e++] = counts[h];
            }
        }
        return new CountedVolumes(bits, times);
    }

    private DoseHistogram dvhHistogram() {
        if (dvhHistogram == null) {
            Double max = summary().max();
            double top = max == null ? 0 : Math.max(max, 0);
            long hundredths = 1;
            while (top / (hundredths / 100.0) >= Dvh.MAX_POINTS - 2) {
                hundredths *= 2;
            }
            double bin = hundredths / 100.0;
            int n = (int) Math.floor(top / bin) + 1;
            DoseHistogram empty = new DoseHistogram(0, bin, n);
            dvhHistogram = reduce(empty::emptyCopy, (a, from, to) -> a.acceptRange(doseGy, volumeCc, from, to),
                    DoseHistogram::combine);
        }
        return dvhHistogram;
    }

    interface RangeAccept<A> {
        A accept(A accumulator, int from, int to);
    }

    /** Fixed chunks, merged in chunk order: the same bits whether or not the chunks ran in parallel. */
    private <A> A reduce(Supplier<A> make, RangeAccept<A> acceptRange, BinaryOperator<A> combine) {
        return reduce(count, parallel, make, acceptRange, combine);
    }

    /** Of samples {@code [0, n)}: fixed chunks, merged in chunk order (the same bits, parallel or not). */
    private static <A> A reduce(int n, boolean parallel, Supplier<A> make, RangeAccept<A> acceptRange,
                                BinaryOperator<A> combine) {
        return merged(chunks(n, parallel, make, acceptRange), combine);
    }

    /** The chunks' parts merged into the first, in chunk order. */
    private static <A> A merged(List<A> parts, BinaryOperator<A> combine) {
        A result = parts.getFirst();
        for (int c = 1; c < parts.size(); c++) {
            result = combine.apply(result, parts.get(c));
        }
        return result;
    }

    /**
     * Each chunk's samples per bin, taken before the parts are merged (the merge adds into the first); null for a
     * single chunk (see {@link BinCandidates#placeInChunkOrder}).
     */
    private static <A> int[][] countsPerChunk(List<A> parts, Function<A, int[]> counts) {
        if (parts.size() == 1) {
            return null;
        }
        int[][] out = new int[parts.size()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = counts.apply(parts.get(c));
        }
        return out;
    }

    /** One part per {@link #CHUNK} of samples {@code [0, n)} (at least one), in chunk order. */
    private static <A> List<A> chunks(int n, boolean parallel, Supplier<A> make, RangeAccept<A> acceptRange) {
        int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
        if (chunks == 1) {
            return List.of(acceptRange.accept(make.get(), 0, n));
        }
        List<A> parts = new ArrayList<>(Arrays.asList(newArray(chunks)));
        IntStream range = IntStream.range(0, chunks);
        (parallel ? range.parallel() : range).forEach(c ->
                parts.set(c, acceptRange.accept(make.get(), c * CHUNK, Math.min(n, (c + 1) * CHUNK))));
        return parts;
    }

    @SuppressWarnings("unchecked")
    private static <A> A[] newArray(int n) {
        return (A[]) new Object[n];
    }

    /**
     * Samples of selected bins, collected (target bins) or reduced to the bins' lowest and highest
     * dose groups (neighbour bins); thread parts merge with {@link #combine}.
     */
    static final class BinCandidates {
        final OrderedHistogram bins;
        final int[] slotOfBin;
        boolean[] collect = new boolean[4];
        /** The slot's lowest and highest dose groups are needed (it neighbours a query's bin). */
        boolean[] neighbour = new boolean[4];
        int slots;
        float[][] dose = new float[4][];
        float[][] volume = new float[4][];
        int[] size = new int[4];
        float[] minDose = new float[4];
        double[] minGroup = new double[4];
        float[] maxDose = new float[4];
        double[] maxGroup = new double[4];
        /**
         * Collected samples at 0 Gy are counted by volume in {@link #zeros} (when {@link #countZeros}), not
         * stored; those of {@code zeroVolume} (most of them) are counted in a register.
         */
        boolean countZeros;
        float zeroVolume = Float.NaN;
        ZeroVolumes[] zeros = new ZeroVolumes[4];
        /**
         * Per placed slot, where each chunk's samples start in the slot's one array (sized exactly from the
         * histogram's counts, shared by every chunk's part); null for a slot collected in growing arrays (bin 0 of
         * the range-free bins, whose zeros are counted). Parts merge by adding sizes, without copying.
         */
        int[][] chunkStart = new int[4][];
        /** This part's first index in each placed slot's array (0 for the others). */
        int[] base = new int[4];

        BinCandidates(OrderedHistogram bins) {
            this(bins, new int[bins.binCount()]);
            Arrays.fill(slotOfBin, -1);
        }

        private BinCandidates(OrderedHistogram bins, int[] slotOfBin) {
            this.bins = bins;
            this.slotOfBin = slotOfBin;
        }

        void want(int bin, boolean collectSamples) {
            if (bin < 0) {
                return;
            }
            int s = slotOfBin[bin];
            if (s < 0) {
                s = slots++;
                if (s == collect.length) {
                    grow();
                }
                slotOfBin[bin] = s;
                minDose[s] = Float.POSITIVE_INFINITY;
                maxDose[s] = Float.NEGATIVE_INFINITY;
            }
            if (!collectSamples) {
                neighbour[s] = true;
            }
            if (collectSamples) {
                collect[s] = true; // the arrays come from placeInChunkOrder, or emptyCopy (growing from 16)
            }
        }

        private void grow() {
            int n = collect.length * 2;
            collect = Arrays.copyOf(collect, n);
            neighbour = Arrays.copyOf(neighbour, n);
            dose = Arrays.copyOf(dose, n);
            volume = Arrays.copyOf(volume, n);
            size = Arrays.copyOf(size, n);
            minDose = Arrays.copyOf(minDose, n);
            minGroup = Arrays.copyOf(minGroup, n);
            maxDose = Arrays.copyOf(maxDose, n);
            maxGroup = Arrays.copyOf(maxGroup, n);
            zeros = Arrays.copyOf(zeros, n);
            chunkStart = Arrays.copyOf(chunkStart, n);
            base = Arrays.copyOf(base, n);
        }

        /**
         * Collects every wanted bin (but bin 0 of the range-free bins, whose zeros are counted) straight into one
         * exactly sized array per bin, each chunk's samples at the place the histogram's per-chunk counts give
         * them: the same samples in the same order as growing per-chunk arrays merged in chunk order, without
         * their copies and garbage.
         *
         * @param chunkCounts samples per bin of each {@link #CHUNK}, or null for a single chunk
         */
        void placeInChunkOrder(int[][] chunkCounts) {
            for (int bin = bins.fixed ? 1 : 0; bin < slotOfBin.length; bin++) {
                int s = slotOfBin[bin];
                if (s < 0 || !collect[s]) {
                    continue;
                }
                int chunks = chunkCounts == null ? 1 : chunkCounts.length;
                int[] start = new int[chunks];
                int at = 0;
                for (int c = 0; c < chunks; c++) {
                    start[c] = at;
                    at += chunkCounts == null ? bins.count[bin] : chunkCounts[c][bin];
                }
                chunkStart[s] = start;
                dose[s] = new float[at];
                volume[s] = new float[at];
            }
        }

        private ZeroVolumes zeros(int s) {
            ZeroVolumes z = zeros[s];
            if (z == null) {
                z = new ZeroVolumes();
                zeros[s] = z;
            }
            return z;
        }

        /** Same wanted bins, nothing collected yet (slot table shared, read-only from here on). */
        BinCandidates emptyCopy() {
            BinCandidates c = new BinCandidates(bins, slotOfBin);
            c.slots = slots;
            c.collect = collect.clone();
            c.neighbour = neighbour.clone();
            c.dose = new float[collect.length][];
            c.volume = new float[collect.length][];
            c.size = new int[collect.length];
            c.minDose = new float[collect.length];
            c.maxDose = new float[collect.length];
            c.minGroup = new double[collect.length];
            c.maxGroup = new double[collect.length];
            c.countZeros = countZeros;
            c.zeroVolume = zeroVolume;
            c.zeros = new ZeroVolumes[collect.length];
            c.chunkStart = chunkStart; // read-only from here on
            c.base = new int[collect.length];
            Arrays.fill(c.minDose, Float.POSITIVE_INFINITY);
            Arrays.fill(c.maxDose, Float.NEGATIVE_INFINITY);
            for (int s = 0; s < slots; s++) {
                if (collect[s]) {
                    boolean placed = chunkStart[s] != null;
                    c.dose[s] = placed ? dose[s] : new float[16];
                    c.volume[s] = placed ? volume[s] : new float[16];
                }
            }
            return c;
        }

        /** As {@link #acceptRange(float[], float[], int, int)} for the samples in bin {@code inBin} of the
         * range-free histogram only (all when -1); these bins are not range-free. */
        BinCandidates acceptRange(float[] d, float[] v, int from, int to, int inBin) {
            if (inBin < 0) {
                return acceptRange(d, v, from, to);
            }
            for (int p = from; p < to; p++) {
                float x = d[p];
                if (OrderedHistogram.fixedBinOf(x) == inBin) {
                    int s = slotOfBin[bins.binOf(x)];
                    if (s >= 0) {
                        accept(s, x, v[p]);
                    }
                }
            }
            return this;
        }

        /** A chunk's part: its samples of the placed slots go where the histogram's counts put that chunk. */
        BinCandidates acceptChunk(float[] d, float[] v, int from, int to) {
            return acceptChunk(d, v, from, to, -1);
        }

        /** As {@link #acceptChunk(float[], float[], int, int)}, of range-free bin {@code inBin} only (all: -1). */
        BinCandidates acceptChunk(float[] d, float[] v, int from, int to, int inBin) {
            for (int s = 0; s < slots; s++) {
                if (chunkStart[s] != null) {
                    base[s] = chunkStart[s][from / CHUNK];
                }
            }
            return acceptRange(d, v, from, to, inBin);
        }

        BinCandidates acceptRange(float[] d, float[] v, int from, int to) {
            int[] slot = slotOfBin;
            if (bins.fixed) {
                // the common case, kept free of calls and branches until a wanted bin is hit; one
                // branch per four samples (all four slots negative: their AND is too)
                // 0 Gy samples of the usual volume in bin 0, when it is collected and no query's neighbour,
                // only need counting: done here in a register (most of an External lies there)
                int zs = countZeros && slot[0] >= 0 && collect[slot[0]] && !neighbour[slot[0]] ? slot[0]
                        : Integer.MIN_VALUE;
                float zv = zeroVolume;
                long zc = 0;
                int p = from;
                for (; p + 3 < to; p += 4) {
                    int s0 = slot[Math.max(Float.floatToRawIntBits(d[p]), 0) >>> OrderedHistogram.FIXED_SHIFT];
                    int s1 = slot[Math.max(Float.floatToRawIntBits(d[p + 1]), 0) >>> OrderedHistogram.FIXED_SHIFT];
                    int s2 = slot[Math.max(Float.floatToRawIntBits(d[p + 2]), 0) >>> OrderedHistogram.FIXED_SHIFT];
                    int s3 = slot[Math.max(Float.floatToRawIntBits(d[p + 3]), 0) >>> OrderedHistogram.FIXED_SHIFT];
                    if ((s0 & s1 & s2 & s3) < 0) {
                        continue;
                    }
                    if (s0 >= 0) {
                        if (s0 == zs && d[p] == 0f && v[p] == zv) {
                            zc++;
                        } else {
                            accept(s0, d[p], v[p]);
                        }
                    }
                    if (s1 >= 0) {
                        if (s1 == zs && d[p + 1] == 0f && v[p + 1] == zv) {
                            zc++;
                        } else {
                            accept(s1, d[p + 1], v[p + 1]);
                        }
                    }
                    if (s2 >= 0) {
                        if (s2 == zs && d[p + 2] == 0f && v[p + 2] == zv) {
                            zc++;
                        } else {
                            accept(s2, d[p + 2], v[p + 2]);
                        }
                    }
                    if (s3 >= 0) {
                        if (s3 == zs && d[p + 3] == 0f && v[p + 3] == zv) {
                            zc++;
                        } else {
                            accept(s3, d[p + 3], v[p + 3]);
                        }
                    }
                }
                for (; p < to; p++) {
                    float x = d[p];
                    int s = slot[Math.max(Float.floatToRawIntBits(x), 0) >>> OrderedHistogram.FIXED_SHIFT];
                    if (s >= 0) {
                        accept(s, x, v[p]);
                    }
                }
                if (zc > 0) {
                    // always counted, also when other volumes have filled the table: these samples are nowhere else
                    zeros(zs).addBeyondLimit(zv, zc);
                }
                return this;
            }
            for (int p = from; p < to; p++) {
                float x = d[p];
                int s = slot[bins.binOf(x)];
                if (s >= 0) {
                    accept(s, x, v[p]);
                }
            }
            return this;
        }

        private void accept(int s, float x, float w) {
            if (neighbour[s]) {
                if (x < minDose[s]) {
                    minDose[s] = x;
                    minGroup[s] = w;
                } else if (x == minDose[s]) {
                    minGroup[s] += w;
                }
                if (x > maxDose[s]) {
                    maxDose[s] = x;
                    maxGroup[s] = w;
                } else if (x == maxDose[s]) {
                    maxGroup[s] += w;
                }
            }
            if (collect[s]) {
                if (!(countZeros && x == 0f && zeros(s).add(w, 1))) {
                    append(s, x, w);
                }
            }
        }

        private void append(int s, float x, float w) {
            int n = size[s];
            int at = base[s] + n;
            if (at == dose[s].length) { // never for a placed slot: its array holds every sample of the bin
                dose[s] = Arrays.copyOf(dose[s], n * 2);
                volume[s] = Arrays.copyOf(volume[s], n * 2);
            }
            dose[s][at] = x;
            volume[s][at] = w;
            size[s] = n + 1;
        }

        BinCandidates combine(BinCandidates other) {
            for (int s = 0; s < slots; s++) {
                if (other.minDose[s] < minDose[s]) {
                    minDose[s] = other.minDose[s];
                    minGroup[s] = other.minGroup[s];
                } else if (other.minDose[s] == minDose[s]) {
                    minGroup[s] += other.minGroup[s];
                }
                if (other.maxDose[s] > maxDose[s]) {
                    maxDose[s] = other.maxDose[s];
                    maxGroup[s] = other.maxGroup[s];
                } else if (other.maxDose[s] == maxDose[s]) {
                    maxGroup[s] += other.maxGroup[s];
                }
                if (other.zeros[s] != null) {
                    zeros(s).addAll(other.zeros[s]);
                }
                if (collect[s] && chunkStart[s] != null) {
                    size[s] += other.size[s]; // the other part wrote its chunk's place in the same array
                } else if (collect[s]) {
                    int n = size[s], m = other.size[s];
                    if (n + m > dose[s].length) {
                        dose[s] = Arrays.copyOf(dose[s], n + m);
                        volume[s] = Arrays.copyOf(volume[s], n + m);
                    }
                    System.arraycopy(other.dose[s], 0, dose[s], n, m);
                    System.arraycopy(other.volume[s], 0, volume[s], n, m);
                    size[s] = n + m;
                }
            }
            return this;
        }

        Group minGroup(int bin) {
            if (bin < 0) {
                return null;
            }
            int s = slotOfBin[bin];
            return new Group(minDose[s] + 0.0f, minGroup[s]);
        }

        Group maxGroup(int bin) {
            if (bin < 0) {
                return null;
            }
            int s = slotOfBin[bin];
            return new Group(maxDose[s] + 0.0f, maxGroup[s]);
        }
    }

    /** The volumes of a bin's 0 Gy samples and how many samples have each, in the order first seen. */
    static final class ZeroVolumes {
        /** More distinct volumes than this: further ones are stored as samples (no long scans per sample). */
        static final int MAX_DISTINCT = 64;
        int[] bits = new int[4];
        long[] counts = new long[4];
        int size;
        long total;

        /** Counts {@code n} samples of volume {@code volumeCc}; false (nothing counted) when the table is full. */
        boolean add(float volumeCc, long n) {
            return add(Float.floatToRawIntBits(volumeCc), n, MAX_DISTINCT);
        }

        private boolean add(int b, long n, int limit) {
            for (int e = 0; e < size; e++) {
                if (bits[e] == b) {
                    counts[e] += n;
                    total += n;
                    return true;
                }
            }
            if (size >= limit) {
                return false;
            }
            if (size == bits.length) {
                bits = Arrays.copyOf(bits, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            bits[size] = b;
            counts[size++] = n;
            total += n;
            return true;
        }

        /** Counts {@code n} samples of volume {@code volumeCc}, whether or not the table is full. */
        void addBeyondLimit(float volumeCc, long n) {
            add(Float.floatToRawIntBits(volumeCc), n, Integer.MAX_VALUE);
        }

        void addAll(ZeroVolumes other) {
            for (int e = 0; e < other.size; e++) {
                add(other.bits[e], other.counts[e], Integer.MAX_VALUE);
            }
        }
    }
}
