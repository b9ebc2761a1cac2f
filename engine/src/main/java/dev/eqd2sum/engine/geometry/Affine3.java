package dev.eqd2sum.engine.geometry;

import java.util.Arrays;

/**
 * An affine map of 3-space, {@code y = A x + b}, stored row-major as 12 doubles
 * {@code [a00 a01 a02 b0; a10 a11 a12 b1; a20 a21 a22 b2]}. Used for index-to-patient maps of
 * grids and for the composed output-index to source-index map the kernels evaluate.
 */
public final class Affine3 {
    private final double[] m;

    private Affine3(double[] m) {
        this.m = m;
    }

    /** From 12 row-major values (a 3x4 matrix). */
    public static Affine3 of(double... rowMajor3x4) {
        if (rowMajor3x4.length != 12) {
            throw new IllegalArgumentException("an affine map needs 12 values, got " + rowMajor3x4.length);
        }
        return new Affine3(rowMajor3x4.clone());
    }

    public static Affine3 identity() {
        return new Affine3(new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0});
    }

    public static Affine3 translation(double tx, double ty, double tz) {
        return new Affine3(new double[] {1, 0, 0, tx, 0, 1, 0, ty, 0, 0, 1, tz});
    }

    /** Element at row r (0..2), column c (0..3; column 3 is the translation). */
    public double get(int r, int c) {
        return m[r * 4 + c];
    }

    /** A copy of the 12 row-major values. */
    public double[] toArray() {
        return m.clone();
    }

    public void apply(double x, double y, double z, double[] out) {
        double ox = m[0] * x + m[1] * y + m[2] * z + m[3];
        double oy = m[4] * x + m[5] * y + m[6] * z + m[7];
        double oz = m[8] * x + m[9] * y + m[10] * z + m[11];
        out[0] = ox;
        out[1] = oy;
        out[2] = oz;
    }

    public double[] apply(double x, double y, double z) {
        double[] out = new double[3];
        apply(x, y, z, out);
        return out;
    }

    /** {@code this} after {@code first}: x -> this(first(x)). */
    public Affine3 after(Affine3 first) {
        double[] a = m;
        double[] b = first.m;
        double[] r = new double[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                double s = a[i * 4] * b[j] + a[i * 4 + 1] * b[4 + j] + a[i * 4 + 2] * b[8 + j];
                if (j == 3) {
                    s += a[i * 4 + 3];
                }
                r[i * 4 + j] = s;
            }
        }
        return new Affine3(r);
    }

    public double determinant() {
        return m[0] * (m[5] * m[10] - m[6] * m[9])
                - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
    }

    public Affine3 inverse() {
        double det = determinant();
        if (!(Math.abs(det) > 1e-300)) {
            throw new ArithmeticException("singular affine map");
        }
        double[] r = new double[12];
        r[0] = (m[5] * m[10] - m[6] * m[9]) / det;
        r[1] = (m[2] * m[9] - m[1] * m[10]) / det;
        r[2] = (m[1] * m[6] - m[2] * m[5]) / det;
        r[4] = (m[6] * m[8] - m[4] * m[10]) / det;
        r[5] = (m[0] * m[10] - m[2] * m[8]) / det;
        r[6] = (m[2] * m[4] - m[0] * m[6]) / det;
        r[8] = (m[4] * m[9] - m[5] * m[8]) / det;
        r[9] = (m[1] * m[8] - m[0] * m[9]) / det;
        r[10] = (m[0] * m[5] - m[1] * m[4]) / det;
        for (int i = 0; i < 3; i++) {
            r[i * 4 + 3] = -(r[i * 4] * m[3] + r[i * 4 + 1] * m[7] + r[i * 4 + 2] * m[11]);
        }
        return new Affine3(r);
    }

    /** True when the linear part is diagonal (within tol): the map is separable per axis. */
    public boolean isAxisAligned(double tol) {
        return Math.abs(m[1]) <= tol && Math.abs(m[2]) <= tol && Math.abs(m[4]) <= tol
                && Math.abs(m[6]) <= tol && Math.abs(m[8]) <= tol && Math.abs(m[9]) <= tol;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Affine3 other && Arrays.equals(m, other.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "[[%.6g %.6g %.6g %.6g] [%.6g %.6g %.6g %.6g] [%.6g %.6g %.6g %.6g]]",
                m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11]);
    }
}
