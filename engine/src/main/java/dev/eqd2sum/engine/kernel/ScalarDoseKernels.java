package dev.eqd2sum.engine.kernel;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.lq.Eqd2;

/**
 * The reference implementation: plain loops that say what the faster kernels must compute.
 * Every other {@link DoseKernelSupport} is tested against this one.
 */
public final class ScalarDoseKernels implements DoseKernelSupport {
    public static final ScalarDoseKernels INSTANCE = new ScalarDoseKernels();

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void eqd2Accumulate(float[] dose, VoxelConversion c, float[] acc, int from, int to) {
        for (int v = from; v < to; v++) {
            acc[v] += weight(c, v) * eqd2(c.doseScale() * dose[v], c, v);
        }
    }

    @Override
    public void resampleEqd2Accumulate(DoseGrid source, Affine3 map, GridGeometry output,
                                       VoxelConversion c, float[] acc, int kFrom, int kTo) {
        int nx = output.nx();
        int ny = output.ny();
        double[] m = map.toArray();
        for (int k = kFrom; k < kTo; k++) {
            for (int j = 0; j < ny; j++) {
                int row = nx * (j + ny * k);
                // the map at (0, j, k); along a row only the i column changes
                double rx = m[1] * j + m[2] * k + m[3];
                double ry = m[5] * j + m[6] * k + m[7];
                double rz = m[9] * j + m[10] * k + m[11];
                for (int i = 0; i < nx; i++) {
                    float d = trilinear(source, rx + m[0] * i, ry + m[4] * i, rz + m[8] * i);
                    int v = row + i;
                    acc[v] += weight(c, v) * eqd2(c.doseScale() * d, c, v);
                }
            }
        }
    }

    @Override
    public void gather(DoseGrid source, Affine3 map, float[] pi, float[] pj, float[] pk,
                       float doseScale, float[] out, int from, int to) {
        double[] p = new double[3];
        for (int s = from; s < to; s++) {
            map.apply(pi[s], pj[s], pk[s], p);
            out[s] = doseScale * trilinear(source, p[0], p[1], p[2]);
        }
    }

    private static float weight(VoxelConversion c, int v) {
        byte[] target = c.targetMask();
        return target != null && target[v] != 0 ? 1f : c.normalTissueWeight();
    }

    private static float eqd2(float doseGy, VoxelConversion c, int v) {
        float ab = c.alphaBetaAt(v);
        return (float) Eqd2.eqd2(doseGy, c.fractions(), ab);
    }

    /**
     * Trilinear interpolation at continuous index (x, y, z); 0 when the point lies more than
     * {@link #EDGE_TOLERANCE} outside [0, n-1] on any axis.
     */
    public static float trilinear(DoseGrid g, double x, double y, double z) {
        GridGeometry geo = g.geometry();
        int nx = geo.nx();
        int ny = geo.ny();
        int nz = geo.nz();
        if (!(x >= -EDGE_TOLERANCE && x <= nx - 1 + EDGE_TOLERANCE
                && y >= -EDGE_TOLERANCE && y <= ny - 1 + EDGE_TOLERANCE
                && z >= -EDGE_TOLERANCE && z <= nz - 1 + EDGE_TOLERANCE)) {
            return 0f;
        }
        int x0 = cell(x, nx);
        int y0 = cell(y, ny);
        int z0 = cell(z, nz);
        double fx = frac(x, x0, nx);
        double fy = frac(y, y0, ny);
        double fz = frac(z, z0, nz);
        int x1 = nx > 1 ? x0 + 1 : x0;
        int y1 = ny > 1 ? y0 + 1 : y0;
        int z1 = nz > 1 ? z0 + 1 : z0;
        float[] d = g.doseGy();
        int sy = nx;
        int sz = nx * ny;
        double c00 = d[x0 + y0 * sy + z0 * sz] * (1 - fx) + d[x1 + y0 * sy + z0 * sz] * fx;
        double c10 = d[x0 + y1 * sy + z0 * sz] * (1 - fx) + d[x1 + y1 * sy + z0 * sz] * fx;
        double c01 = d[x0 + y0 * sy + z1 * sz] * (1 - fx) + d[x1 + y0 * sy + z1 * sz] * fx;
        double c11 = d[x0 + y1 * sy + z1 * sz] * (1 - fx) + d[x1 + y1 * sy + z1 * sz] * fx;
        double c0 = c00 * (1 - fy) + c10 * fy;
        double c1 = c01 * (1 - fy) + c11 * fy;
        return (float) (c0 * (1 - fz) + c1 * fz);
    }

    /** Lower corner of the interpolation cell, in [0, n-2] (0 for a single-voxel axis). */
    private static int cell(double c, int n) {
        if (n == 1) {
            return 0;
        }
        int i = (int) Math.floor(c);
        return Math.max(0, Math.min(n - 2, i));
    }

    private static double frac(double c, int i0, int n) {
        if (n == 1) {
            return 0;
        }
        return Math.max(0, Math.min(1, c - i0));
    }
}
