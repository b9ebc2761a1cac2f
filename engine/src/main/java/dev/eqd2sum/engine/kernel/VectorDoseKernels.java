package dev.eqd2sum.engine.kernel;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.D2I;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.I2D;

/**
 * The kernels on the Vector API ({@code jdk.incubator.vector}), {@link FloatVector#SPECIES_PREFERRED}
 * lanes at a time. Only {@link KernelProvider} loads this class, after checking that the incubator
 * module is in the boot layer (after Lucene's VectorizationProvider), so a JVM without
 * {@code --add-modules jdk.incubator.vector} never touches it.
 *
 * <p>Where the reference computes in double, these compute in float, except the mapping of a
 * point to its interpolation cell: cell indices and fractions come from the same double
 * arithmetic as {@link ScalarDoseKernels}, so both pick the same cell and the float error stays
 * a few ulps of the largest dose involved.
 *
 * <p>Resampling has two paths. When the output-to-source map is axis-aligned (a translation plus
 * per-axis scaling and flips, the usual case for grids from one scanner) it is separable: the
 * cell and fraction of every output column, row and slice are computed once per call; each output
 * row first blends the four source rows around it in y and z (contiguous vector loads) and then
 * interpolates along x by permuting one window of that blended row in registers (two gathers
 * where the window is too narrow: output much coarser than the source). Any other map (a rotated
 * registration) takes the general path: per-voxel cells in scalar double, then eight gathers per
 * vector of voxels.
 */
