package dev.eqd2sum.engine.dvh;

/**
 * Volume and number of samples per bin of the dose's ordered float bits (as radix selection does):
 * bin = (sortable bits - bits of the lowest dose) >>> shift. The bins are monotone in dose and
 * about equally wide in log(dose), so a skewed distribution (an External with most of its
 * volume near 0 Gy) spreads over many bins, and each refinement narrows the bit range by a fixed
 * factor: at most four levels for 32-bit floats. Thread parts merge with {@link #combine}.
 */
final class OrderedHistogram {
    /** Bits per bin of the range-free histogram: 2^31 >>> 18 = 8192 bins, 32 per octave of dose. */
    static final int FIXED_SHIFT = 18;

    private final int lowKey;
    /** 1 when the lowest dose has bin 0 to itself (the other bins start one key higher), else 0. */
    private final int bottom;
    private final int shift;
    private final int binCount;
    /** Range-free: bin = max(raw float bits, 0) >>> FIXED_SHIFT, so negative doses, -0 and 0 share bin 0. */
    final boolean fixed;
    final double[] volume;
    final int[] count;

    /** Bins over every float, needing no range known beforehand (so they can share the first pass). */
    static OrderedHistogram rangeFree() {
        return new OrderedHistogram();
    }

    private OrderedHistogram() {
        this.lowKey = 0;
        this.bottom = 0;
        this.shift = FIXED_SHIFT;
        this.binCount = (int) ((1L << 31) >>> FIXED_SHIFT);
        this.fixed = true;
        this.volume = new double[binCount];
        this.count = new int[binCount];
    }

    /**
     * Bins covering doses [low, high] with at most {@code maxBins} bins; when {@code bottomAlone} (and
     * {@code low < high}), bin 0 holds only the samples of exactly {@code low}'s bits.
     */
    OrderedHistogram(float low, float high, int maxBins, boolean bottomAlone) {
        this.lowKey = DoseVolumeNodes.sortable(low);
        this.bottom = bottomAlone ? 1 : 0;
        long range = (long) DoseVolumeNodes.sortable(high) - lowKey - bottom;
        if (range < 0) {
            throw new IllegalArgumentException("no doses above the lowest to bin: " + low + " to " + high);
        }
        int s = 0;
        while ((range >>> s) >= maxBins - bottom) {
            s++;
        }
        this.shift = s;
        this.binCount = (int) (range >>> s) + 1 + bottom;
        this.fixed = false;
        this.volume = new double[binCount];
        this.count = new int[binCount];
    }

    private OrderedHistogram(OrderedHistogram bins) {
        this.lowKey = bins.lowKey;
        this.bottom = bins.bottom;
        this.shift = bins.shift;
        this.binCount = bins.binCount;
        this.fixed = bins.fixed;
        this.volume = new double[binCount];
        this.count = new int[binCount];
    }

    OrderedHistogram emptyCopy() {
        return new OrderedHistogram(this);
    }

    int binCount() {
        return binCount;
    }

    static int fixedBinOf(float doseGy) {
        return Math.max(Float.floatToRawIntBits(doseGy), 0) >>> FIXED_SHIFT;
    }

    int binOf(float doseGy) {
        if (fixed) {
            return fixedBinOf(doseGy);
        }
        long offset = (long) DoseVolumeNodes.sortable(doseGy) - lowKey;
        if (offset <= 0) {
            return 0;
        }
        long b = ((offset - bottom) >>> shift) + bottom;
        return b >= binCount ? binCount - 1 : (int) b;
    }

    /**
     * Whether every dose in [low, high] that falls in this bin has the same bits: one key per bin, or the lowest
     * dose's bin of its own.
     */
    boolean singleDose(int bin) {
        return !fixed && (shift == 0 || (bottom == 1 && bin == 0));
    }

    /** The one dose of a {@link #singleDose} bin. */
    float doseOfSingleDoseBin(int bin) {
        return DoseVolumeNodes.unsortable(lowKey + bin);
    }

    /** The bin of a dose given in double: that of the largest float not above it. */
    int binOf(double doseGy) {
        float f = (float) doseGy;
        if (f > doseGy) {
            f = Math.nextDown(f);
        }
        return binOf(f);
    }

    OrderedHistogram acceptRange(float[] doseGy, float[] volumeCc, int from, int to) {
        if (fixed) {
            for (int p = from; p < to; p++) {
                int b = fixedBinOf(doseGy[p]);
                volume[b] += volumeCc[p];
                count[b]++;
            }
            return this;
        }
        for (int p = from; p < to; p++) {
            int b = binOf(doseGy[p]);
            volume[b] += volumeCc[p];
            count[b]++;
        }
        return this;
    }

    /** As {@link #acceptRange(float[], float[], int, int)} for the samples in bin {@code inBin} of the
     * range-free histogram only (all when -1). */
    OrderedHistogram acceptRange(float[] doseGy, float[] volumeCc, int from, int to, int inBin) {
        if (inBin < 0) {
            return acceptRange(doseGy, volumeCc, from, to);
        }
        for (int p = from; p < to; p++) {
            float x = doseGy[p];
            if (fixedBinOf(x) == inBin) {
                int b = binOf(x);
                volume[b] += volumeCc[p];
                count[b]++;
            }
        }
        return this;
    }

    OrderedHistogram combine(OrderedHistogram other) {
        for (int b = 0; b < binCount; b++) {
            volume[b] += other.volume[b];
            count[b] += other.count[b];
        }
        return this;
    }
}
