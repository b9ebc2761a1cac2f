package dev.eqd2sum.engine.dvh;

import java.util.Arrays;

/**
 * The dose-volume relation of weighted samples, by the exact sort-based path: the weighted midpoint
 * rule of the empirical quantile function (Hyndman &amp; Fan 1996, definition 5, with weights).
 * Samples are point doses of a continuous field, each standing for its volume. Sorted by
 * descending dose, the samples of each distinct dose form one node at the middle of the
 * cumulative-volume interval they occupy; between nodes dose is linear in cumulative volume,
 * before the first and after the last node it is constant. So D(x), the minimum dose in the
 * hottest x cc, is exact for a linear field sampled at cell centres, also where whole planes of
 * samples share a dose (an axis-aligned gradient), it does not depend on the samples' order, it
 * never drops to 0 on ties, and V(D) = sup{x : D(x) >= D} is its inverse. A true plateau (a region
 * of exactly one dose between very different doses) reads as a ramp through its middle: it is
 * treated as the points of a continuous field, like everything else.
 *
 * <p>A window holds only the samples of one dose range, placed after {@code volumeAbove} cc of
 * hotter samples, with the nearest node above and below the range; it answers the queries whose
 * bracketing nodes it contains exactly as the whole set would.
 */
final class DoseVolumeNodes {
    /** The samples at exactly one dose: their dose and volume. */
    record Group(double doseGy, double volumeCc) {
    }

    private final double[] dose;      // strictly decreasing
    private final double[] position;  // cumulative volume (cc) at each node's middle, non-decreasing
    private final int n;

    private DoseVolumeNodes(double[] dose, double[] position, int n) {
        this.dose = dose;
        this.position = position;
        this.n = n;
    }

    /** All samples [0, count). */
    static DoseVolumeNodes of(float[] doseGy, float[] volumeCc, int count) {
        return window(doseGy, volumeCc, count, 0, null, null);
    }

    static DoseVolumeNodes window(float[] doseGy, float[] volumeCc, int count, double volumeAbove,
                                  Group above, Group below) {
        long[] keys = new long[count];
        for (int p = 0; p < count; p++) {
            keys[p] = ((long) sortable(doseGy[p]) << 32) | (Float.floatToRawIntBits(volumeCc[p]) & 0xffffffffL);
        }
        Arrays.sort(keys);
        int capacity = count + 2;
        double[] dose = new double[capacity];
        double[] position = new double[capacity];
        int n = 0;
        if (above != null) {
            dose[n] = above.doseGy();
            position[n++] = volumeAbove - above.volumeCc() / 2;
        }
        double cumulative = volumeAbove;
        int p = count - 1;
        while (p >= 0) {
            int key = (int) (keys[p] >>> 32);
            double group = 0;
            int q = p;
            while (q >= 0 && (int) (keys[q] >>> 32) == key) {
                group += Float.intBitsToFloat((int) keys[q]);
                q--;
            }
            dose[n] = unsortable(key);
            position[n++] = cumulative + group / 2;
            cumulative += group;
            p = q;
        }
        if (below != null) {
            dose[n] = below.doseGy();
            position[n++] = cumulative + below.volumeCc() / 2;
        }
        return new DoseVolumeNodes(dose, position, n);
    }

