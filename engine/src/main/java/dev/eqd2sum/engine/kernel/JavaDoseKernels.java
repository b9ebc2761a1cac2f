package dev.eqd2sum.engine.kernel;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;

/**
 * The {@code scalar} backend: plain Java loops (no Vector API, nothing to load), with the same
 * algorithm as {@link VectorDoseKernels} — per-course constants folded, a separable path for
 * axis-aligned maps that blends four source rows and then interpolates along x from per-column
 * tables — in float, with cells located in double exactly as the reference
 * {@link ScalarDoseKernels} does. Plain loops reach compiled speed within a few hundred
 * iterations and C2 vectorises the simple ones by itself, so this is the backend for a cold JVM,
 * where the Vector API runs orders of magnitude slower until C2 has compiled it
 * (bench/results/kernels.md).
 */
public final class JavaDoseKernels implements DoseKernelSupport {
    public static final JavaDoseKernels INSTANCE = new JavaDoseKernels();

    private JavaDoseKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void eqd2Accumulate(float[] dose, VoxelConversion c, float[] acc, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, Math.min(dose.length, acc.length));
        new Conversion(c).accumulate(dose, from, acc, from, to - from);
    }

    @Override
    public void resampleEqd2Accumulate(DoseGrid source, Affine3 map, GridGeometry output,
                                       VoxelConversion c, float[] acc, int kFrom, int kTo) {
        if (kFrom >= kTo) {
            return;
        }
        java.util.Objects.checkFromToIndex(kFrom, kTo, output.nz());
        Conversion conv = new Conversion(c);
        if (map.isAxisAligned(AxisCells.AXIS_ALIGNED_TOLERANCE)) {
            resampleSeparable(source, map, output, conv, acc, kFrom, kTo);
        } else {
            resampleGeneral(source, map, output, conv, acc, kFrom, kTo);
        }
    }

    @Override
    public void gather(DoseGrid source, Affine3 map, float[] pi, float[] pj, float[] pk,
                       float doseScale, float[] out, int from, int to) {
        double[] m = map.toArray();
        Trilinear t = new Trilinear(source);
        for (int s = from; s < to; s++) {
            double x = pi[s];
            double y = pj[s];
            double z = pk[s];
            out[s] = doseScale * t.at(m[0] * x + m[1] * y + m[2] * z + m[3],
                    m[4] * x + m[5] * y + m[6] * z + m[7],
                    m[8] * x + m[9] * y + m[10] * z + m[11]);
        }
    }

    private static void resampleSeparable(DoseGrid source, Affine3 map, GridGeometry output, Conversion conv,
                                          float[] acc, int kFrom, int kTo) {
        GridGeometry sg = source.geometry();
        AxisCells[] axes = AxisCells.ofMap(map.toArray(), output.nx(), output.ny(), output.nz(),
                sg.nx(), sg.ny(), sg.nz());
        AxisCells xs = axes[0];
        AxisCells ys = axes[1];
        AxisCells zs = axes[2];
        if (xs.isEmpty()) {
            return;
        }
        float[] src = source.doseGy();
        int snx = sg.nx();
        int sPlane = snx * sg.ny();
        int dyRow = sg.ny() > 1 ? snx : 0;
        int dzPlane = sg.nz() > 1 ? sPlane : 0;
        int dx = snx > 1 ? 1 : 0;
        int[] cell = xs.cell();
        float[] frac = xs.frac();
        int first = xs.first();
        int end = xs.end();
        int lo = Math.min(cell[first], cell[end - 1]);
        int hi = Math.max(cell[first], cell[end - 1]) + dx + 1;
        float[] blended = new float[snx + 1];
        float[] rowDose = new float[output.nx()];
        int nx = output.nx();
        int ny = output.ny();
        for (int k = Math.max(kFrom, zs.first()); k < Math.min(kTo, zs.end()); k++) {
            int zBase = zs.cell()[k] * sPlane;
            float fz = zs.frac()[k];
            for (int j = ys.first(); j < ys.end(); j++) {
                int r00 = zBase + ys.cell()[j] * snx;
                int r10 = r00 + dyRow;
                int r01 = r00 + dzPlane;
                int r11 = r01 + dyRow;
                float fy = ys.frac()[j];
                for (int x = lo; x < hi; x++) {
                    float a = src[r00 + x];
                    float c = src[r01 + x];
                    float y0 = Math.fma(src[r10 + x] - a, fy, a);
                    float y1 = Math.fma(src[r11 + x] - c, fy, c);
                    blended[x] = Math.fma(y1 - y0, fz, y0);
                }
                for (int i = first; i < end; i++) {
                    float a = blended[cell[i]];
                    rowDose[i] = Math.fma(blended[cell[i] + dx] - a, frac[i], a);
                }
                conv.accumulate(rowDose, first, acc, nx * (j + ny * k) + first, end - first);
            }
        }
    }

    private static void resampleGeneral(DoseGrid source, Affine3 map, GridGeometry output, Conversion conv,
                                        float[] acc, int kFrom, int kTo) {
        double[] m = map.toArray();
        int nx = output.nx();
        int ny = output.ny();
        Trilinear t = new Trilinear(source);
        float[] rowDose = new float[nx];
        for (int k = kFrom; k < kTo; k++) {
            for (int j = 0; j < ny; j++) {
                // The reference's expression, so that cells match it bit for bit.
                double rx = m[1] * j + m[2] * k + m[3];
                double ry = m[5] * j + m[6] * k + m[7];
                double rz = m[9] * j + m[10] * k + m[11];
                for (int i = 0; i < nx; i++) {
                    rowDose[i] = t.at(rx + m[0] * i, ry + m[4] * i, rz + m[8] * i);
                }
                conv.accumulate(rowDose, 0, acc, nx * (j + ny * k), nx);
            }
        }
    }

    /**
     * The reference's trilinear rule, with the blending in float: 0 outside the grid (beyond the edge
     * tolerance). Public so that the statistics' sampler interpolates bit for bit as this backend does.
     */
    public static final class Trilinear {
        private final float[] d;
        private final int nx;
        private final int ny;
        private final int nz;
        private final int dx;
        private final int dy;
        private final int dz;

        public Trilinear(DoseGrid g) {
            d = g.doseGy();
            nx = g.geometry().nx();
            ny = g.geometry().ny();
            nz = g.geometry().nz();
            dx = nx > 1 ? 1 : 0;
            dy = ny > 1 ? nx : 0;
            dz = nz > 1 ? nx * ny : 0;
        }

        /** The dose at continuous source index (x, y, z). */
        public float at(double x, double y, double z) {
            if (!(x >= -EDGE_TOLERANCE && x <= nx - 1 + EDGE_TOLERANCE
                    && y >= -EDGE_TOLERANCE && y <= ny - 1 + EDGE_TOLERANCE
                    && z >= -EDGE_TOLERANCE && z <= nz - 1 + EDGE_TOLERANCE)) {
                return 0f;
            }
            // (int) c is floor(c) clamped at 0 for every c >= -EDGE_TOLERANCE > -1 (the test above): the reference's
            // cell without Math.floor, which C1 (one case) runs as StrictMath's bit manipulation
            int x0 = nx == 1 ? 0 : Math.max(0, Math.min(nx - 2, (int) x));
            int y0 = ny == 1 ? 0 : Math.max(0, Math.min(ny - 2, (int) y));
            int z0 = nz == 1 ? 0 : Math.max(0, Math.min(nz - 2, (int) z));
            float fx = nx == 1 ? 0f : unit(x - x0);
            float fy = ny == 1 ? 0f : unit(y - y0);
            float fz = nz == 1 ? 0f : unit(z - z0);
            return blend(d, x0 + y0 * nx + z0 * nx * ny, dx, dy, dz, fx, fy, fz);
        }
    }

    /**
     * The trilinear blend of the cell at {@code b} (strides dx, dy, dz; 0 on an axis of one voxel) with weights
     * fx, fy, fz: along x, then y, then z, in float with fused multiply-adds. {@link Trilinear} (this backend's
     * points) and the statistics' sampler on per-axis cells blend through here, so they agree bit for bit. (The
     * launcher has C1 inline it.)
     */
    public static float blend(float[] d, int b, int dx, int dy, int dz, float fx, float fy, float fz) {
        float c00 = Math.fma(d[b + dx] - d[b], fx, d[b]);
        float c10 = Math.fma(d[b + dy + dx] - d[b + dy], fx, d[b + dy]);
        float c01 = Math.fma(d[b + dz + dx] - d[b + dz], fx, d[b + dz]);
        float c11 = Math.fma(d[b + dz + dy + dx] - d[b + dz + dy], fx, d[b + dz + dy]);
        float c0 = Math.fma(c10 - c00, fy, c00);
        float c1 = Math.fma(c11 - c01, fy, c01);
        return Math.fma(c1 - c0, fz, c0);
    }

    /**
     * {@code (float) Math.max(0, Math.min(1, t))} for the finite t of a cell (-0 gives +0 as there), by plain
     * comparisons: C1 (one case) runs Math's double min and max, with their NaN and signed-zero rules, slowly.
     */
    private static float unit(double t) {
        return t <= 0 ? 0f : t >= 1 ? 1f : (float) t;
    }

    /** One course's conversion ({@link FoldedConversion}: the same folded constants as the vector kernels) in plain loops. */
    private static final class Conversion extends FoldedConversion {
        Conversion(VoxelConversion c) {
            super(c);
        }

        void accumulate(float[] dose, int doseFrom, float[] acc, int accFrom, int count) {
            // the constants in locals: C1 (one case) reads a field on every iteration otherwise
            byte[] abIndex = this.abIndex;
            float[] abMap = this.abMap;
            byte[] target = this.target;
            float scale = this.scale;
            float invFractions = this.invFractions;
            float weight = this.weight;
            if (abIndex != null) {
                float[] abTable = this.abTable;
                for (int t = 0; t < count; t++) {
                    float dGy = dose[doseFrom + t] * scale;
                    float ab = abTable[abIndex[accFrom + t] & 0xFF];
                    float e = Math.fma(dGy, invFractions, ab) * dGy / (ab + 2f);
                    float wv = target != null && target[accFrom + t] != 0 ? 1f : weight;
                    acc[accFrom + t] = Math.fma(e, wv, acc[accFrom + t]);
                }
            } else if (abMap == null && target == null) {
                float aw = this.aw;
                float bw = this.bw;
                for (int t = 0; t < count; t++) {
                    float d = dose[doseFrom + t];
                    acc[accFrom + t] = Math.fma(Math.fma(d, aw, bw), d, acc[accFrom + t]);
                }
            } else if (abMap == null) {
                float a = this.a;
                float b = this.b;
                for (int t = 0; t < count; t++) {
                    float d = dose[doseFrom + t];
                    float e = Math.fma(d, a, b) * d;
                    float wv = target[accFrom + t] != 0 ? 1f : weight;
                    acc[accFrom + t] = Math.fma(e, wv, acc[accFrom + t]);
                }
            } else {
                for (int t = 0; t < count; t++) {
                    float dGy = dose[doseFrom + t] * scale;
                    float ab = abMap[accFrom + t];
                    float e = Math.fma(dGy, invFractions, ab) * dGy / (ab + 2f);
                    float wv = target != null && target[accFrom + t] != 0 ? 1f : weight;
                    acc[accFrom + t] = Math.fma(e, wv, acc[accFrom + t]);
                }
            }
        }
    }
}
