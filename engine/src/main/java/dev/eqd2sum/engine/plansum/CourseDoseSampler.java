package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.structure.SamplePoints;
import java.util.List;

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

    CourseDoseSampler(PlanSum planSum, List<CourseDoseSource> sources) {
        this.planSum = planSum;
        this.sources = sources;
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
        float[][] out = new float[sources.size()][];
        for (int c = 0; c < out.length; c++) {
            out[c] = new float[samples.count()];
            physicalDose(c, samples, out[c]);
        }
        return out;
    }

    /** Physical dose (Gy) of course {@code course} (case order) at every sample, into {@code out}. */
    public void physicalDose(int course, SamplePoints samples, float[] out) {
        CourseDoseSource s = sources.get(course);
        int n = samples.count();
        if (out.length < n) {
            throw new IllegalArgumentException("output array shorter than " + n + " samples");
        }
        int tasks = Math.max(1, Math.min(planSum.threads(), n / MIN_SAMPLES_PER_TASK));
        int per = (n + tasks - 1) / tasks;
        boolean direct = s.onOutputGrid && isIdentity(s.outputIndexToSourceIndex);
        planSum.runSlabs(tasks, t -> {
            int from = t * per;
            int to = Math.min(n, from + per);
            if (from < to) {
                if (direct) {
                    gatherOnOwnGrid(s, samples, out, from, to);
                } else {
                    planSum.kernels().gather(s.grid, s.outputIndexToSourceIndex, samples.i(), samples.j(),
                            samples.k(), (float) s.doseScale, out, from, to);
                }
            }
        });
    }

    /** Whether course {@code course}'s voxel-centre samples are read directly (its grid is the output grid). */
    boolean readsDirectly(int course) {
        CourseDoseSource s = sources.get(course);
        return s.onOutputGrid && isIdentity(s.outputIndexToSourceIndex);
    }

    private static boolean isIdentity(Affine3 map) {
        double[] m = map.toArray();
        return m[0] == 1 && m[1] == 0 && m[2] == 0 && m[3] == 0 && m[4] == 0 && m[5] == 1 && m[6] == 0 && m[7] == 0
                && m[8] == 0 && m[9] == 0 && m[10] == 1 && m[11] == 0;
    }

    /**
     * The gather of a course whose grid is the output grid itself (the current course): a sample at a voxel
     * centre whose interpolation cell starts there (index below n - 1 on each axis of more than one voxel) has
     * trilinear weights (1, 0, ..., 0), so the kernels give exactly scale * dose[voxel]; it is read directly.
     * The other samples (sub-voxel points, the last plane) go through the kernels as before.
     */
    private void gatherOnOwnGrid(CourseDoseSource s, SamplePoints samples, float[] out, int from, int to) {
        GridGeometry g = s.grid.geometry();
        int nx = g.nx();
        int ny = g.ny();
        int lastI = Math.max(0, nx - 2);
        int lastJ = Math.max(0, ny - 2);
        int lastK = Math.max(0, g.nz() - 2);
        float[] d = s.grid.doseGy();
        float scale = (float) s.doseScale;
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
                planSum.kernels().gather(s.grid, s.outputIndexToSourceIndex, pi, pj, pk, scale, out, q, r);
            }
            p = r;
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
