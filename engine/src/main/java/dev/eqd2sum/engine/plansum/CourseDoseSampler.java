package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
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
        planSum.runSlabs(tasks, t -> {
            int from = t * per;
            int to = Math.min(n, from + per);
            if (from < to) {
                planSum.kernels().gather(s.grid, s.outputIndexToSourceIndex, samples.i(), samples.j(), samples.k(),
                        (float) s.doseScale, out, from, to);
            }
        });
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
