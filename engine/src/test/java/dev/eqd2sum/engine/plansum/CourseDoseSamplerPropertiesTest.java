package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.course.Fractionation;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.kernel.JavaDoseKernels;
import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.SamplePoints;
import dev.eqd2sum.engine.structure.SampleSet;
import dev.eqd2sum.engine.structure.Structure;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * A randomized differential test of {@link CourseDoseSampler} against a naive reference written here from the
 * documented rules alone (class docs of CourseDoseSampler and {@link DoseKernelSupport}, DOMAIN.md):
 * <ul>
 *   <li>a sample at continuous output index (i, j, k) lies at patient mm {@code O + i sx u + j sy v + k sz w} of the
 *       output grid; a course registered by {@code toCurrent = (R, t)} sees it at {@code R^T (p - t)} in its own
 *       frame, and at source index {@code (dir_a . (q - O_src)) / s_a} of its grid (directions orthonormal);</li>
 *   <li>inside the course's grid when every source index lies in [-1e-3, n - 1 + 1e-3] (EDGE_TOLERANCE), else the
 *       course gives 0 there and the sample's volume counts in outsideCourseGridCc;</li>
 *   <li>inside, the dose is the trilinear interpolation of the grid's values in that index, the cell clamped into
 *       [0, n - 2] (an axis of one voxel has weight 0), times the course's delivered physical dose factor
 *       (component multiplier (fractions for a FRACTION dose) times delivered / planned fractions); a uniform course
 *       gives its dose times delivered / planned everywhere and is never outside.</li>
 * </ul>
 * The reference evaluates all of this in double, with its own matrix arithmetic (transposes, not the engine's
 * {@code Affine3.inverse}), at the samples' float positions.
 *
 * <p>Random cases: output grids of 1..23 voxels per axis with 1..3 mm spacings and random axis flips (the current
 * course's grid, or the union or a coarser/finer spacing grid), one or two prior courses on grids of other sizes
 * and spacings, offset by arbitrary (fractional, negative) mm so that they overlap the output grid partly, wholly or
 * not at all; axis-aligned (some flipped) with no or a pure-translation registration (a diagonal map: the plain-Java
 * kernels' per-axis cells, SeparableCells), rotated grids or rotated registrations (the kernels' gather), grids on the
 * output lattice whose edge falls on, or 0.5 / 1.5 tolerances beyond, voxel centres, a prior on the output grid
 * itself, a uniform-dose course, incomplete courses and FRACTION doses. Samples: random rasterised structures
 * (SampleSets with centre segments and explicit boundary points) and explicit points: runs of voxel centres
 * (last planes included), sub-voxel points, integer points beyond the grid and negative ones, -0, points just inside
 * and just outside the output grid, and points on every prior grid's faces, 0.5 and 1.02 edge tolerances inside and
 * outside them. Every backend that starts here (the reference ScalarDoseKernels, scalar, vector, opencl), with one to
 * three threads.
 *
 * <p>Tolerance on a dose: {@value #DOSE_TOLERANCE} times the course's dose factor times the largest |value| of its
 * grid (M). The backends blend in float: three weights rounded to float (each error 2^-24, times a difference of
 * two values, at most 2M), seven fused multiply-adds and seven differences, each rounded to at most 2^-24 of a value
 * at most 2M; that is about 27 * 2^-24 M = 1.6e-6 M, plus the float dose factor and its product (2 * 2^-24 of the
 * result). The sample's source index differs from the reference's by about 1e-14 (a different but equally exact
 * double evaluation of the same affine map), which moves the trilinear value by about 1e-14 M. So 4e-6 M is about
 * twice the worst case of float blending, and far below any real error (a wrong cell or weight moves the value by
 * up to M). OpenCL without cl_khr_fp64 locates cells in float (index error up to about 2^-24 times 100 index
 * units), so there it gets 5e-5 M. A sample within {@value #AMBIGUOUS} index units (1e-4 for float coordinates) of
 * the tolerance boundary is not compared (either side is right within rounding); volumes outside are compared
 * against the range those samples allow. Volumes are otherwise compared to 1e-9 relative (the same float volumes
 * summed in double, in the sample order).
 *
 * <p>Besides the reference: a compact set gives bit for bit what its points give (doses and outside volumes, as
 * documented), and patientMm / coursePatientMm agree with the reference's mm to 1e-9 mm (relative beyond 1 m).
 *
 * <p>The statistics jqwik prints name the path each course took with the plain-Java kernels (own grid, per-axis
 * cells, the kernels' gather, uniform). A course on the output grid is read directly whatever its spacing: its map
 * is the identity exactly (the composed map, 0.9999999999999999 on the diagonal for 1.2 mm, once sent such grids
 * through the per-axis cells; CourseDoseSamplerTest has the regression).
 *
 * <p>The number of tries is modest so that this runs in a few seconds; every run draws new cases. To hunt, raise
 * {@code tries}: about 9,000 cases of the first property and 80 large ones ran clean when this was written.
 */
class CourseDoseSamplerPropertiesTest {
    /** Relative to the course's dose factor times its grid's max |dose|: see the class comment. */
    static final double DOSE_TOLERANCE = 4e-6;
    /** For OpenCL with float coordinates (no cl_khr_fp64). */
    static final double DOSE_TOLERANCE_FLOAT_COORDINATES = 5e-5;
    /** Index units: a source index this close to the edge tolerance's boundary may fall either way. */
    static final double AMBIGUOUS = 1e-9;
    static final double AMBIGUOUS_FLOAT_COORDINATES = 1e-4;
    /** The documented edge rule (DoseKernelSupport): inside within this many index units of [0, n - 1]. */
    static final double EDGE = 1e-3;

    private static final LocalDate CURRENT_START = LocalDate.parse("2021-03-01");

    // --- the properties ---------------------------------------------------------------------

    @Property(tries = 30)
    void physicalDoseAndOutsideVolumesMatchANaiveReference(@ForAll long seed) {
        Outcome o = check(seed, true, false);
        o.currentPaths.forEach(p -> Statistics.label("current course").collect(p));
        o.priorPaths.forEach(p -> Statistics.label("prior courses").collect(p));
        Statistics.label("backends").collect(o.backends);
    }

    /**
     * Sets of more than 2 x 2^15 samples with 2 or 3 threads: the sampler splits them into ranges gathered in
     * parallel, which start in the middle of segments and rows.
     */
    @Property(tries = 2)
    void largeSetsSplitOverThreadsMatchTheReferenceToo(@ForAll long seed) {
        check(seed, true, true);
    }

    @Example
    void theDocumentedEdgeToleranceIsTheOneTheReferenceUses() {
        assertThat(DoseKernelSupport.EDGE_TOLERANCE).isEqualTo(EDGE);
    }

    /** A fixed handful of seeds, so that a plain run always covers some of each case kind. */
    @Example
    void fixedSeeds() {
        for (long seed = 1; seed <= 6; seed++) {
            check(seed, false, false);
        }
    }

    // --- one case -----------------------------------------------------------------------------

    /** How the plain-Java kernels' sampler gathered each course (the fast paths this exercises), and the backends. */
    record Outcome(List<String> currentPaths, List<String> priorPaths, String backends) {
    }

    /** A backend as the sampler is given it, and how exactly it locates cells. */
    record Backend(String name, DoseKernelSupport kernels, double tolerance, double ambiguous) {
    }

    static List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        out.add(new Backend("reference", ScalarDoseKernels.INSTANCE, DOSE_TOLERANCE, AMBIGUOUS));
        for (String b : KernelProvider.BACKENDS) {
            KernelProvider.Attempt a = KernelProvider.start(b);
            if (a.kernels().isPresent()) {
                boolean floatCoordinates = a.reason().contains("float coordinates");
                out.add(new Backend(b, a.kernels().get(),
                        floatCoordinates ? DOSE_TOLERANCE_FLOAT_COORDINATES : DOSE_TOLERANCE,
                        floatCoordinates ? AMBIGUOUS_FLOAT_COORDINATES : AMBIGUOUS));
            }
        }
        return out;
    }

    static Outcome check(long seed, boolean anyOutputGrid, boolean large) {
        Random r = new Random(seed);
        RefCase c = RefCase.random(r, large);
        String where = "seed " + seed + ": " + c;
        List<String> currentPaths = new ArrayList<>();
        List<String> priorPaths = new ArrayList<>();
        StringBuilder names = new StringBuilder();
        int outputChoice = anyOutputGrid && !large ? r.nextInt(6) : 0;
        // a large case on the reference and plain-Java kernels only: the splitting is the sampler's own, and the
        // Vector API, interpreted in a short test JVM, would take seconds over 10^5 samples
        List<Backend> backends = large ? backends().subList(0, 2) : backends();
        long sampleSeed = r.nextLong();
        for (Backend b : backends) {
            int threads = large ? 2 + r.nextInt(2) : 1 + r.nextInt(3);
            OutputGrid choice = switch (outputChoice) {
                case 4 -> OutputGrid.union();
                case 5 -> OutputGrid.spacing(c.outSpacing[0] * 0.75, c.outSpacing[1] * 1.25, c.outSpacing[2]);
                default -> OutputGrid.current();
            };
            PlanSum sum = PlanSum.prepare(c.timeline, choice, b.kernels, threads);
            String outputKind = choice.getClass().getSimpleName();
            if (sum.outputGrid().voxelCount() > 40_000) {
                sum = PlanSum.prepare(c.timeline, OutputGrid.current(), b.kernels, threads);
                outputKind = "Current";
            }
            CourseDoseSampler sampler = sum.sampler();
            String at = where + ", backend " + b.name + ", " + threads + " threads, output " + sum.outputGrid();
            Random sr = new Random(sampleSeed);
            SamplePoints points = c.explicitPoints(sr, sum.outputGrid(), large);
            SampleSet structure = c.structure(sr, sum.outputGrid(), large);
            if (large) {
                assertThat(Math.min(points.count(), structure.count())).as("samples of a large case")
                        .isGreaterThan(2 << 15);
            }
            compare(c, sampler, b, points, at + ", explicit points");
            compare(c, sampler, b, SampleSet.of(points), at + ", explicit points as a set");
            compare(c, sampler, b, structure, at + ", rasterised structure");
            if (b.kernels == JavaDoseKernels.INSTANCE) {
                for (int course = 0; course < c.courses.size(); course++) {
                    RefCourse rc = c.courses.get(course);
                    String path = sampler.readsDirectly(course) ? "own grid" : sampler.usesSeparableCells(course)
                            ? "per-axis cells" : rc.uniform ? "uniform" : "kernels' gather";
                    (rc.current ? currentPaths : priorPaths).add((rc.current ? outputKind + " output grid: " : rc.kind + ": ") + path);
                }
            }
            names.append(names.isEmpty() ? "" : ",").append(b.name);
        }
        return new Outcome(currentPaths, priorPaths, names.toString());
    }

    static void compare(RefCase c, CourseDoseSampler sampler, Backend b, SampleSet set, String at) {
        SamplePoints asPoints = set.toPoints();
        float[][] got = sampler.physicalDose(set);
        float[][] gotPoints = sampler.physicalDose(asPoints);
        for (int course = 0; course < got.length; course++) {
            // documented: the same values as the points' gather at the same points
            if (!Arrays.equals(got[course], gotPoints[course])) {
                int p = Arrays.mismatch(got[course], gotPoints[course]);
                fail("%s: course %d sample %d at %s: set gives %s, points give %s", at, course, p,
                        Arrays.toString(set.indexOf(p)), got[course][p], gotPoints[course][p]);
            }
        }
        double[] outside = sampler.outsideCourseGridCc(set);
        assertThat(outside).as("%s: outside volumes of the set and of its points", at)
                .containsExactly(sampler.outsideCourseGridCc(asPoints));
        checkAgainstReference(c, sampler, b, asPoints, got, outside, at);
        for (int p = 0; p < set.count(); p += Math.max(1, set.count() / 7)) {
            assertThat(sampler.patientMm(set, p)).as("%s: patientMm of set sample %d", at, p)
                    .containsExactly(sampler.patientMm(asPoints, p));
        }
    }

    static void compare(RefCase c, CourseDoseSampler sampler, Backend b, SamplePoints points, String at) {
        float[][] got = sampler.physicalDose(points);
        double[] outside = sampler.outsideCourseGridCc(points);
        checkAgainstReference(c, sampler, b, points, got, outside, at);
    }

    static void checkAgainstReference(RefCase c, CourseDoseSampler sampler, Backend b, SamplePoints points,
                                      float[][] got, double[] outside, String at) {
        OutputFrame out = new OutputFrame(sampler.outputGrid());
        assertThat(got.length).isEqualTo(c.courses.size());
        int n = points.count();
        float[] pi = points.i(), pj = points.j(), pk = points.k(), vol = points.volumeCc();
        for (int course = 0; course < c.courses.size(); course++) {
            RefCourse rc = c.courses.get(course);
            double tol = b.tolerance * rc.scale * Math.max(rc.maxAbs, 1e-30);
            double ccLo = 0, ccHi = 0;
            double[] mm = new double[3], src = new double[3];
            for (int p = 0; p < n; p++) {
                out.patientMm(pi[p], pj[p], pk[p], mm);
                int inside = rc.inside(mm, src, b.ambiguous); // 1 inside, 0 outside, -1 either
                if (inside <= 0) {
                    ccHi += vol[p];
                    if (inside == 0) {
                        ccLo += vol[p];
                    }
                }
                double expected = inside == 0 ? 0 : rc.dose(src);
                double g = got[course][p];
                boolean ok = inside == -1 ? Math.abs(g - expected) <= tol || g == 0 : Math.abs(g - expected) <= tol;
                if (!ok) {
                    fail("%s: course %d (%s) sample %d at output index (%s, %s, %s) = source index %s (%s): got %s,"
                                    + " reference %s (tolerance %.3g)", at, course, rc, p, pi[p], pj[p], pk[p],
                            Arrays.toString(src), inside == 1 ? "inside" : inside == 0 ? "outside" : "at the edge",
                            g, expected, tol);
                }
            }
            double slack = 1e-9 * Math.max(1, ccHi);
            if (!(outside[course] >= ccLo - slack && outside[course] <= ccHi + slack)) {
                fail("%s: course %d (%s): outside volume %s cc, reference %s..%s cc", at, course, rc, outside[course],
                        ccLo, ccHi);
            }
        }
        // positions: output mm and each course's own frame
        for (int p = 0; p < n; p += Math.max(1, n / 11)) {
            double[] mm = new double[3];
            out.patientMm(pi[p], pj[p], pk[p], mm);
            double[] got3 = sampler.patientMm(points, p);
            for (int a = 0; a < 3; a++) {
                assertThat(Math.abs(got3[a] - mm[a])).as("%s: patientMm of sample %d", at, p)
                        .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(mm[a])));
            }
            for (int course = 0; course < c.courses.size(); course++) {
                double[] own = c.courses.get(course).ownFrame(mm);
                double[] gotOwn = sampler.coursePatientMm(course, points, p);
                for (int a = 0; a < 3; a++) {
                    assertThat(Math.abs(gotOwn[a] - own[a])).as("%s: coursePatientMm(%d) of sample %d", at, course, p)
                            .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(own[a])));
                }
            }
        }
    }

    /** Patient mm of continuous output index (i, j, k), from the grid's origin, spacings and directions. */
    static void patientMm(GridGeometry g, double i, double j, double k, double[] out) {
        new OutputFrame(g).patientMm(i, j, k, out);
    }

    /** A grid's origin, spacings and directions, read once. */
    record OutputFrame(double[] o, double[] s, double[] u, double[] v, double[] w) {
        OutputFrame(GridGeometry g) {
            this(g.originMm(), g.spacingMm(), g.rowDirection(), g.columnDirection(), g.frameDirection());
        }

        void patientMm(double i, double j, double k, double[] out) {
            for (int a = 0; a < 3; a++) {
                out[a] = o[a] + i * s[0] * u[a] + j * s[1] * v[a] + k * s[2] * w[a];
            }
        }
    }

    /** The output index of patient mm {@code p} (the grid's directions orthonormal). */
    static double[] outputIndex(GridGeometry g, double[] p) {
        double[] o = g.originMm(), s = g.spacingMm();
        double[][] dir = {g.rowDirection(), g.columnDirection(), g.frameDirection()};
        double[] idx = new double[3];
        for (int a = 0; a < 3; a++) {
            idx[a] = ((p[0] - o[0]) * dir[a][0] + (p[1] - o[1]) * dir[a][1] + (p[2] - o[2]) * dir[a][2]) / s[a];
        }
        return idx;
    }

    // --- the reference ------------------------------------------------------------------------

    /** One course as the reference sees it. */
    static final class RefCourse {
        final String kind;
        final boolean current;
        final boolean uniform;
        final double uniformGy;
        /** The grid (null for a uniform course): origin, spacings, directions, sizes, values. */
        final double[] origin;
        final double[] spacing;
        final double[][] dir;
        final int[] size;
        final float[] dose;
        final double maxAbs;
        /** toCurrent: x_current = R x_own + t. */
        final double[][] rot;
        final double[] t;
        /** Delivered physical dose = scale * grid value. */
        final double scale;

        RefCourse(String kind, boolean current, boolean uniform, double uniformGy, double[] origin, double[] spacing,
                  double[][] dir, int[] size, float[] dose, double[][] rot, double[] t, double scale) {
            this.kind = kind;
            this.current = current;
            this.uniform = uniform;
            this.uniformGy = uniformGy;
            this.origin = origin;
            this.spacing = spacing;
            this.dir = dir;
            this.size = size;
            this.dose = dose;
            this.rot = rot;
            this.t = t;
            this.scale = scale;
            double m = uniform ? Math.abs(uniformGy) : 0;
            if (dose != null) {
                for (float d : dose) {
                    m = Math.max(m, Math.abs(d));
                }
            }
            this.maxAbs = m;
        }

        /** Patient mm (current frame) to this course's own frame: R^T (p - t). */
        double[] ownFrame(double[] p) {
            double[] q = new double[3];
            ownFrame(p, q);
            return q;
        }

        void ownFrame(double[] p, double[] q) {
            double d0 = p[0] - t[0], d1 = p[1] - t[1], d2 = p[2] - t[2];
            for (int a = 0; a < 3; a++) {
                q[a] = rot[0][a] * d0 + rot[1][a] * d1 + rot[2][a] * d2;
            }
        }

        /** 1 when inside, 0 outside, -1 within {@code ambiguous} of the boundary; src gets the source index. */
        int inside(double[] mm, double[] src, double ambiguous) {
            if (uniform) {
                Arrays.fill(src, 0);
                return 1;
            }
            ownFrame(mm, src);
            double d0 = src[0] - origin[0], d1 = src[1] - origin[1], d2 = src[2] - origin[2];
            boolean in = true, edge = false;
            for (int a = 0; a < 3; a++) {
                src[a] = (dir[a][0] * d0 + dir[a][1] * d1 + dir[a][2] * d2) / spacing[a];
                double lo = -EDGE, hi = size[a] - 1 + EDGE;
                if (Math.abs(src[a] - lo) <= ambiguous || Math.abs(src[a] - hi) <= ambiguous) {
                    edge = true;
                } else if (!(src[a] >= lo && src[a] <= hi)) {
                    in = false;
                }
            }
            return !in ? 0 : edge ? -1 : 1;
        }

        /** Trilinear at source index src (inside), times the dose factor. */
        double dose(double[] src) {
            if (uniform) {
                return uniformGy * scale;
            }
            int[] c0 = new int[3];
            double[] f = new double[3];
            for (int a = 0; a < 3; a++) {
                if (size[a] == 1) {
                    c0[a] = 0;
                    f[a] = 0;
                } else {
                    c0[a] = (int) Math.max(0, Math.min(size[a] - 2, Math.floor(src[a])));
                    f[a] = Math.max(0, Math.min(1, src[a] - c0[a]));
                }
            }
            double sum = 0;
            for (int corner = 0; corner < 8; corner++) {
                double w = 1;
                int[] idx = new int[3];
                for (int a = 0; a < 3; a++) {
                    int up = (corner >> a) & 1;
                    w *= up == 1 ? f[a] : 1 - f[a];
                    idx[a] = Math.min(size[a] - 1, c0[a] + up);
                }
                if (w != 0) {
                    sum += w * dose[idx[0] + size[0] * (idx[1] + size[1] * idx[2])];
                }
            }
            return sum * scale;
        }

        @Override
        public String toString() {
            return kind + (uniform ? "" : String.format(Locale.ROOT, " %dx%dx%d of %.4gx%.4gx%.4g mm at (%.4f, %.4f,"
                            + " %.4f) dirs %s", size[0], size[1], size[2], spacing[0], spacing[1], spacing[2],
                    origin[0], origin[1], origin[2], Arrays.deepToString(dir))) + ", t " + Arrays.toString(t)
                    + ", scale " + scale;
        }
    }

    /** A random case: the courses, the timeline the engine is given, and what the reference needs. */
    static final class RefCase {
        final List<RefCourse> courses;
        final CourseTimeline timeline;
        final double[] outSpacing;

        RefCase(List<RefCourse> courses, CourseTimeline timeline, double[] outSpacing) {
            this.courses = courses;
            this.timeline = timeline;
            this.outSpacing = outSpacing;
        }

        @Override
        public String toString() {
            return courses.toString();
        }

        static double[][] identity() {
            return new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        }

        /** A rotation by angle about a random unit axis (Rodrigues). */
        static double[][] rotation(Random r, double maxAngle) {
            double x = r.nextGaussian(), y = r.nextGaussian(), z = r.nextGaussian();
            double n = Math.sqrt(x * x + y * y + z * z);
            x /= n;
            y /= n;
            z /= n;
            double angle = (r.nextDouble() * 2 - 1) * maxAngle;
            double c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
            return new double[][] {
                {t * x * x + c, t * x * y - s * z, t * x * z + s * y},
                {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
                {t * x * z - s * y, t * y * z + s * x, t * z * z + c}};
        }

        /** Random axis flips of the patient axes (directions as rows: u, v, w). */
        static double[][] flips(Random r) {
            double[][] d = identity();
            for (int a = 0; a < 3; a++) {
                if (r.nextInt(4) == 0) {
                    d[a][a] = -1;
                }
            }
            return d;
        }

        static int size(Random r) {
            int kind = r.nextInt(10);
            return kind == 0 ? 1 : kind == 1 ? 2 : 1 + r.nextInt(23);
        }

        static double spacing(Random r) {
            return r.nextInt(3) == 0 ? new double[] {1, 1.25, 2, 2.5, 3, 1.2, 2.7}[r.nextInt(7)]
                    : 1 + 2 * r.nextDouble();
        }

        static float[] randomDose(Random r, int n) {
            float[] d = new float[n];
            int kind = r.nextInt(5);
            float level = 1 + 99 * r.nextFloat();
            for (int v = 0; v < n; v++) {
                d[v] = switch (kind) {
                    case 0 -> level; // constant
                    case 1 -> r.nextInt(3) == 0 ? 0f : level * r.nextFloat(); // patchy, zeros
                    default -> level * r.nextFloat();
                };
            }
            return d;
        }

        static RefCase random(Random r, boolean large) {
            // the current course's grid: output grid too (OutputGrid.current)
            int[] n = large ? new int[] {44 + r.nextInt(9), 44 + r.nextInt(9), 36 + r.nextInt(5)}
                    : new int[] {size(r), size(r), size(r)};
            double[] s = {spacing(r), spacing(r), spacing(r)};
            double[] o = {-30 + 60 * r.nextDouble(), -30 + 60 * r.nextDouble(), -20 + 40 * r.nextDouble()};
            double[][] dir = flips(r);
            GridGeometry current = new GridGeometry(n[0], n[1], n[2], o, s, dir[0], dir[1], dir[2]);
            float[] currentDose = randomDose(r, current.voxelCount());
            List<RefCourse> refs = new ArrayList<>();
            List<Course> courses = new ArrayList<>();
            int priors = 1 + r.nextInt(2);
            // centre and half-extent of the current grid (mm)
            double[] centre = new double[3];
            patientMm(current, (n[0] - 1) / 2.0, (n[1] - 1) / 2.0, (n[2] - 1) / 2.0, centre);
            for (int q = 0; q < priors; q++) {
                LocalDate start = CURRENT_START.minusYears(1 + q);
                int planned = 1 + r.nextInt(30);
                int delivered = r.nextInt(4) == 0 ? 1 + r.nextInt(planned) : planned;
                Fractionation fr = Fractionation.delivered(planned, delivered);
                double factor = (double) delivered / planned;
                int kind = r.nextInt(12);
                if (kind == 0) {
                    double gy = 5 + 40 * r.nextDouble();
                    courses.add(new Course("prior" + q, CourseDose.uniform(gy), fr, start, start.plusDays(20), null));
                    refs.add(new RefCourse("uniform", false, true, gy, null, null, null, null, null, identity(),
                            new double[3], factor));
                    continue;
                }
                int[] pn = {size(r), size(r), size(r)};
                double[] ps = {spacing(r), spacing(r), spacing(r)};
                double[][] pdir;
                double[][] rot = identity();
                double[] t = new double[3];
                String what;
                double[] po = new double[3];
                // the prior's grid centre lands near the current grid's centre, offset by up to its own size
                double[] shift = new double[3];
                for (int a = 0; a < 3; a++) {
                    double extent = n[a] * s[a] + pn[a] * ps[a];
                    shift[a] = (r.nextDouble() * 2 - 1) * extent * (r.nextInt(5) == 0 ? 1.1 : 0.6);
                }
                switch (kind) {
                    case 1, 2 -> { // on the output lattice: edges on voxel centres, or a tolerance off them
                        what = "lattice";
                        pdir = new double[][] {dir[0].clone(), dir[1].clone(), dir[2].clone()};
                        ps = s.clone();
                        double[] edgeOffset = {0, 0.5 * EDGE, -0.5 * EDGE, 1.5 * EDGE, -1.5 * EDGE};
                        for (int a = 0; a < 3; a++) {
                            int cells = r.nextInt(2 * n[a] + 3) - n[a] - 1;
                            double off = (cells + edgeOffset[r.nextInt(edgeOffset.length)]) * s[a];
                            for (int b = 0; b < 3; b++) {
                                po[b] += off * dir[a][b];
                            }
                        }
                        for (int b = 0; b < 3; b++) {
                            po[b] += o[b];
                        }
                        if (r.nextBoolean()) {
                            // a pure translation instead, of whole voxels plus the tolerance offsets
                            what = "lattice+translation";
                            for (int a = 0; a < 3; a++) {
                                double tt = (r.nextInt(5) - 2) * s[a];
                                for (int b = 0; b < 3; b++) {
                                    t[b] += tt * dir[a][b];
                                }
                            }
                            for (int b = 0; b < 3; b++) {
                                po[b] -= t[b];
                            }
                        }
                    }
                    case 3 -> { // the output grid itself
                        what = "same grid";
                        pn = n.clone();
                        ps = s.clone();
                        po = o.clone();
                        pdir = new double[][] {dir[0].clone(), dir[1].clone(), dir[2].clone()};
                    }
                    default -> {
                        boolean rotatedGrid = kind >= 9;
                        boolean rotatedReg = kind == 8 || kind == 11;
                        boolean translation = kind >= 6 && !rotatedReg;
                        what = (rotatedGrid ? "rotated grid" : "axis-aligned") + (rotatedReg ? ", rotated reg"
                                : translation ? ", translation" : "");
                        pdir = rotatedGrid ? rotation(r, Math.PI) : flips(r);
                        if (rotatedReg) {
                            rot = rotation(r, r.nextBoolean() ? 0.2 : Math.PI);
                        }
                        if (translation || rotatedReg) {
                            for (int b = 0; b < 3; b++) {
                                t[b] = (r.nextDouble() * 2 - 1) * 15;
                            }
                        }
                        // place the grid's centre (own frame) so that, seen from the current frame, it sits at
                        // centre + shift: own = R^T (centre + shift - t)
                        double[] want = new double[3];
                        for (int b = 0; b < 3; b++) {
                            want[b] = centre[b] + shift[b] - t[b];
                        }
                        double[] own = new double[3];
                        for (int a = 0; a < 3; a++) {
                            own[a] = rot[0][a] * want[0] + rot[1][a] * want[1] + rot[2][a] * want[2];
                        }
                        for (int b = 0; b < 3; b++) {
                            po[b] = own[b];
                            for (int a = 0; a < 3; a++) {
                                po[b] -= (pn[a] - 1) / 2.0 * ps[a] * pdir[a][b];
                            }
                        }
                    }
                }
                GridGeometry pg = new GridGeometry(pn[0], pn[1], pn[2], po, ps, pdir[0], pdir[1], pdir[2]);
                float[] pd = randomDose(r, pg.voxelCount());
                DoseComponent comp;
                double multiplier;
                if (r.nextBoolean()) {
                    comp = DoseComponent.perFraction(new DoseGrid(pg, pd), planned);
                    multiplier = planned;
                } else {
                    comp = DoseComponent.plan(new DoseGrid(pg, pd));
                    multiplier = 1;
                }
                boolean hasReg = rot != null && (t[0] != 0 || t[1] != 0 || t[2] != 0 || !Arrays.deepEquals(rot,
                        identity()));
                RigidTransform reg = hasReg ? RigidTransform.fromMatrix4x4(new double[] {
                    rot[0][0], rot[0][1], rot[0][2], t[0], rot[1][0], rot[1][1], rot[1][2], t[1],
                    rot[2][0], rot[2][1], rot[2][2], t[2], 0, 0, 0, 1}) : null;
                courses.add(new Course("prior" + q, CourseDose.of(comp), fr, start, start.plusDays(20), reg));
                refs.add(new RefCourse(what, false, false, 0, po, ps, pdir, pn, pd, rot, t, multiplier * factor));
            }
            int planned = 1 + r.nextInt(10);
            int delivered = r.nextInt(4) == 0 ? 1 + r.nextInt(planned) : planned;
            boolean perFraction = r.nextBoolean();
            DoseGrid cg = new DoseGrid(current, currentDose);
            courses.add(r.nextInt(courses.size() + 1), new Course("current",
                    CourseDose.of(perFraction ? DoseComponent.perFraction(cg, planned) : DoseComponent.plan(cg)),
                    Fractionation.delivered(planned, delivered), CURRENT_START, null, null));
            int at = 0;
            for (int q = 0; q < courses.size(); q++) {
                if (courses.get(q).label().equals("current")) {
                    at = q;
                }
            }
            refs.add(at, new RefCourse("current", true, false, 0, o, s, dir, n, currentDose, identity(),
                    new double[3], (perFraction ? planned : 1) * ((double) delivered / planned)));
            return new RefCase(refs, CourseTimeline.of(courses, ForgivenessSchedule.nelson2009()), s);
        }

        /** Explicit points on the output grid, with the kinds of position the fast paths treat apart. */
        SamplePoints explicitPoints(Random r, GridGeometry out, boolean large) {
            int[] n = {out.nx(), out.ny(), out.nz()};
            List<float[]> pts = new ArrayList<>();
            int count = large ? 70_000 : 100 + r.nextInt(400);
            while (pts.size() < count) {
                int kind = r.nextInt(8);
                switch (kind) {
                    case 7 -> { // integer points around the grid: centres, and centres of the voxels beyond it
                        float[] p = new float[3];
                        for (int a = 0; a < 3; a++) {
                            p[a] = r.nextInt(2) == 0 ? r.nextInt(n[a]) : r.nextInt(n[a] + 4) - 2;
                        }
                        pts.add(p);
                    }
                    case 0, 1 -> { // a run of voxel centres along i, last planes included
                        int i0 = r.nextInt(n[0]), j = r.nextInt(n[1]), k = r.nextInt(n[2]);
                        if (r.nextInt(3) == 0) {
                            j = n[1] - 1;
                        }
                        if (r.nextInt(3) == 0) {
                            k = n[2] - 1;
                        }
                        for (int i = i0; i < n[0] && r.nextInt(8) != 0; i++) {
                            pts.add(new float[] {i, j, k});
                        }
                    }
                    case 2 -> { // anywhere around the grid
                        float[] p = new float[3];
                        for (int a = 0; a < 3; a++) {
                            p[a] = (float) (-1.5 + (n[a] + 2) * r.nextDouble());
                        }
                        pts.add(p);
                    }
                    case 3 -> { // special coordinates on one or more axes, the others centres or random
                        float[] p = new float[3];
                        for (int a = 0; a < 3; a++) {
                            float last = n[a] - 1;
                            float[] special = {-0f, 0f, Math.nextDown(0f), -1e-4f, -1e-3f, -0.0011f, -0.5f, -1f,
                                -0.99999f, -2f, last, last + 1e-4f, last + 0.0011f, last + 0.5f, last + 1, last + 2,
                                Math.nextUp(last), Math.nextDown(last), 1e9f, -1e9f};
                            p[a] = r.nextInt(3) == 0 ? special[r.nextInt(special.length)]
                                    : r.nextBoolean() ? r.nextInt(n[a]) : (float) (r.nextDouble() * last);
                        }
                        pts.add(p);
                    }
                    default -> { // on a prior grid's face, or just inside or outside its edge tolerance
                        RefCourse c = courses.get(r.nextInt(courses.size()));
                        if (c.uniform) {
                            continue;
                        }
                        double[] src = new double[3];
                        for (int a = 0; a < 3; a++) {
                            src[a] = r.nextBoolean() ? r.nextInt(c.size[a]) : r.nextDouble() * (c.size[a] - 1);
                        }
                        int a = r.nextInt(3);
                        double[] delta = {0, 0, 0.5 * EDGE, -0.5 * EDGE, 1.02 * EDGE, -1.02 * EDGE, 1e-7, -1e-7,
                            0.3, -0.3};
                        src[a] = r.nextBoolean() ? -delta[r.nextInt(delta.length)]
                                : c.size[a] - 1 + delta[r.nextInt(delta.length)];
                        // source index -> own mm -> current mm -> output index
                        double[] own = new double[3];
                        for (int b = 0; b < 3; b++) {
                            own[b] = c.origin[b];
                            for (int e = 0; e < 3; e++) {
                                own[b] += src[e] * c.spacing[e] * c.dir[e][b];
                            }
                        }
                        double[] cur = new double[3];
                        for (int b = 0; b < 3; b++) {
                            cur[b] = c.t[b] + c.rot[b][0] * own[0] + c.rot[b][1] * own[1] + c.rot[b][2] * own[2];
                        }
                        double[] idx = outputIndex(out, cur);
                        pts.add(new float[] {(float) idx[0], (float) idx[1], (float) idx[2]});
                    }
                }
            }
            int m = pts.size();
            float[] i = new float[m], j = new float[m], k = new float[m], vol = new float[m];
            for (int p = 0; p < m; p++) {
                i[p] = pts.get(p)[0];
                j[p] = pts.get(p)[1];
                k[p] = pts.get(p)[2];
                vol[p] = r.nextInt(10) == 0 ? 0f : (float) (1e-4 + 0.01 * r.nextDouble());
            }
            return new SamplePoints(i, j, k, vol, m);
        }

        /** A random star-shaped structure on a few planes of constant k, cut by the output grid or inside it. */
        SampleSet structure(Random r, GridGeometry out, boolean large) {
            int[] n = {out.nx(), out.ny(), out.nz()};
            double[] s = out.spacingMm();
            int planes = large ? n[2] + 2 : 1 + r.nextInt(6);
            double k0 = large ? -1.3 : -1.5 + (n[2] + 1) * r.nextDouble();
            double dk = large ? 1 : 0.5 + r.nextDouble() * 1.5;
            double ci = large ? (n[0] - 1) / 2.0 : -1 + (n[0] + 1) * r.nextDouble();
            double cj = large ? (n[1] - 1) / 2.0 : -1 + (n[1] + 1) * r.nextDouble();
            double reach = large ? 0.8 * Math.max(n[0] * s[0], n[1] * s[1]) // every voxel of each plane
                    : 1.5 + Math.max(n[0] * s[0], n[1] * s[1]) * (0.2 + 0.6 * r.nextDouble());
            int vertices = 3 + r.nextInt(20);
            List<PlanarContour> contours = new ArrayList<>();
            for (int q = 0; q < planes; q++) {
                double k = k0 + q * dk;
                double[] pts = new double[3 * vertices];
                double[] mm = new double[3];
                for (int v = 0; v < vertices; v++) {
                    double a = 2 * Math.PI * (v + 0.8 * r.nextDouble()) / vertices;
                    double rad = reach * (large ? 0.9 + 0.1 * r.nextDouble() : 0.3 + 0.7 * r.nextDouble());
                    // in the grid's frame: i, j offsets in mm along its row and column directions
                    patientMm(out, ci + rad * Math.cos(a) / s[0], cj + rad * Math.sin(a) / s[1], k, mm);
                    pts[3 * v] = mm[0];
                    pts[3 * v + 1] = mm[1];
                    pts[3 * v + 2] = mm[2];
                }
                contours.add(new PlanarContour(ContourType.CLOSED_PLANAR, pts));
            }
            Structure st = new Structure(1, "S", "ORGAN", null, "1.2.3", contours);
            return Rasteriser.rasterise(st, out, RasterOptions.defaults().withSubSamples(1 + r.nextInt(3)))
                    .sampleSet();
        }
    }
}