    /**
     * The window of samples that all have dose {@code doseGy}: {@code volumeCc[0, count)} plus, for each
     * {@code e < extraSize}, {@code extraCounts[e]} samples of volume bits {@code extraBits[e]} (not stored).
     * One node, exactly as {@link #window} makes it from all those samples: the group's volume is summed in
     * the same order (by descending volume bits), so the result is bit for bit the same without sorting the
     * counted samples.
     */
    static DoseVolumeNodes singleDose(float doseGy, float[] volumeCc, int count, int[] extraBits, long[] extraCounts,
                                      int extraSize, double volumeAbove, Group above, Group below) {
        long[] stored = new long[count];
        for (int p = 0; p < count; p++) {
            stored[p] = Float.floatToRawIntBits(volumeCc[p]) & 0xffffffffL;
        }
        Arrays.sort(stored);
        // the counted volumes in the same (unsigned bit) order, each with its count in the low bits' partner
        long[] extra = new long[extraSize];
        for (int e = 0; e < extraSize; e++) {
            extra[e] = ((extraBits[e] & 0xffffffffL) << 32) | e;
        }
        Arrays.sort(extra);
        double group = 0;
        int p = count - 1;
        for (int e = extraSize - 1; e >= 0; e--) {
            long b = extra[e] >>> 32;
            for (; p >= 0 && stored[p] > b; p--) {
                group += Float.intBitsToFloat((int) stored[p]);
            }
            group = addRepeatedly(group, Float.intBitsToFloat((int) b), extraCounts[(int) extra[e]]);
        }
        for (; p >= 0; p--) {
            group += Float.intBitsToFloat((int) stored[p]);
        }
        double[] dose = new double[3];
        double[] position = new double[3];
        int n = 0;
        if (above != null) {
            dose[n] = above.doseGy();
            position[n++] = volumeAbove - above.volumeCc() / 2;
        }
        dose[n] = unsortable(sortable(doseGy));
        position[n++] = volumeAbove + group / 2;
        if (below != null) {
            dose[n] = below.doseGy();
            position[n++] = volumeAbove + group + below.volumeCc() / 2;
        }
        return new DoseVolumeNodes(dose, position, n);
    }

    /**
     * {@code sum} plus {@code times} additions of {@code volumeCc}, one after another in double, as a loop
     * would make it. When every partial sum is a multiple of the float's last bit and below 2^53 of those units,
     * each addition is exact and so is one fused multiply-add (the usual case: a voxel's volume added a
     * million times to a few thousand cc); otherwise the loop is run.
     */
    static double addRepeatedly(double sum, float volumeCc, long times) {
        if (times <= 0) {
            return sum;
        }
        double unit = Math.scalb(1.0, Math.getExponent(volumeCc) - 23); // last mantissa bit of the float
        double units = sum / unit; // exact: a power of two
        double end = Math.abs(sum) + (double) times * Math.abs(volumeCc);
        if (volumeCc != 0 && Float.isFinite(volumeCc) && Math.getExponent(volumeCc) >= Float.MIN_EXPONENT
                && units == Math.rint(units) && end < Math.scalb(unit, 52) && times < (1L << 52)) {
            return Math.fma((double) times, volumeCc, sum);
        }
        for (long e = 0; e < times; e++) {
            sum += volumeCc;
        }
        return sum;
    }

    int size() {
        return n;
    }

    /** Minimum dose in the hottest {@code volumeCc} (the caller checks it does not exceed the structure). */
    double doseAtVolume(double volumeCc) {
        if (n == 0) {
            throw new IllegalStateException("no samples");
        }
        int k = lastAtOrBelow(position, n, volumeCc);
        if (k < 0) {
            return dose[0];
        }
        if (k >= n - 1 || position[k + 1] <= position[k]) {
            return dose[k];
        }
        double t = (volumeCc - position[k]) / (position[k + 1] - position[k]);
        return dose[k] + (dose[k + 1] - dose[k]) * t;
    }

    /** Volume receiving at least {@code doseGy}: sup{x : D(x) >= doseGy}, {@code totalVolumeCc} when all do. */
    double volumeAtDose(double doseGy, double totalVolumeCc) {
        if (n == 0 || doseGy > dose[0]) {
            return 0;
        }
        if (doseGy <= dose[n - 1]) {
            return totalVolumeCc;
        }
        // largest k with dose[k] >= doseGy; dose is strictly decreasing
        int lo = 0, hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (dose[mid] >= doseGy) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t = (dose[lo] - doseGy) / (dose[lo] - dose[lo + 1]);
        return position[lo] + (position[lo + 1] - position[lo]) * t;
    }

    private static int lastAtOrBelow(double[] sorted, int n, double x) {
        int lo = 0, hi = n - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Float bits reordered so that signed int order is float order (-0 is folded onto +0). */
    static int sortable(float d) {
        int bits = Float.floatToIntBits(d + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    static float unsortable(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }
}
