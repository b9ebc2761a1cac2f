package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.kernel.JavaDoseKernels;
import dev.eqd2sum.engine.structure.SamplePoints;
import dev.eqd2sum.engine.structure.SampleSet;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * Each course's physical dose at a structure's sample points, so that any alpha/beta and any
 * scope (forgiven, unforgiven, physical, per course, summary) can be evaluated on the structure
 * alone, without another full-size grid.
 *
 * <p>Sample points are continuous indices of the plan sum's output grid (as {@link SamplePoints}
 * holds them). A course's dose there is its delivered physical dose in Gy: FRACTION doses already
 * multiplied by the fractions, BEAM doses summed, incomplete courses scaled by delivered /
 * planned, interpolated trilinearly through the course's rigid transform, 0 outside its grid (the
 * same rule and the same kernels as the plan sum, so a sample at a voxel centre gives what the
 * map holds there). To convert, use {@link ScheduledCourse#conversionFractions()} and weight prior
 * courses in normal tissue by {@link ScheduledCourse#normalTissueWeight()}:
 * <pre>
 *   float[][] d = sampler.physicalDose(samples);
 *   for course c, sample p: eqd2 = Eqd2.eqd2(d[c][p], courses.get(c).conversionFractions(), ab)
 *   planSum[p] = sum_c (target ? 1 : courses.get(c).normalTissueWeight()) * eqd2
 * </pre>
 * Courses are in the case's order ({@link ScheduledCourse#index()}). Thread-safe.
 */
public final class CourseDoseSampler {
    /** Below this many samples one thread does the gathering. */
    private static final int MIN_SAMPLES_PER_TASK = 1 << 15;

    private final PlanSum planSum;
    private final List<CourseDoseSource> sources;
    /** Per course: its grid when that is the output grid itself (read directly), else null. */
    private final OwnGrid[] own;
    /** Per course: its per-axis cells and inside flags when its map is diagonal, else null. */
    private final SeparableCells[] cells;

    CourseDoseSampler(PlanSum planSum, List<CourseDoseSource> sources) {
        this.planSum = planSum;
        this.sources = sources;
        own = new OwnGrid[sources.size()];
        cells = new SeparableCells[sources.size()];
        for (int c = 0; c < own.length; c++) {
            CourseDoseSource s = sources.get(c);
            own[c] = s.onOutputGrid && isIdentity(s.outputIndexToSourceIndex) ? new OwnGrid(s) : null;
            cells[c] = SeparableCells.of(s, planSum.outputGrid(), planSum.kernels());
        }
    }

    /** The courses, in the case's order, with fractions, weights, intervals and the current flag. */
    public List<ScheduledCourse> courses() {
        return planSum.courses();
    }

    public int courseCount() {
        return sources.size();
    }

    /** The grid the sample points' indices refer to. */
    public GridGeometry outputGrid() {
        return planSum.outputGrid();
    }

    /** Physical dose (Gy) of every course at every sample: {@code [course][sample]}. */
    public float[][] physicalDose(SamplePoints samples) {
        return everyCourse(samples.count(), (out, c) -> physicalDose(c, samples, out));
    }

    /** Physical dose (Gy) of every course at every sample of a compact set: {@code [course][sample]}. */
    public float[][] physicalDose(SampleSet samples) {
        return everyCourse(samples.count(), (out, c) -> physicalDose(c, samples, out));
    }

    private float[][] everyCourse(int samples, ObjIntConsumer<float[]> fill) {
        float[][] out = new float[sources.size()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = new float[samples];
            fill.accept(out[c], c);
        }
        return out;
    }

    /** Physical dose (Gy) of course {@code course} (case order) at every sample, into {@code out}. */
    public void physicalDose(int course, SamplePoints samples, float[] out) {
        forEachRange(course, samples.count(), out,
                (s, own, cells, from, to) -> gatherPoints(s, own, cells, samples, out, from, to));
    }

    /** Samples per piece whose positions are made when a gather needs them as floats (fits in L1 with the doses). */
    private static final int PIECE = 1 << 10;

    /**
     * Physical dose (Gy) of course {@code course} at every sample of a compact set, into {@code out}: the same
     * values as {@link #physicalDose(int, SamplePoints, float[])} at the same points. A course on the output grid
     * reads interior voxel centres straight from its doses; otherwise the positions are made piece by piece
     * and gathered as points.
     */
    public void physicalDose(int course, SampleSet samples, float[] out) {
        forEachRange(course, samples.count(), out, (s, own, cells, from, to) -> {
            float[] pi = new float[PIECE], pj = new float[PIECE], pk = new float[PIECE], piece = new float[PIECE];
            SamplePoints points = new SamplePoints(pi, pj, pk, piece, PIECE);
            int seg = samples.segmentOf(from);
            int p = from;
            while (p < to) {
                int end = Math.min(to, samples.segmentEnd(seg));
                if (own != null && samples.isCentres(seg)) {
                    p = own.centres(samples.firstVoxel(seg) + (p - samples.segmentStart(seg)), out, p, end);
                } else if (cells != null && samples.isCentres(seg)) {
                    p = cells.centres(s, samples.firstVoxel(seg) + (p - samples.segmentStart(seg)), out, p, end);
                }
                while (p < end) {
                    int len = Math.min(PIECE, end - p);
                    samples.positions(p, p + len, pi, pj, pk, 0);
                    gatherPoints(s, own, cells, points, piece, 0, len);
                    System.arraycopy(piece, 0, out, p, len);
                    p += len;
                }
                seg++;
            }
        });
    }

    /**
     * One range {@code [from, to)} of a course's samples, and how that course is gathered: {@code own} when its
     * grid is the output grid itself, else {@code cells} when its map is diagonal, else the kernels.
     */
    private interface RangeGather {
        void gather(CourseDoseSource s, OwnGrid own, SeparableCells cells, int from, int to);
    }

    /** Splits a course's {@code n} samples into ranges over the plan sum's threads and gathers each. */
    private void forEachRange(int course, int n, float[] out, RangeGather body) {
        CourseDoseSource s = sources.get(course);
        if (out.length < n) {
            throw new IllegalArgumentException("output array shorter than " + n + " samples");
        }
        int tasks = Math.max(1, Math.min(planSum.threads(), n / MIN_SAMPLES_PER_TASK));
        int per = (n + tasks - 1) / tasks;
        OwnGrid ownGrid = own[course];
        SeparableCells separable = cells[course];
        planSum.runSlabs(tasks, t -> {
            int from = t * per;
            int to = Math.min(n, from + per);
            if (from < to) {
                body.gather(s, ownGrid, separable, from, to);
            }
        });
    }

    /** Points {@code [from, to)}: read directly on the course's own grid, through per-axis cells, or the kernels. */
    private void gatherPoints(CourseDoseSource s, OwnGrid own, SeparableCells cells, SamplePoints points,
                              float[] out, int from, int to) {
        if (own != null) {
            gatherOnOwnGrid(s, own, points, out, from, to);
        } else if (cells != null) {
            gatherSeparable(s, cells, points, out, from, to);
        } else {
            planSum.kernels().gather(s.grid, s.outputIndexToSourceIndex, points.i(), points.j(), points.k(),
                    (float) s.doseScale, out, from, to);
        }
    }

    /**
     * A course whose grid is the output grid itself (the current course), prepared once per gather: a sample at
     * a voxel centre whose interpolation cell starts there (index below n - 1 on each axis of more than one voxel)
     * has trilinear weights (1, 0, ..., 0), so the kernels give exactly scale * dose[voxel]; it is read directly.
     */
    private static final class OwnGrid {
        final int nx;
        final int ny;
        final int lastI;
        final int lastJ;
        final int lastK;
        final float[] dose;
        final float scale;
        final double[] map;

        OwnGrid(CourseDoseSource s) {
            GridGeometry g = s.grid.geometry();
            nx = g.nx();
            ny = g.ny();
            lastI = Math.max(0, nx - 2);
            lastJ = Math.max(0, ny - 2);
            lastK = Math.max(0, g.nz() - 2);
            dose = s.grid.doseGy();
            scale = (float) s.doseScale;
            map = s.outputIndexToSourceIndex.toArray(); // once: it copies
        }

        /**
         * Voxel centres {@code voxel, voxel + 1, ...} (samples {@code [from, to)}): read directly while their
         * interpolation cell starts there; returns the first sample not done (the rest go through the kernels).
         */
        int centres(int voxel, float[] out, int from, int to) {
            int x = voxel % nx;
            int y = (voxel / nx) % ny;
            int z = voxel / nx / ny;
            if (y > lastJ || z > lastK) {
                return from;
            }
            // along i only: the run stays in its row while x <= lastI
            int len = Math.min(to - from, lastI - x + 1);
            float[] d = dose; // in locals: C1 (one case) would read the fields on every iteration
            float sc = scale;
            for (int q = 0; q < len; q++) {
                out[from + q] = sc * d[voxel + q];
            }
            return from + Math.max(0, len);
        }
    }

    /** Whether course {@code course}'s voxel-centre samples are read directly (its grid is the output grid). */
    boolean readsDirectly(int course) {
        return own[course] != null;
    }

    /** Whether course {@code course}'s voxel-centre samples go through per-axis cells (no rotation). */
    boolean usesSeparableCells(int course) {
        return !readsDirectly(course) && cells[course] != null;
    }

    Affine3 mapOf(int course) {
        return sources.get(course).outputIndexToSourceIndex;
    }

    float doseScaleOf(int course) {
        return (float) sources.get(course).doseScale;
    }

    private static boolean isIdentity(Affine3 map) {
        double[] m = map.toArray();
        return m[0] == 1 && m[1] == 0 && m[2] == 0 && m[3] == 0 && m[4] == 0 && m[5] == 1 && m[6] == 0 && m[7] == 0
                && m[8] == 0 && m[9] == 0 && m[10] == 1 && m[11] == 0;
    }

    /**
     * The gather of a course whose grid is the output grid itself ({@link OwnGrid}): samples at voxel centres
     * whose cell starts there are read directly; the others (sub-voxel points, the last plane) go through the
     * kernels as before.
     */
    private void gatherOnOwnGrid(CourseDoseSource s, OwnGrid g, SamplePoints samples, float[] out, int from, int to) {
        int nx = g.nx, ny = g.ny, lastI = g.lastI, lastJ = g.lastJ, lastK = g.lastK;
        float[] d = g.dose;
        float scale = g.scale;
        float[] pi = samples.i();
        float[] pj = samples.j();
        float[] pk = samples.k();
        int p = from;
        while (p < to) {
            int q = p;
            for (; q < to; q++) {
                float x = pi[q], y = pj[q], z = pk[q];
                int ix = (int) x, iy = (int) y, iz = (int) z;
                if (ix != x || iy != y || iz != z || Integer.compareUnsigned(ix, lastI) > 0
                        || Integer.compareUnsigned(iy, lastJ) > 0 || Integer.compareUnsigned(iz, lastK) > 0) {
                    break;
                }
                out[q] = scale * d[ix + nx * (iy + ny * iz)];
            }
            int r = q;
            while (r < to && !atCellStart(pi[r], pj[r], pk[r], lastI, lastJ, lastK)) {
                r++;
            }
            if (r > q) {
                gatherOthers(s, g.map, pi, pj, pk, scale, out, q, r);
            }
            p = r;
        }
    }

    /**
     * The plain-Java kernels' trilinear interpolation ({@link JavaDoseKernels}) of a course whose map from
     * output index to its own index is diagonal (no rotation: an axis-aligned grid, a translation), prepared
     * per output-grid axis: at a voxel centre (i, j, k) of the output grid the source index is
     * (m0 i + m3, m5 j + m7, m10 k + m11), so the cell and weight along each axis depend on that axis's index
     * alone. The same cells, weights and arithmetic as the kernels, hence bit for bit their result.
     */
    static final class SeparableCells {
        final boolean[][] inside = new boolean[3][];
        final int[][] offset = new int[3][];
        final float[][] frac = new float[3][];
        final int dx;
        final int dy;
        final int dz;
        /** The course's map (output index to its own index), row-major 3x4. */
        final double[] map;
        /** The output grid's rows and columns, for walking its voxel centres. */
        final int outNx;
        final int outNy;

        /** Null when the map is not diagonal or the kernels are not the plain-Java ones. */
        static SeparableCells of(CourseDoseSource s, GridGeometry output, DoseKernelSupport kernels) {
            if (kernels != JavaDoseKernels.INSTANCE || s.uniform) {
                return null;
            }
            double[] m = s.outputIndexToSourceIndex.toArray();
            if (m[1] != 0 || m[2] != 0 || m[4] != 0 || m[6] != 0 || m[8] != 0 || m[9] != 0) {
                return null;
            }
            return new SeparableCells(m, s.grid.geometry(), output);
        }

        private SeparableCells(double[] m, GridGeometry g, GridGeometry output) {
            map = m;
            int[] n = {g.nx(), g.ny(), g.nz()};
            int[] stride = {1, g.nx(), g.nx() * g.ny()};
            int[] outN = {output.nx(), output.ny(), output.nz()};
            for (int a = 0; a < 3; a++) {
                inside[a] = new boolean[outN[a]];
                offset[a] = new int[outN[a]];
                frac[a] = new float[outN[a]];
                for (int t = 0; t < outN[a]; t++) {
                    // the kernels' expression with the other two indices 0: their terms are (signed) zeros
                    // either way, which change neither the cell nor the weight
                    double c = switch (a) {
                        case 0 -> m[0] * t + m[1] * 0.0 + m[2] * 0.0 + m[3];
                        case 1 -> m[4] * 0.0 + m[5] * t + m[6] * 0.0 + m[7];
                        default -> m[8] * 0.0 + m[9] * 0.0 + m[10] * t + m[11];
                    };
                    inside[a][t] = c >= -DoseKernelSupport.EDGE_TOLERANCE
                            && c <= n[a] - 1 + DoseKernelSupport.EDGE_TOLERANCE;
                    int c0 = n[a] == 1 ? 0 : Math.max(0, Math.min(n[a] - 2, (int) Math.floor(c)));
                    frac[a][t] = n[a] == 1 ? 0f : (float) Math.max(0, Math.min(1, c - c0));
                    offset[a][t] = c0 * stride[a];
                }
            }
            dx = g.nx() > 1 ? 1 : 0;
            dy = g.ny() > 1 ? g.nx() : 0;
            dz = g.nz() > 1 ? g.nx() * g.ny() : 0;
            outNx = output.nx();
            outNy = output.ny();
        }

        /**
         * Voxel centres {@code voxel, voxel + 1, ...} of the output grid (samples {@code [from, to)}), walked row
         * by row: what {@link #gatherSeparable} computes for each from its float position, term by term, without
         * the positions (an External's interior is most of its samples). Returns {@code to}.
         */
        int centres(CourseDoseSource s, int voxel, float[] out, int from, int to) {
            float[] d = s.grid.doseGy();
            float scale = (float) s.doseScale;
            boolean[] inX = inside[0], inY = inside[1], inZ = inside[2];
            int[] oX = offset[0], oY = offset[1], oZ = offset[2];
            float[] fX = frac[0], fY = frac[1], fZ = frac[2];
            int x = voxel % outNx;
            int y = (voxel / outNx) % outNy;
            int z = voxel / outNx / outNy;
            int p = from;
            while (p < to) {
                int len = Math.min(to - p, outNx - x); // the rest of this row
                if (!(inY[y] && inZ[z])) {
                    Arrays.fill(out, p, p + len, scale * 0f);
                } else {
                    int row = oY[y] + oZ[z];
                    float fy = fY[y];
                    float fz = fZ[z];
                    for (int q = 0; q < len; q++, x++) {
                        float v;
                        if (!inX[x]) {
                            v = 0f;
                        } else {
                            v = JavaDoseKernels.blend(d, oX[x] + row, dx, dy, dz, fX[x], fy, fz);
                        }
                        out[p + q] = scale * v;
                    }
                }
                p += len;
                x = 0;
                if (++y == outNy) {
                    y = 0;
                    z++;
                }
            }
            return to;
        }
    }

    /** Voxel-centre samples through {@link SeparableCells}, the others (sub-voxel points) through the kernels. */
    private void gatherSeparable(CourseDoseSource s, SeparableCells cells, SamplePoints samples, float[] out, int from,
                                 int to) {
        GridGeometry og = planSum.outputGrid();
        int lastI = og.nx() - 1;
        int lastJ = og.ny() - 1;
        int lastK = og.nz() - 1;
        float[] d = s.grid.doseGy();
        float scale = (float) s.doseScale;
        double[] m = cells.map;
        float[] pi = samples.i();
        float[] pj = samples.j();
        float[] pk = samples.k();
        boolean[] inX = cells.inside[0], inY = cells.inside[1], inZ = cells.inside[2];
        int[] oX = cells.offset[0], oY = cells.offset[1], oZ = cells.offset[2];
        float[] fX = cells.frac[0], fY = cells.frac[1], fZ = cells.frac[2];
        int dx = cells.dx, dy = cells.dy, dz = cells.dz;
        int p = from;
        while (p < to) {
            int q = p;
            for (; q < to; q++) {
                float x = pi[q], y = pj[q], z = pk[q];
                int ix = (int) x, iy = (int) y, iz = (int) z;
                if (ix != x || iy != y || iz != z || Integer.compareUnsigned(ix, lastI) > 0
                        || Integer.compareUnsigned(iy, lastJ) > 0 || Integer.compareUnsigned(iz, lastK) > 0) {
                    break;
                }
                float v;
                if (!(inX[ix] && inY[iy] && inZ[iz])) {
                    v = 0f;
                } else {
                    v = JavaDoseKernels.blend(d, oX[ix] + oY[iy] + oZ[iz], dx, dy, dz, fX[ix], fY[iy], fZ[iz]);
                }
                out[q] = scale * v;
            }
            int r = q;
            while (r < to && !atCellStart(pi[r], pj[r], pk[r], lastI, lastJ, lastK)) {
                r++;
            }
            if (r > q) {
                gatherOthers(s, m, pi, pj, pk, scale, out, q, r);
            }
            p = r;
        }
    }

    /**
     * Samples off the voxel centres: through the kernels, or, for the plain-Java kernels and a diagonal map,
     * through their interpolation with the map's zero terms left out (those terms are signed zeros, which change
     * neither cell nor weight: the same result bit for bit, a third of the arithmetic).
     */
    private void gatherOthers(CourseDoseSource s, double[] m, float[] pi, float[] pj, float[] pk, float scale,
                              float[] out, int from, int to) {
        boolean diagonal = m[1] == 0 && m[2] == 0 && m[4] == 0 && m[6] == 0 && m[8] == 0 && m[9] == 0;
        if (!diagonal || planSum.kernels() != JavaDoseKernels.INSTANCE) {
            planSum.kernels().gather(s.grid, s.outputIndexToSourceIndex, pi, pj, pk, scale, out, from, to);
            return;
        }
        JavaDoseKernels.Trilinear t = new JavaDoseKernels.Trilinear(s.grid);
        double m0 = m[0], m3 = m[3], m5 = m[5], m7 = m[7], m10 = m[10], m11 = m[11];
        for (int p = from; p < to; p++) {
            out[p] = scale * t.at(m0 * pi[p] + m3, m5 * pj[p] + m7, m10 * pk[p] + m11);
        }
    }

    private static boolean atCellStart(float x, float y, float z, int lastI, int lastJ, int lastK) {
        int ix = (int) x, iy = (int) y, iz = (int) z;
        return ix == x && iy == y && iz == z && Integer.compareUnsigned(ix, lastI) <= 0
                && Integer.compareUnsigned(iy, lastJ) <= 0 && Integer.compareUnsigned(iz, lastK) <= 0;
    }

    /**
     * Volume (cc) of the samples that lie outside each course's grid (they get 0 from it), per
     * course in the case's order. Uniform-dose courses cover everything. The part of the structure
     * outside the output grid itself is not among the samples: see
     * {@link dev.eqd2sum.engine.structure.StructureMask#outsideGridCc()}.
     */
    public double[] outsideCourseGridCc(SamplePoints samples) {
        double[] out = new double[sources.size()];
        for (int c = 0; c < out.length; c++) {
            out[c] = outsideCourseGridCc(c, samples);
        }
        return out;
    }

    public double outsideCourseGridCc(int course, SamplePoints samples) {
        CourseDoseSource s = sources.get(course);
        if (s.uniform) {
            return 0;
        }
        Affine3 map = s.outputIndexToSourceIndex;
        double[] q = new double[3];
        if (boxWellInside(s, samples, q)) {
            return 0;
        }
        double cc = 0;
        float[] pi = samples.i();
        float[] pj = samples.j();
        float[] pk = samples.k();
        float[] vol = samples.volumeCc();
        for (int p = 0; p < samples.count(); p++) {
            map.apply(pi[p], pj[p], pk[p], q);
            if (!s.inside(q[0], q[1], q[2])) {
                cc += vol[p];
            }
        }
        return cc;
    }

    /** {@link #outsideCourseGridCc(SamplePoints)} of a compact set (the same volumes, summed in the same order). */
    public double[] outsideCourseGridCc(SampleSet samples) {
        double[] out = new double[sources.size()];
        float[] box = boundingBox(samples);
        double[] q = new double[3];
        for (int c = 0; c < out.length; c++) {
            CourseDoseSource s = sources.get(c);
            if (s.uniform) {
                continue;
            }
            if (box == null || boxCornersWellInside(s, box[0], box[1], box[2], box[3], box[4], box[5], q)) {
                continue;
            }
            Affine3 map = s.outputIndexToSourceIndex;
            float[] vol = samples.volumeCc();
            float[] pi = new float[PIECE], pj = new float[PIECE], pk = new float[PIECE];
            // An unrotated course's per-axis inside flags answer for voxel centres: the same test on the same
            // coordinates (SeparableCells), without a matrix product per sample in this one-thread pass
            SeparableCells separable = cells[c];
            double cc = 0;
            for (int seg = 0; seg < samples.segmentCount(); seg++) {
                int start = samples.segmentStart(seg), end = samples.segmentEnd(seg);
                if (separable != null && samples.isCentres(seg)) {
                    cc = outsideCentres(separable, samples, seg, vol, cc);
                    continue;
                }
                for (int from = start; from < end; from += PIECE) {
                    int len = Math.min(PIECE, end - from);
                    samples.positions(from, from + len, pi, pj, pk, 0);
                    for (int p = 0; p < len; p++) {
                        map.apply(pi[p], pj[p], pk[p], q);
                        if (!s.inside(q[0], q[1], q[2])) {
                            cc += vol[from + p];
                        }
                    }
                }
            }
            out[c] = cc;
        }
        return out;
    }

    /** {@code cc} plus the volumes of a centre segment's voxels outside the course's grid, in sample order. */
    private static double outsideCentres(SeparableCells cells, SampleSet samples, int seg, float[] vol, double cc) {
        boolean[] inX = cells.inside[0], inY = cells.inside[1], inZ = cells.inside[2];
        int nx = samples.nx(), ny = samples.ny();
        int v = samples.firstVoxel(seg);
        int i = v % nx, j = (v / nx) % ny, k = v / nx / ny;
        for (int p = samples.segmentStart(seg), end = samples.segmentEnd(seg); p < end; p++) {
            if (!(inX[i] && inY[j] && inZ[k])) {
                cc += vol[p];
            }
            if (++i == nx) {
                i = 0;
                if (++j == ny) {
                    j = 0;
                    k++;
                }
            }
        }
        return cc;
    }

    /** lo i, hi i, lo j, hi j, lo k, hi k of a set's positions; null when it has none. */
    private static float[] boundingBox(SampleSet samples) {
        if (samples.count() == 0) {
            return null;
        }
        float[] b = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        float[] ei = samples.explicitI(), ej = samples.explicitJ(), ek = samples.explicitK();
        int nx = samples.nx(), ny = samples.ny();
        for (int seg = 0; seg < samples.segmentCount(); seg++) {
            int len = samples.segmentEnd(seg) - samples.segmentStart(seg);
            if (samples.isCentres(seg)) {
                // a box around the segment's voxels (whole rows, slices if it wraps: larger is only slower)
                int v0 = samples.firstVoxel(seg);
                int v1 = v0 + len - 1;
                int y0 = (v0 / nx) % ny, z0 = v0 / nx / ny, y1 = (v1 / nx) % ny, z1 = v1 / nx / ny;
                boolean oneRow = v0 / nx == v1 / nx;
                include(b, oneRow ? v0 % nx : 0, oneRow ? v1 % nx : nx - 1, 0);
                include(b, z0 == z1 ? y0 : 0, z0 == z1 ? y1 : ny - 1, 2);
                include(b, z0, z1, 4);
            } else {
                // one axis at a time, in a method of its own: called per segment, it is compiled early, where this
                // method (called once per structure) runs its loops in the interpreter until they are replaced
                int e = samples.explicitStart(seg);
                extent(ei, e, e + len, b, 0);
                extent(ej, e, e + len, b, 2);
                extent(ek, e, e + len, b, 4);
            }
        }
        return b;
    }

    /** {@link #include} of every {@code a[from, to)} on {@code axis}. */
    private static void extent(float[] a, int from, int to, float[] box, int axis) {
        float lo = box[axis];
        float hi = box[axis + 1];
        for (int p = from; p < to; p++) {
            float x = a[p];
            if (x < lo || x != x) {
                lo = x;
            }
            if (x > hi || x != x) {
                hi = x;
            }
        }
        box[axis] = lo;
        box[axis + 1] = hi;
    }

    private static void include(float[] box, float lo, float hi, int axis) {
        // Math.min/max without their -0 rule (the box only feeds comparisons, where -0 == +0), NaN kept: C1 runs
        // Math's float min and max slowly, and this goes over every explicit sample of a structure
        if (lo < box[axis] || lo != lo) {
            box[axis] = lo;
        }
        if (hi > box[axis + 1] || hi != hi) {
            box[axis + 1] = hi;
        }
    }

    /** Patient coordinates (mm, the current course's frame) of sample {@code p} of a compact set. */
    public double[] patientMm(SampleSet samples, int p) {
        double[] at = samples.indexOf(p);
        return planSum.outputGrid().indexToPatient().apply(at[0], at[1], at[2]);
    }

    /** Margin (in source index units) by which the box's corners must be inside, far above rounding. */
    private static final double BOX_MARGIN = 1e-6;

    /**
     * Whether every sample lies inside the course's grid, shown by the corners of the samples' bounding box
     * alone: the affine map sends the box to a parallelepiped, which lies in the (convex) inside region when
     * its corners do. One pass over the positions instead of a transform per sample.
     */
    private static boolean boxWellInside(CourseDoseSource s, SamplePoints samples, double[] q) {
        int n = samples.count();
        if (n == 0) {
            return true;
        }
        float[] pi = samples.i();
        float[] pj = samples.j();
        float[] pk = samples.k();
        float loI = Float.POSITIVE_INFINITY, hiI = Float.NEGATIVE_INFINITY;
        float loJ = Float.POSITIVE_INFINITY, hiJ = Float.NEGATIVE_INFINITY;
        float loK = Float.POSITIVE_INFINITY, hiK = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            loI = Math.min(loI, pi[p]);
            hiI = Math.max(hiI, pi[p]);
            loJ = Math.min(loJ, pj[p]);
            hiJ = Math.max(hiJ, pj[p]);
            loK = Math.min(loK, pk[p]);
            hiK = Math.max(hiK, pk[p]);
        }
        return boxCornersWellInside(s, loI, hiI, loJ, hiJ, loK, hiK, q);
    }

    private static boolean boxCornersWellInside(CourseDoseSource s, float loI, float hiI, float loJ, float hiJ,
                                                float loK, float hiK, double[] q) {
        GridGeometry g = s.grid.geometry();
        double e = DoseKernelSupport.EDGE_TOLERANCE - BOX_MARGIN;
        for (int c = 0; c < 8; c++) {
            s.outputIndexToSourceIndex.apply((c & 1) == 0 ? loI : hiI, (c & 2) == 0 ? loJ : hiJ,
                    (c & 4) == 0 ? loK : hiK, q);
            if (!(q[0] >= -e && q[0] <= g.nx() - 1 + e && q[1] >= -e && q[1] <= g.ny() - 1 + e
                    && q[2] >= -e && q[2] <= g.nz() - 1 + e)) {
                return false;
            }
        }
        return true;
    }

    /** Patient coordinates (mm, the current course's frame) of sample {@code p}, e.g. a maximum's location. */
    public double[] patientMm(SamplePoints samples, int p) {
        return planSum.outputGrid().indexToPatient().apply(samples.i()[p], samples.j()[p], samples.k()[p]);
    }

    /**
     * Patient coordinates (mm) of sample {@code p} in course {@code course}'s own frame (its dose
     * file's coordinates), for reporting where a course's maximum lies in that course's plan.
     */
    public double[] coursePatientMm(int course, SamplePoints samples, int p) {
        double[] current = patientMm(samples, p);
        return sources.get(course).course.course().transformToCurrent().inverse().asAffine()
                .apply(current[0], current[1], current[2]);
    }
}
