package dev.eqd2sum.engine.dvh;

import java.util.Arrays;

/**
 * Volume of weighted dose samples per dose bin of equal width: bin b holds doses in
 * [low + b * binGy, low + (b + 1) * binGy); doses below the first bin count in it, doses above the
 * last in the last. With {@code trackGroups} each bin also keeps its lowest and highest dose and the
 * volume of the samples at exactly those doses, which is what the interpolated DVH needs at bin
 * edges. Thread parts merge with {@link #combine} (accept/combine, as in Commons Statistics).
 */
public final class DoseHistogram {
    private final double lowGy;
    private final double binGy;
    private final double inverseBin;
    private final int binCount;
    private final double[] volume;
    private final int[] count;
    private final float[] minDose;
    private final double[] minGroup;
    private final float[] maxDose;
    private final double[] maxGroup;
    private final int[] minCount;
    private final int[] maxCount;

    public DoseHistogram(double lowGy, double binGy, int binCount, boolean trackGroups) {
        if (!(binGy > 0) || binCount <= 0) {
            throw new IllegalArgumentException("bins must be positive: " + binCount + " x " + binGy);
        }
        this.lowGy = lowGy;
        this.binGy = binGy;
        this.inverseBin = 1.0 / binGy;
        this.binCount = binCount;
        this.volume = new double[binCount];
        this.count = new int[binCount];
        if (trackGroups) {
            minDose = new float[binCount];
            maxDose = new float[binCount];
            Arrays.fill(minDose, Float.POSITIVE_INFINITY);
            Arrays.fill(maxDose, Float.NEGATIVE_INFINITY);
            minGroup = new double[binCount];
            maxGroup = new double[binCount];
            minCount = new int[binCount];
            maxCount = new int[binCount];
        } else {
            minDose = maxDose = null;
            minGroup = maxGroup = null;
            minCount = maxCount = null;
        }
    }

    /** A histogram with the same bins, empty. */
    public DoseHistogram emptyCopy() {
        return new DoseHistogram(lowGy, binGy, binCount, minDose != null);
    }

    public int binOf(double doseGy) {
        double t = (doseGy - lowGy) * inverseBin;
        if (!(t >= 0)) {
            return 0;
        }
        return t >= binCount ? binCount - 1 : (int) t;
    }

    public DoseHistogram accept(float doseGy, float volumeCc) {
        int b = binOf(doseGy);
        volume[b] += volumeCc;
        count[b]++;
        if (minDose != null) {
            track(b, doseGy, volumeCc);
        }
        return this;
    }

    public DoseHistogram acceptRange(float[] doseGy, float[] volumeCc, int from, int to) {
        if (minDose == null) {
            double low = lowGy, inv = inverseBin;
            int last = binCount - 1;
            for (int p = from; p < to; p++) {
                double t = (doseGy[p] - low) * inv;
                int b = !(t >= 0) ? 0 : t >= binCount ? last : (int) t;
                volume[b] += volumeCc[p];
                count[b]++;
            }
        } else {
            for (int p = from; p < to; p++) {
                accept(doseGy[p], volumeCc[p]);
            }
        }
        return this;
    }

    private void track(int b, float d, double v) {
        if (d < minDose[b]) {
            minDose[b] = d;
            minGroup[b] = v;
            minCount[b] = 1;
        } else if (d == minDose[b]) {
            minGroup[b] += v;
            minCount[b]++;
        }
        if (d > maxDose[b]) {
            maxDose[b] = d;
            maxGroup[b] = v;
            maxCount[b] = 1;
        } else if (d == maxDose[b]) {
            maxGroup[b] += v;
            maxCount[b]++;
        }
    }

    public DoseHistogram combine(DoseHistogram other) {
        if (other.binCount != binCount || other.lowGy != lowGy || other.binGy != binGy
                || (other.minDose == null) != (minDose == null)) {
            throw new IllegalArgumentException("histograms with different bins cannot be combined");
        }
        for (int b = 0; b < binCount; b++) {
            if (other.count[b] == 0) {
                continue;
            }
            volume[b] += other.volume[b];
            count[b] += other.count[b];
            if (minDose != null) {
                if (other.minDose[b] < minDose[b]) {
                    minDose[b] = other.minDose[b];
                    minGroup[b] = other.minGroup[b];
                    minCount[b] = other.minCount[b];
                } else if (other.minDose[b] == minDose[b]) {
                    minGroup[b] += other.minGroup[b];
                    minCount[b] += other.minCount[b];
                }
                if (other.maxDose[b] > maxDose[b]) {
                    maxDose[b] = other.maxDose[b];
                    maxGroup[b] = other.maxGroup[b];
                    maxCount[b] = other.maxCount[b];
                } else if (other.maxDose[b] == maxDose[b]) {
                    maxGroup[b] += other.maxGroup[b];
                    maxCount[b] += other.maxCount[b];
                }
            }
        }
        return this;
    }

    public double lowGy() {
        return lowGy;
    }

    public double binGy() {
        return binGy;
    }

    public int binCount() {
        return binCount;
    }

    public double volumeCc(int bin) {
        return volume[bin];
    }

    public int count(int bin) {
        return count[bin];
    }

    public boolean tracksGroups() {
        return minDose != null;
    }

    /** Lowest dose in the bin (groups tracked, bin not empty). */
    public float minDose(int bin) {
        return minDose[bin];
    }

    /** Volume of the samples at exactly the bin's lowest dose. */
    public double minGroupVolumeCc(int bin) {
        return minGroup[bin];
    }

    public float maxDose(int bin) {
        return maxDose[bin];
    }

    public double maxGroupVolumeCc(int bin) {
        return maxGroup[bin];
    }

    /** Number of samples at exactly the bin's lowest dose. */
    public int minGroupCount(int bin) {
        return minCount[bin];
    }

    public int maxGroupCount(int bin) {
        return maxCount[bin];
    }
}
