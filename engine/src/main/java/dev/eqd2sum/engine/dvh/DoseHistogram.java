package dev.eqd2sum.engine.dvh;

import java.util.Arrays;

/**
 * Volume of weighted dose samples per dose bin of equal width, for DVH curves: bin b holds doses
 * in [low + b * binGy, low + (b + 1) * binGy); doses below the first bin count in it, doses above
 * the last in the last. Each bin also keeps its lowest and highest dose with the volume of the samples
 * at exactly those doses, which the interpolated curve needs at bin edges. Thread
 * parts merge with {@link #combine} (accept/combine, as in Commons Statistics).
 */
public final class DoseHistogram {
    private final double lowGy;
    private final double binGy;
    private final double inverseBin;
    private final int binCount;
    // two lanes for even and odd samples: a bin that most samples fall in (an External's 0 Gy bin)
    // would otherwise make every addition wait for the previous one
    private final double[] volume;
    private final double[] volumeOdd;
    private final float[] minDose;
    private final double[] minGroup;
    private final float[] maxDose;
    private final double[] maxGroup;

    /** Bins of {@code binGy} from {@code lowGy}; with {@code binGy = k / 100} and low 0, bin edges are exact. */
    public DoseHistogram(double lowGy, double binGy, int binCount) {
        if (!(binGy > 0) || binCount <= 0) {
            throw new IllegalArgumentException("bins must be positive: " + binCount + " x " + binGy);
        }
        this.lowGy = lowGy;
        this.binGy = binGy;
        // 1 / (k/100) computed as 100 / k: exact for k a power of two, so (float dose) * inverse is exact
        this.inverseBin = binGy * 100 == Math.rint(binGy * 100) ? 100.0 / Math.rint(binGy * 100) : 1.0 / binGy;
        this.binCount = binCount;
        this.volume = new double[binCount];
        this.volumeOdd = new double[binCount];
        this.minDose = new float[binCount];
        this.maxDose = new float[binCount];
        Arrays.fill(minDose, Float.POSITIVE_INFINITY);
        Arrays.fill(maxDose, Float.NEGATIVE_INFINITY);
        this.minGroup = new double[binCount];
        this.maxGroup = new double[binCount];
    }

    /** A histogram with the same bins, empty. */
    public DoseHistogram emptyCopy() {
        return new DoseHistogram(lowGy, binGy, binCount);
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
        track(b, doseGy, volumeCc);
        return this;
    }

    public DoseHistogram acceptRange(float[] doseGy, float[] volumeCc, int from, int to) {
        int p = from;
        // the first bin (an External's near-0 Gy bulk) summed in registers: the same additions in
        // the same order, without waiting for each to be stored and loaded again
        double first = volume[0], firstOdd = volumeOdd[0];
        for (; p + 1 < to; p += 2) {
            float d0 = doseGy[p], d1 = doseGy[p + 1];
            float v0 = volumeCc[p], v1 = volumeCc[p + 1];
            int b0 = binOf(d0), b1 = binOf(d1);
            if (b0 == 0) {
                first += v0;
            } else {
                volume[b0] += v0;
            }
            if (b1 == 0) {
                firstOdd += v1;
            } else {
                volumeOdd[b1] += v1;
            }
            track(b0, d0, v0);
            track(b1, d1, v1);
        }
        volume[0] = first;
        volumeOdd[0] = firstOdd;
        if (p < to) {
            accept(doseGy[p], volumeCc[p]);
        }
        return this;
    }

    private void track(int b, float d, double v) {
        if (d <= minDose[b]) {
            if (d < minDose[b]) {
                minDose[b] = d;
                minGroup[b] = v;
            } else {
                minGroup[b] += v;
            }
        }
        if (d >= maxDose[b]) {
            if (d > maxDose[b]) {
                maxDose[b] = d;
                maxGroup[b] = v;
            } else {
                maxGroup[b] += v;
            }
        }
    }

    public DoseHistogram combine(DoseHistogram other) {
        if (other.binCount != binCount || other.lowGy != lowGy || other.binGy != binGy) {
            throw new IllegalArgumentException("histograms with different bins cannot be combined");
        }
        for (int b = 0; b < binCount; b++) {
            if (other.isEmpty(b)) {
                continue;
            }
            volume[b] += other.volume[b];
            volumeOdd[b] += other.volumeOdd[b];
            if (other.minDose[b] < minDose[b]) {
                minDose[b] = other.minDose[b];
                minGroup[b] = other.minGroup[b];
            } else if (other.minDose[b] == minDose[b]) {
                minGroup[b] += other.minGroup[b];
            }
            if (other.maxDose[b] > maxDose[b]) {
                maxDose[b] = other.maxDose[b];
                maxGroup[b] = other.maxGroup[b];
            } else if (other.maxDose[b] == maxDose[b]) {
                maxGroup[b] += other.maxGroup[b];
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
        return volume[bin] + volumeOdd[bin];
    }

    public boolean isEmpty(int bin) {
        return maxDose[bin] == Float.NEGATIVE_INFINITY;
    }

    /** Lowest dose in the bin (bin not empty). */
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
}