public final class VectorDoseKernels implements DoseKernelSupport {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Target-mask bytes, one lane per float lane. */
    private static final VectorSpecies<Byte> MASK_BYTES =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));
    /** Doubles per vector, and ints and floats with as many lanes, for locating points in double. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I_D =
            VectorSpecies.of(int.class, VectorShape.forBitSize(Math.max(64, D.length() * 32)));
    private static final VectorSpecies<Float> F_D =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, D.length() * 32)));
    private static final DoubleVector IOTA = DoubleVector.zero(D).addIndex(1);
    /** Points per block in {@link #gather}: scratch arrays stay in L1. */
    private static final int GATHER_BLOCK = 1024;

    public static final VectorDoseKernels INSTANCE = new VectorDoseKernels();

    private VectorDoseKernels() {
        if (LANES < 8 || MASK_BYTES.length() != LANES || I_D.length() != D.length()) {
            throw new IllegalStateException("the Vector API gives " + LANES
                    + " float lanes here; the vector kernels need at least 8");
        }
    }

    /** Float lanes per vector on this machine. */
    public static int lanes() {
        return LANES;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void eqd2Accumulate(float[] dose, VoxelConversion c, float[] acc, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, Math.min(dose.length, acc.length));
        Conversion conv = new Conversion(c);
        conv.accumulate(dose, from, acc, from, to - from);
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
        CornerInterpolator interp = new CornerInterpolator(source, Math.min(GATHER_BLOCK, Math.max(0, to - from)));
        double[] m = map.toArray();
        float[] block = new float[interp.capacity()];
        for (int s0 = from; s0 < to; s0 += GATHER_BLOCK) {
            int n = Math.min(GATHER_BLOCK, to - s0);
            interp.locatePoints(m, pi, pj, pk, s0, n);
            interp.interpolate(block, n);
            FloatVector scale = FloatVector.broadcast(SPECIES, doseScale);
            int t = 0;
            for (int bound = SPECIES.loopBound(n); t < bound; t += LANES) {
                FloatVector.fromArray(SPECIES, block, t).mul(scale).intoArray(out, s0 + t);
            }
            for (; t < n; t++) {
                out[s0 + t] = doseScale * block[t];
            }
        }
    }

    // --- resampling -------------------------------------------------------------------------

    private static void resampleSeparable(DoseGrid source, Affine3 map, GridGeometry output, Conversion conv,
                                          float[] acc, int kFrom, int kTo) {
        GridGeometry sg = source.geometry();
        double[] m = map.toArray();
        AxisCells[] axes = AxisCells.ofMap(m, output.nx(), output.ny(), output.nz(), sg.nx(), sg.ny(), sg.nz());
        AxisCells xs = axes[0];
        AxisCells ys = axes[1];
        AxisCells zs = axes[2];
        if (xs.first() >= xs.end()) {
            return; // no output column falls inside the source: every voxel gets 0
        }
        float[] src = source.doseGy();
        int snx = sg.nx();
        int sPlane = snx * sg.ny();
        int dyRow = sg.ny() > 1 ? snx : 0;
        int dzPlane = sg.nz() > 1 ? sPlane : 0;
        int dx = snx > 1 ? 1 : 0;
        // Source columns the valid output columns touch: [lo, hi] inclusive.
        // Cells are monotonic in i, ascending or (flipped axis) descending.
        int lo = Math.min(xs.cell()[xs.first()], xs.cell()[xs.end() - 1]);
        int hi = Math.max(xs.cell()[xs.first()], xs.cell()[xs.end() - 1]) + dx;
        // One y/z-blended source row; indexed by source column, padded so gathers at cell + dx stay inside.
        float[] blended = new float[snx + LANES + 1];
        ColumnPlan columns = new ColumnPlan(xs, dx);
        int nx = output.nx();
        int ny = output.ny();
        float[] rowDose = new float[nx];
        int first = xs.first();
        int count = xs.end() - xs.first();
        for (int k = Math.max(kFrom, zs.first()); k < Math.min(kTo, zs.end()); k++) {
            int zBase = zs.cell()[k] * sPlane;
            float fz = zs.frac()[k];
            for (int j = ys.first(); j < ys.end(); j++) {
                int r00 = zBase + ys.cell()[j] * snx;
                blendRows(src, r00, r00 + dyRow, r00 + dzPlane, r00 + dyRow + dzPlane,
                        ys.frac()[j], fz, blended, lo, hi + 1);
                columns.interpolate(blended, rowDose);
                conv.accumulate(rowDose, first, acc, nx * (j + ny * k) + first, count);
            }
        }
    }

    /** blended[x] = trilinear weight-blend of the four rows at (y0|y1, z0|z1) for x in [lo, hi). */
    private static void blendRows(float[] src, int r00, int r10, int r01, int r11, float fy, float fz,
                                  float[] blended, int lo, int hi) {
        FloatVector vfy = FloatVector.broadcast(SPECIES, fy);
        FloatVector vfz = FloatVector.broadcast(SPECIES, fz);
        int x = lo;
        for (int bound = lo + SPECIES.loopBound(hi - lo); x < bound; x += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, src, r00 + x);
            FloatVector b = FloatVector.fromArray(SPECIES, src, r10 + x);
            FloatVector c = FloatVector.fromArray(SPECIES, src, r01 + x);
            FloatVector d = FloatVector.fromArray(SPECIES, src, r11 + x);
            FloatVector y0 = b.sub(a).fma(vfy, a);
            FloatVector y1 = d.sub(c).fma(vfy, c);
            y1.sub(y0).fma(vfz, y0).intoArray(blended, x);
        }
        for (; x < hi; x++) {
            float a = src[r00 + x];
            float c = src[r01 + x];
            float y0 = Math.fma(src[r10 + x] - a, fy, a);
            float y1 = Math.fma(src[r11 + x] - c, fy, c);
            blended[x] = Math.fma(y1 - y0, fz, y0);
        }
    }

    /**
     * How each vector of output columns reads its two neighbours from a blended source row. When the
     * cells of a vector's columns span fewer than LANES source columns (output spacing up to about the
     * source spacing: the usual case) one contiguous window is loaded and permuted in registers
     * (selectFrom);
     * otherwise two gathers. Computed once per call, used for every row.
     */
    private static final class ColumnPlan {
        private final int first;
        private final int end;
        private final int dx;
        private final int[] cell;
        private final float[] frac;
        private final int[] windowStart; // per vector block
        private final boolean[] permutable; // per vector block
        // Lane indices into the window, per column: cell (+ dx) - windowStart of its block. Float, because
        // FloatVector.selectFrom takes its indices from float lanes; VectorShuffle.fromArray measured
        // 3x slower than the gathers here (JDK 25), selectFrom 1.5x faster than them.
        private final float[] lower;
        private final float[] upper;

        ColumnPlan(AxisCells xs, int dx) {
            this.first = xs.first();
            this.end = xs.end();
            this.dx = dx;
            this.cell = xs.cell();
            this.frac = xs.frac();
            int blocks = SPECIES.loopBound(end - first) / LANES;
            windowStart = new int[blocks];
            permutable = new boolean[blocks];
            lower = new float[cell.length];
            upper = new float[cell.length];
            for (int b = 0; b < blocks; b++) {
                int i0 = first + b * LANES;
                int lo = Integer.MAX_VALUE;
                int hi = Integer.MIN_VALUE;
                for (int i = i0; i < i0 + LANES; i++) {
                    lo = Math.min(lo, cell[i]);
                    hi = Math.max(hi, cell[i] + dx);
                }
                windowStart[b] = lo;
                permutable[b] = hi - lo < LANES;
                for (int i = i0; i < i0 + LANES; i++) {
                    lower[i] = cell[i] - lo;
                    upper[i] = cell[i] + dx - lo;
                }
            }
        }

        /** rowDose[i] = blended interpolated at output column i, for the columns inside the source. */
        void interpolate(float[] blended, float[] rowDose) {
            int i = first;
            for (int b = 0; b < windowStart.length; b++, i += LANES) {
                FloatVector a;
                FloatVector c;
                if (permutable[b]) {
                    FloatVector window = FloatVector.fromArray(SPECIES, blended, windowStart[b]);
                    a = FloatVector.fromArray(SPECIES, lower, i).selectFrom(window);
                    c = FloatVector.fromArray(SPECIES, upper, i).selectFrom(window);
                } else {
                    a = FloatVector.fromArray(SPECIES, blended, 0, cell, i);
                    c = FloatVector.fromArray(SPECIES, blended, dx, cell, i);
                }
                FloatVector f = FloatVector.fromArray(SPECIES, frac, i);
                c.sub(a).fma(f, a).intoArray(rowDose, i);
            }
            for (; i < end; i++) {
                float a = blended[cell[i]];
                rowDose[i] = Math.fma(blended[cell[i] + dx] - a, frac[i], a);
            }
        }
    }

    private static void resampleGeneral(DoseGrid source, Affine3 map, GridGeometry output, Conversion conv,
                                        float[] acc, int kFrom, int kTo) {
        double[] m = map.toArray();
        int nx = output.nx();
        int ny = output.ny();
        CornerInterpolator interp = new CornerInterpolator(source, nx);
        float[] rowDose = new float[nx];
        for (int k = kFrom; k < kTo; k++) {
            for (int j = 0; j < ny; j++) {
                boolean any = interp.locateRow(m, nx, j, k);
                if (any) {
                    interp.interpolate(rowDose, nx);
                    conv.accumulate(rowDose, 0, acc, nx * (j + ny * k), nx);
                }
            }
        }
    }

    // --- building blocks ----------------------------------------------------------------------


    /**
     * Trilinear interpolation of many arbitrary points: {@link #locate} each point in scalar double
     * (exactly as the reference), then {@link #interpolate} them with eight gathers per vector.
     */
    private static final class CornerInterpolator {
        private final float[] src;
        private final int nx;
        private final int ny;
        private final int nz;
        private final int plane;
        private final int[] corner; // 8 index offsets of the cell corners from corner 000
        private final int[] base;
        private final float[] fx;
        private final float[] fy;
        private final float[] fz;
        private final boolean[] inside;

        CornerInterpolator(DoseGrid source, int capacity) {
            GridGeometry g = source.geometry();
            src = source.doseGy();
            nx = g.nx();
            ny = g.ny();
            nz = g.nz();
            plane = nx * ny;
            int dx = nx > 1 ? 1 : 0;
            int dy = ny > 1 ? nx : 0;
            int dz = nz > 1 ? plane : 0;
            corner = new int[] {0, dx, dy, dx + dy, dz, dx + dz, dy + dz, dx + dy + dz};
            int padded = Math.max(1, capacity);
            base = new int[padded];
            fx = new float[padded];
            fy = new float[padded];
            fz = new float[padded];
            inside = new boolean[padded];
        }

        int capacity() {
            return base.length;
        }

        /**
         * Locates the voxels (i, j, k), i in [0, count), of one output row through the map m
         * (row-major 3x4); returns whether any is inside.
         */
        boolean locateRow(double[] m, int count, int j, int k) {
            // The reference's expression, (map at (0, j, k)) + m[0] * i without fma, so that cells
            // match it bit for bit.
            double rx = m[1] * j + m[2] * k + m[3];
            double ry = m[5] * j + m[6] * k + m[7];
            double rz = m[9] * j + m[10] * k + m[11];
            boolean any = false;
            int i = 0;
            for (int bound = D.loopBound(count); i < bound; i += D.length()) {
                DoubleVector iv = IOTA.add(i);
                any |= locateLanes(i, iv.mul(m[0]).add(rx), iv.mul(m[4]).add(ry), iv.mul(m[8]).add(rz));
            }
            for (; i < count; i++) {
                any |= locate(i, rx + m[0] * i, ry + m[4] * i, rz + m[8] * i);
            }
            return any;
        }

        /** Locates points from + t, t in [0, count), given in the map's input index space, as points t. */
        void locatePoints(double[] m, float[] pi, float[] pj, float[] pk, int from, int count) {
            int t = 0;
            for (int bound = D.loopBound(count); t < bound; t += D.length()) {
                DoubleVector x = (DoubleVector) FloatVector.fromArray(F_D, pi, from + t).convertShape(F2D, D, 0);
                DoubleVector y = (DoubleVector) FloatVector.fromArray(F_D, pj, from + t).convertShape(F2D, D, 0);
                DoubleVector z = (DoubleVector) FloatVector.fromArray(F_D, pk, from + t).convertShape(F2D, D, 0);
                locateLanes(t, x.mul(m[0]).add(y.mul(m[1])).add(z.mul(m[2])).add(m[3]),
                        x.mul(m[4]).add(y.mul(m[5])).add(z.mul(m[6])).add(m[7]),
                        x.mul(m[8]).add(y.mul(m[9])).add(z.mul(m[10])).add(m[11]));
            }
            for (; t < count; t++) {
                double x = pi[from + t];
                double y = pj[from + t];
                double z = pk[from + t];
                locate(t, m[0] * x + m[1] * y + m[2] * z + m[3],
                        m[4] * x + m[5] * y + m[6] * z + m[7],
                        m[8] * x + m[9] * y + m[10] * z + m[11]);
            }
        }

        /** {@link #locate} for D.length() points at once, stored from t on. */
        private boolean locateLanes(int t, DoubleVector x, DoubleVector y, DoubleVector z) {
            VectorMask<Double> in = x.compare(VectorOperators.GE, -EDGE_TOLERANCE)
                    .and(x.compare(VectorOperators.LE, nx - 1 + EDGE_TOLERANCE))
                    .and(y.compare(VectorOperators.GE, -EDGE_TOLERANCE))
                    .and(y.compare(VectorOperators.LE, ny - 1 + EDGE_TOLERANCE))
                    .and(z.compare(VectorOperators.GE, -EDGE_TOLERANCE))
                    .and(z.compare(VectorOperators.LE, nz - 1 + EDGE_TOLERANCE));
            IntVector x0 = cellLanes(x, nx);
            IntVector y0 = cellLanes(y, ny);
            IntVector z0 = cellLanes(z, nz);
            fracLanes(x, x0, nx).intoArray(fx, t);
            fracLanes(y, y0, ny).intoArray(fy, t);
            fracLanes(z, z0, nz).intoArray(fz, t);
            IntVector b = x0.add(y0.mul(nx)).add(z0.mul(plane));
            IntVector.zero(I_D).blend(b, in.cast(I_D)).intoArray(base, t);
            in.intoArray(inside, t);
            return in.anyTrue();
        }

        /**
         * max(0, min(n-2, floor(c))): truncation instead of floor is exact here, because the only
         * values where they differ that can be inside, [-EDGE_TOLERANCE, 0), clamp to 0 either way.
         */
        private static IntVector cellLanes(DoubleVector c, int n) {
            return ((IntVector) c.convertShape(D2I, I_D, 0)).min(n - 2).max(0);
        }

        private static FloatVector fracLanes(DoubleVector c, IntVector c0, int n) {
            if (n == 1) {
                return FloatVector.zero(F_D);
            }
            DoubleVector f = c.sub((DoubleVector) c0.convertShape(I2D, D, 0)).max(0).min(1);
            return (FloatVector) f.convertShape(D2F, F_D, 0);
        }

        /** Records point t at continuous source index (x, y, z); returns whether it is inside. */
        boolean locate(int t, double x, double y, double z) {
            if (!(x >= -EDGE_TOLERANCE && x <= nx - 1 + EDGE_TOLERANCE
                    && y >= -EDGE_TOLERANCE && y <= ny - 1 + EDGE_TOLERANCE
                    && z >= -EDGE_TOLERANCE && z <= nz - 1 + EDGE_TOLERANCE)) {
                inside[t] = false;
                base[t] = 0;
                fx[t] = 0;
                fy[t] = 0;
                fz[t] = 0;
                return false;
            }
            int x0 = cell(x, nx);
            int y0 = cell(y, ny);
            int z0 = cell(z, nz);
            inside[t] = true;
            base[t] = x0 + y0 * nx + z0 * plane;
            fx[t] = frac(x, x0, nx);
            fy[t] = frac(y, y0, ny);
            fz[t] = frac(z, z0, nz);
            return true;
        }

        /** out[t] for t in [0, n): the interpolated dose of each located point, 0 outside. */
        void interpolate(float[] out, int n) {
            int[] o = corner;
            FloatVector zero = FloatVector.zero(SPECIES);
            int t = 0;
            for (int bound = SPECIES.loopBound(n); t < bound; t += LANES) {
                FloatVector vfx = FloatVector.fromArray(SPECIES, fx, t);
                FloatVector vfy = FloatVector.fromArray(SPECIES, fy, t);
                FloatVector vfz = FloatVector.fromArray(SPECIES, fz, t);
                FloatVector c000 = FloatVector.fromArray(SPECIES, src, o[0], base, t);
                FloatVector c100 = FloatVector.fromArray(SPECIES, src, o[1], base, t);
                FloatVector c010 = FloatVector.fromArray(SPECIES, src, o[2], base, t);
                FloatVector c110 = FloatVector.fromArray(SPECIES, src, o[3], base, t);
                FloatVector c001 = FloatVector.fromArray(SPECIES, src, o[4], base, t);
                FloatVector c101 = FloatVector.fromArray(SPECIES, src, o[5], base, t);
                FloatVector c011 = FloatVector.fromArray(SPECIES, src, o[6], base, t);
                FloatVector c111 = FloatVector.fromArray(SPECIES, src, o[7], base, t);
                FloatVector c00 = c100.sub(c000).fma(vfx, c000);
                FloatVector c10 = c110.sub(c010).fma(vfx, c010);
                FloatVector c01 = c101.sub(c001).fma(vfx, c001);
                FloatVector c11 = c111.sub(c011).fma(vfx, c011);
                FloatVector c0 = c10.sub(c00).fma(vfy, c00);
                FloatVector c1 = c11.sub(c01).fma(vfy, c01);
                FloatVector d = c1.sub(c0).fma(vfz, c0);
                VectorMask<Float> in = VectorMask.fromArray(SPECIES, inside, t);
                zero.blend(d, in).intoArray(out, t);
            }
            for (; t < n; t++) {
                if (!inside[t]) {
                    out[t] = 0f;
                    continue;
                }
                int b = base[t];
                float c00 = Math.fma(src[b + o[1]] - src[b], fx[t], src[b]);
                float c10 = Math.fma(src[b + o[3]] - src[b + o[2]], fx[t], src[b + o[2]]);
                float c01 = Math.fma(src[b + o[5]] - src[b + o[4]], fx[t], src[b + o[4]]);
                float c11 = Math.fma(src[b + o[7]] - src[b + o[6]], fx[t], src[b + o[6]]);
                float c0 = Math.fma(c10 - c00, fy[t], c00);
                float c1 = Math.fma(c11 - c01, fy[t], c01);
                out[t] = Math.fma(c1 - c0, fz[t], c0);
            }
        }

        private static int cell(double c, int n) {
            return n == 1 ? 0 : Math.max(0, Math.min(n - 2, (int) Math.floor(c)));
        }

        private static float frac(double c, int c0, int n) {
            return n == 1 ? 0f : (float) Math.max(0, Math.min(1, c - c0));
        }
    }

    /**
     * One course's conversion ({@link FoldedConversion}: the same folded constants as the Java
     * kernels) in vector loops.
     */
    private static final class Conversion extends FoldedConversion {
        /** Voxels of an alpha/beta index looked up at a time. */
        private static final int AB_PIECE = 1024;
        /** The looked-up piece (a Conversion serves one call, on one thread). */
        private float[] abPiece;

        Conversion(VoxelConversion c) {
            super(c);
        }

        /** acc[accFrom + t] += w * EQD2(scale * dose[doseFrom + t]) for t in [0, count). */
        void accumulate(float[] dose, int doseFrom, float[] acc, int accFrom, int count) {
            if (abIndex != null) {
                // The index is looked up into a small float buffer a piece at a time, then the float-map loop runs.
                if (abPiece == null) {
                    abPiece = new float[AB_PIECE];
                }
                for (int done = 0; done < count; done += AB_PIECE) {
                    int n = Math.min(AB_PIECE, count - done);
                    for (int t = 0; t < n; t++) {
                        abPiece[t] = abTable[abIndex[accFrom + done + t] & 0xFF];
                    }
                    mapped(dose, doseFrom + done, acc, accFrom + done, n, abPiece, 0);
                }
            } else if (abMap == null && target == null) {
                uniformUnmasked(dose, doseFrom, acc, accFrom, count);
            } else if (abMap == null) {
                uniformMasked(dose, doseFrom, acc, accFrom, count);
            } else {
                mapped(dose, doseFrom, acc, accFrom, count, abMap, accFrom);
            }
        }

        private void uniformUnmasked(float[] dose, int doseFrom, float[] acc, int accFrom, int count) {
            FloatVector va = FloatVector.broadcast(SPECIES, aw);
            FloatVector vb = FloatVector.broadcast(SPECIES, bw);
            int t = 0;
            for (int bound = SPECIES.loopBound(count); t < bound; t += LANES) {
                FloatVector d = FloatVector.fromArray(SPECIES, dose, doseFrom + t);
                FloatVector s = FloatVector.fromArray(SPECIES, acc, accFrom + t);
                d.fma(va, vb).fma(d, s).intoArray(acc, accFrom + t);
            }
            for (; t < count; t++) {
                float d = dose[doseFrom + t];
                acc[accFrom + t] = Math.fma(Math.fma(d, aw, bw), d, acc[accFrom + t]);
            }
        }

        private void uniformMasked(float[] dose, int doseFrom, float[] acc, int accFrom, int count) {
            FloatVector va = FloatVector.broadcast(SPECIES, a);
            FloatVector vb = FloatVector.broadcast(SPECIES, b);
            FloatVector w = FloatVector.broadcast(SPECIES, weight);
            FloatVector one = FloatVector.broadcast(SPECIES, 1f);
            int t = 0;
            for (int bound = SPECIES.loopBound(count); t < bound; t += LANES) {
                FloatVector d = FloatVector.fromArray(SPECIES, dose, doseFrom + t);
                FloatVector s = FloatVector.fromArray(SPECIES, acc, accFrom + t);
                FloatVector e = d.fma(va, vb).mul(d);
                FloatVector wv = w.blend(one, targetLanes(accFrom + t));
                e.fma(wv, s).intoArray(acc, accFrom + t);
            }
            for (; t < count; t++) {
                float d = dose[doseFrom + t];
                float e = Math.fma(d, a, b) * d;
                float wv = target[accFrom + t] != 0 ? 1f : weight;
                acc[accFrom + t] = Math.fma(e, wv, acc[accFrom + t]);
            }
        }

        /** The float-map loop; alpha/beta of voxel accFrom + t is ab[abFrom + t]. */
        private void mapped(float[] dose, int doseFrom, float[] acc, int accFrom, int count, float[] ab0, int abFrom) {
            FloatVector vs = FloatVector.broadcast(SPECIES, scale);
            FloatVector vInvN = FloatVector.broadcast(SPECIES, invFractions);
            FloatVector two = FloatVector.broadcast(SPECIES, 2f);
            FloatVector w = FloatVector.broadcast(SPECIES, weight);
            FloatVector one = FloatVector.broadcast(SPECIES, 1f);
            int t = 0;
            for (int bound = SPECIES.loopBound(count); t < bound; t += LANES) {
                FloatVector dGy = FloatVector.fromArray(SPECIES, dose, doseFrom + t).mul(vs);
                FloatVector ab = FloatVector.fromArray(SPECIES, ab0, abFrom + t);
                FloatVector s = FloatVector.fromArray(SPECIES, acc, accFrom + t);
                FloatVector e = dGy.fma(vInvN, ab).mul(dGy).div(ab.add(two));
                FloatVector wv = target == null ? w : w.blend(one, targetLanes(accFrom + t));
                e.fma(wv, s).intoArray(acc, accFrom + t);
            }
            for (; t < count; t++) {
                float dGy = dose[doseFrom + t] * scale;
                float ab = ab0[abFrom + t];
                float e = Math.fma(dGy, invFractions, ab) * dGy / (ab + 2f);
                float wv = target != null && target[accFrom + t] != 0 ? 1f : weight;
                acc[accFrom + t] = Math.fma(e, wv, acc[accFrom + t]);
            }
        }

        private VectorMask<Float> targetLanes(int v) {
            return ByteVector.fromArray(MASK_BYTES, target, v).compare(VectorOperators.NE, (byte) 0).cast(SPECIES);
        }
    }
}
