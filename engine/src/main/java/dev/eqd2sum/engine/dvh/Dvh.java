package dev.eqd2sum.engine.dvh;

/**
 * A cumulative dose-volume histogram: {@code volumeCc[b]} is the volume receiving at least
 * {@code doseGy[b] = b * binGy}, from 0 Gy up to the first bin edge above the maximum (where the
 * volume is 0). The curve follows the same interpolated dose-volume relation as the statistics
 * (so V<x>Gy read off the curve at a bin edge equals the statistic). {@code binGy} is 0.01 Gy
 * unless the doses are so high that the curve would exceed {@link #MAX_POINTS} points.
 */
public record Dvh(double binGy, double[] doseGy, double[] volumeCc, double totalVolumeCc) {
    public static final double DEFAULT_BIN_GY = 0.01;
    public static final int MAX_POINTS = 1 << 20;

    public Dvh {
        if (doseGy.length != volumeCc.length) {
            throw new IllegalArgumentException("dose and volume arrays differ in length");
        }
    }

    public int size() {
        return doseGy.length;
    }

    /** Volume in percent of the structure's volume inside the grid; null when that volume is 0. */
    public double[] volumePercent() {
        if (!(totalVolumeCc > 0)) {
            return null;
        }
        double[] out = new double[volumeCc.length];
        for (int b = 0; b < out.length; b++) {
            out[b] = volumeCc[b] / totalVolumeCc * 100.0;
        }
        return out;
    }
}
