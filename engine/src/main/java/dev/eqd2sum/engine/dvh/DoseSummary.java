package dev.eqd2sum.engine.dvh;

/**
 * Streaming accumulator of the order-free statistics of weighted dose samples: minimum and maximum
 * with the sample that holds them (the lowest sample index on ties, so that results do not depend on
 * how the samples were split), volume-weighted mean and mean square, and total volume. Parts computed on separate
 * threads are merged with {@link #combine} (the accept/combine pattern of Commons Statistics).
 */
public final class DoseSummary {
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private int minSample = -1;
    private int maxSample = -1;
    private long count;
    private double doseVolumeSum;
    private double squareVolumeSum;
    private double volumeSum;

    public DoseSummary accept(int sample, float doseGy, float volumeCc) {
        if (doseGy > max || (doseGy == max && sample < maxSample)) {
            max = doseGy;
            maxSample = sample;
        }
        if (doseGy < min || (doseGy == min && sample < minSample)) {
            min = doseGy;
            minSample = sample;
        }
        count++;
        doseVolumeSum += (double) doseGy * volumeCc;
        squareVolumeSum += (double) doseGy * doseGy * volumeCc;
        volumeSum += volumeCc;
        return this;
    }

    /** Accepts samples [from, to); sample indices are the array indices. */
    public DoseSummary acceptRange(float[] doseGy, float[] volumeCc, int from, int to) {
        if (to <= from) {
            return this;
        }
        float mx = Float.NEGATIVE_INFINITY, mn = Float.POSITIVE_INFINITY;
        int mxs = from, mns = from;
        double dv = 0, ddv = 0, v = 0;
        for (int p = from; p < to; p++) {
            float d = doseGy[p];
            float w = volumeCc[p];
            if (d > mx) {
                mx = d;
                mxs = p;
            }
            if (d < mn) {
                mn = d;
                mns = p;
            }
            double dw = (double) d * w;
            dv += dw;
            ddv += dw * d;
            v += w;
        }
        // strict comparisons keep the first index inside the range; merging the range in as a
        // part resolves ties with earlier state to the lowest index as well
        return combine(part(mn, mns, mx, mxs, to - from, dv, ddv, v));
    }

    /** A summary of samples scanned elsewhere (a fused loop). */
    static DoseSummary part(float min, int minSample, float max, int maxSample, long count, double doseVolumeSum,
                            double squareVolumeSum, double volumeSum) {
        DoseSummary part = new DoseSummary();
        part.max = max;
        part.maxSample = maxSample;
        part.min = min;
        part.minSample = minSample;
        part.count = count;
        part.doseVolumeSum = doseVolumeSum;
        part.squareVolumeSum = squareVolumeSum;
        part.volumeSum = volumeSum;
        return part;
    }

    public DoseSummary combine(DoseSummary other) {
        if (other.count == 0) {
            return this;
        }
        if (count == 0) {
            min = other.min;
            max = other.max;
            minSample = other.minSample;
            maxSample = other.maxSample;
            count = other.count;
            doseVolumeSum = other.doseVolumeSum;
            squareVolumeSum = other.squareVolumeSum;
            volumeSum = other.volumeSum;
            return this;
        }
        if (other.max > max || (other.max == max && other.maxSample < maxSample)) {
            max = other.max;
            maxSample = other.maxSample;
        }
        if (other.min < min || (other.min == min && other.minSample < minSample)) {
            min = other.min;
            minSample = other.minSample;
        }
        count += other.count;
        doseVolumeSum += other.doseVolumeSum;
        squareVolumeSum += other.squareVolumeSum;
        volumeSum += other.volumeSum;
        return this;
    }

    public long count() {
        return count;
    }

    /** Highest dose, or null without samples. */
    public Double max() {
        return count == 0 ? null : (double) (max + 0.0f);
    }

    public Double min() {
        return count == 0 ? null : (double) (min + 0.0f);
    }

    /** Index of the sample holding the maximum, -1 without samples. */
    public int maxSample() {
        return count == 0 ? -1 : maxSample;
    }

    public int minSample() {
        return count == 0 ? -1 : minSample;
    }

    /** Volume-weighted mean dose, or null when the samples hold no volume. */
    public Double mean() {
        return volumeSum > 0 ? doseVolumeSum / volumeSum : null;
    }

    /** Volume-weighted mean of the squared dose (Gy^2), or null without volume: with the mean it gives the mean EQD2. */
    public Double meanSquare() {
        return volumeSum > 0 ? squareVolumeSum / volumeSum : null;
    }

    public double volumeCc() {
        return volumeSum;
    }

    float maxFloat() {
        return max;
    }

    float minFloat() {
        return min;
    }
}
