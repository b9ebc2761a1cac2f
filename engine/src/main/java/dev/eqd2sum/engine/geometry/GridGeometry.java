package dev.eqd2sum.engine.geometry;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a regular voxel grid lies in patient space (mm). Voxel (i, j, k) has its centre at
 * {@code origin + i*sx*u + j*sy*v + k*sz*w}, where u is the row direction (DICOM
 * ImageOrientationPatient[0..2], the direction of increasing column index i), v the column
 * direction (IOP[3..5], increasing row index j), and w the direction in which frames advance
 * (u x v, or its negative for descending GridFrameOffsetVector). Spacings are positive.
 * Voxel data are stored with i fastest: {@code index = i + nx * (j + ny * k)}.
 */
public final class GridGeometry {
    /** Largest grid we accept: Java arrays are int-indexed. */
    public static final long MAX_VOXELS = Integer.MAX_VALUE - 16L;
    /**
     * The spacings (mm) a grid read or asked for may have: finer than any dose grid's, coarser than any voxel's. A
     * structure smaller than a voxel of a far coarser grid would hold none of its sub-voxel points.
     */
    public static final double MIN_SPACING_MM = 0.05;
    public static final double MAX_SPACING_MM = 100;
    /**
     * The farthest a position (mm) read from a file may lie from its frame's origin: 100 m, far beyond any patient or
     * couch position. Farther, positions lose the precision that indices on a millimetre grid need.
     */
    public static final double MAX_COORDINATE_MM = 100_000;

    private final int nx, ny, nz;
    private final double[] origin;   // mm, centre of voxel (0,0,0)
    private final double[] spacing;  // mm: sx (between columns), sy (between rows), sz (between frames)
    private final double[] u, v, w;  // unit direction cosines

    public GridGeometry(int nx, int ny, int nz, double[] originMm, double[] spacingMm,
                        double[] rowDirection, double[] columnDirection, double[] frameDirection) {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("grid size must be positive: " + nx + "x" + ny + "x" + nz);
        }
        if ((long) nx * ny * nz > MAX_VOXELS) {
            throw new IllegalArgumentException("grid of " + nx + "x" + ny + "x" + nz + " voxels is too large");
        }
        for (double s : spacingMm) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("voxel spacing must be positive: " + Arrays.toString(spacingMm));
            }
        }
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.origin = originMm.clone();
        this.spacing = spacingMm.clone();
        this.u = rowDirection.clone();
        this.v = columnDirection.clone();
        this.w = frameDirection.clone();
    }

    /** An axis-aligned grid (orientation 1,0,0,0,1,0 and ascending frames). */
    public static GridGeometry axisAligned(int nx, int ny, int nz, double ox, double oy, double oz,
                                           double sx, double sy, double sz) {
        return new GridGeometry(nx, ny, nz, new double[] {ox, oy, oz}, new double[] {sx, sy, sz},
                new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1});
    }

    public int nx() { return nx; }
    public int ny() { return ny; }
    public int nz() { return nz; }

    public int voxelCount() {
        return nx * ny * nz;
    }

    public int index(int i, int j, int k) {
        return i + nx * (j + ny * k);
    }

    public double[] originMm() { return origin.clone(); }
    public double[] spacingMm() { return spacing.clone(); }
    public double spacingX() { return spacing[0]; }
    public double spacingY() { return spacing[1]; }
    public double spacingZ() { return spacing[2]; }
    public double[] rowDirection() { return u.clone(); }
    public double[] columnDirection() { return v.clone(); }
    public double[] frameDirection() { return w.clone(); }

    public double voxelVolumeCc() {
        return spacing[0] * spacing[1] * spacing[2] / 1000.0;
    }

    /** Continuous index (i, j, k) to patient coordinates (mm). */
    public Affine3 indexToPatient() {
        return Affine3.of(
                u[0] * spacing[0], v[0] * spacing[1], w[0] * spacing[2], origin[0],
                u[1] * spacing[0], v[1] * spacing[1], w[1] * spacing[2], origin[1],
                u[2] * spacing[0], v[2] * spacing[1], w[2] * spacing[2], origin[2]);
    }

    /** Patient coordinates (mm) to continuous index. */
    public Affine3 patientToIndex() {
        return indexToPatient().inverse();
    }

    public double[] voxelCentreMm(int i, int j, int k) {
        return indexToPatient().apply(i, j, k);
    }

    /** True when u, v, w are the patient axes x, y, z (each possibly reversed). */
    public boolean isAxisAligned() {
        return indexToPatient().isAxisAligned(1e-9);
    }

    /** Same size, placement and orientation (within 1e-4 mm / 1e-6). */
    public boolean sameGridAs(GridGeometry o) {
        return nx == o.nx && ny == o.ny && nz == o.nz
                && close(origin, o.origin, 1e-4) && close(spacing, o.spacing, 1e-4)
                && close(u, o.u, 1e-6) && close(v, o.v, 1e-6) && close(w, o.w, 1e-6);
    }

    private static boolean close(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%dx%d voxels of %.4gx%.4gx%.4g mm at (%.2f, %.2f, %.2f) mm",
                nx, ny, nz, spacing[0], spacing[1], spacing[2], origin[0], origin[1], origin[2]);
    }
}
