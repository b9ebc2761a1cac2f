package dev.eqd2sum.engine.kernel;

/**
 * Interpolation cells along one axis of an axis-aligned map {@code c = scale * i + offset}: for each
 * output index the lower cell (clamped to [0, n-2] as in {@link ScalarDoseKernels}) and the fraction,
 * from the same double arithmetic as the reference, and the contiguous range [first, end) of output
 * indices that fall inside the source (within {@link DoseKernelSupport#EDGE_TOLERANCE}).
 */
record AxisCells(int[] cell, float[] frac, int first, int end) {
    /** Off-diagonal terms below this (index units per index) count as zero: the map is separable. */
    static final double AXIS_ALIGNED_TOLERANCE = 1e-9;

    static AxisCells of(double scale, double offset, int outputCount, int sourceCount) {
        int[] cell = new int[outputCount];
        float[] frac = new float[outputCount];
        int first = outputCount;
        int end = 0;
        for (int i = 0; i < outputCount; i++) {
            double c = scale * i + offset;
            if (c >= -DoseKernelSupport.EDGE_TOLERANCE && c <= sourceCount - 1 + DoseKernelSupport.EDGE_TOLERANCE) {
                first = Math.min(first, i);
                end = i + 1;
                if (sourceCount > 1) {
                    int c0 = Math.max(0, Math.min(sourceCount - 2, (int) Math.floor(c)));
                    cell[i] = c0;
                    frac[i] = (float) Math.max(0, Math.min(1, c - c0));
                }
            }
        }
        return new AxisCells(cell, frac, first, Math.max(first, end));
    }

    /** The three axes of an axis-aligned output-index to source-index map (row-major 3x4 {@code m}). */
    static AxisCells[] ofMap(double[] m, int nx, int ny, int nz, int snx, int sny, int snz) {
        // The reference's expression with the zero off-diagonal terms dropped: offset + scale * i.
        return new AxisCells[] {of(m[0], m[3], nx, snx), of(m[5], m[7], ny, sny), of(m[10], m[11], nz, snz)};
    }

    boolean isEmpty() {
        return first >= end;
    }
}
