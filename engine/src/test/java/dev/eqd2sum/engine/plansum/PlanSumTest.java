package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.course.Fractionation;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.lq.Eqd2;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanSumTest {
    static final LocalDate PRIOR_START = LocalDate.parse("2019-02-04");
    static final LocalDate PRIOR_END = LocalDate.parse("2019-02-15");
    static final LocalDate CURRENT_START = LocalDate.parse("2020-10-20"); // 613 days: 0.33 forgiven

    /** The current grid: 24 x 20 x 16 voxels of 2 mm. */
    static final GridGeometry CURRENT = GridGeometry.axisAligned(24, 20, 16, -23, -19, -15, 2, 2, 2);
    static final LinearField CURRENT_FIELD = new LinearField(8, 0.05, -0.03, 0.02);
    static final LinearField PRIOR_FIELD = new LinearField(20, -0.04, 0.06, 0.03);

    static Course current(DoseGrid g, int fx) {
        return Course.of("reSBRT", CourseDose.of(DoseComponent.plan(g)), fx, CURRENT_START, null);
    }

    static Course prior(DoseGrid g, int fx) {
        return Course.of("cEBRT", CourseDose.of(DoseComponent.plan(g)), fx, PRIOR_START, PRIOR_END);
    }

    /** A rotation by angle about a unit axis (Rodrigues), then a translation. */
    static RigidTransform rotation(double[] axis, double angle, double tx, double ty, double tz) {
        double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double x = axis[0] / n, y = axis[1] / n, z = axis[2] / n;
        double c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
        return RigidTransform.fromMatrix4x4(new double[] {
            t * x * x + c, t * x * y - s * z, t * x * z + s * y, tx,
            t * x * y + s * z, t * y * y + c, t * y * z - s * x, ty,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c, tz,
            0, 0, 0, 1});
    }

    /** A grid whose axes are rotated against the patient axes. */
    static GridGeometry rotatedGrid(int nx, int ny, int nz, double[] origin, double[] spacing, RigidTransform rot) {
        double[] u = rot.asAffine().apply(1, 0, 0);
        double[] v = rot.asAffine().apply(0, 1, 0);
        double[] w = rot.asAffine().apply(0, 0, 1);
        double[] t = rot.asAffine().apply(0, 0, 0);
        for (int a = 0; a < 3; a++) {
            u[a] -= t[a];
            v[a] -= t[a];
            w[a] -= t[a];
        }
        return new GridGeometry(nx, ny, nz, origin, spacing, u, v, w);
    }

    /**
     * Checks every output voxel against the closed form: prior EQD2 (weighted 1 - reduction where
     * not target) + current EQD2, with the prior's dose 0 where the voxel lies outside its grid.
     */
    static void assertLinearSum(GridGeometry priorGrid, RigidTransform priorToCurrent, OutputGrid choice,
                                TissueMap tissue, int threads) {
        int outsidePrior = checkLinearSum(priorGrid, priorToCurrent, choice, tissue, threads);
        assertThat(outsidePrior).as("some output voxels must lie outside the prior grid").isPositive();
        assertThat(outsidePrior).as("most output voxels must lie inside the prior grid")
                .isLessThan(PlanSumTest.CURRENT.voxelCount() / 2);
    }

    /** Checks every output voxel against the closed form; returns how many lie outside the prior grid. */
    static int checkLinearSum(GridGeometry priorGrid, RigidTransform priorToCurrent, OutputGrid choice,
                              TissueMap tissue, int threads) {
        DoseGrid priorDose = PRIOR_FIELD.sampledOn(priorGrid);
        DoseGrid currentDose = CURRENT_FIELD.sampledOn(CURRENT);
        CourseTimeline t = CourseTimeline.of(List.of(prior(priorDose, 10).withTransform(priorToCurrent),
                current(currentDose, 3)), ForgivenessSchedule.nelson2009());
        PlanSum sum = PlanSum.prepare(t, choice, ScalarDoseKernels.INSTANCE, threads);
        GridGeometry out = sum.outputGrid();
        assertThat(tissue.alphaBetaGy() == null || tissue.alphaBetaGy().length == out.voxelCount()).isTrue();
        float[] s = sum.eqd2(tissue).doseGy();
        double[] p = new double[3];
        int outsidePrior = 0;
        int v = 0;
        for (int k = 0; k < out.nz(); k++) {
            for (int j = 0; j < out.ny(); j++) {
                for (int i = 0; i < out.nx(); i++, v++) {
                    out.indexToPatient().apply(i, j, k, p);
                    double ab = tissue.alphaBetaAt(v);
                    double dp = PRIOR_FIELD.expectedAt(priorGrid, priorToCurrent, p);
                    double dc = CURRENT_FIELD.expectedAt(CURRENT, RigidTransform.identity(), p);
                    double w = tissue.isTarget(v) ? 1 : 0.67;
                    double expected = (Double.isNaN(dp) ? 0 : w * Eqd2.eqd2(dp, 10, ab))
                            + (Double.isNaN(dc) ? 0 : Eqd2.eqd2(dc, 3, ab));
                    outsidePrior += Double.isNaN(dp) ? 1 : 0;
                    assertThat((double) s[v]).as("voxel (%d,%d,%d)", i, j, k).isCloseTo(expected, within(1e-4));
                }
            }
        }
        return outsidePrior;
    }

    @Test
    void anOffsetPriorGivesTheClosedFormSumEverywhere() {
        GridGeometry prior = GridGeometry.axisAligned(22, 19, 15, -20.3, -18.1, -13.7, 2, 2, 2);
        assertLinearSum(prior, RigidTransform.identity(), OutputGrid.current(), TissueMap.uniform(2), 1);
    }

    @Test
    void aCoarserPriorGivesTheClosedFormSumEverywhere() {
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -21.1, -17.4, -12.2, 2.5, 2.5, 3);
        assertLinearSum(prior, RigidTransform.identity(), OutputGrid.current(), TissueMap.uniform(3), 1);
    }

    @Test
    void aRotatedPriorGridThroughARegistrationGivesTheClosedFormSum() {
        RigidTransform gridRotation = rotation(new double[] {1, 2, 3}, 0.3, 0, 0, 0);
        GridGeometry prior = rotatedGrid(20, 18, 14, new double[] {-18, -22, -16}, new double[] {2.5, 2.5, 3},
                gridRotation);
        RigidTransform reg = rotation(new double[] {0, 0, 1}, 0.1, 3, -2, 1.5);
        assertLinearSum(prior, reg, OutputGrid.current(), TissueMap.uniform(2), 1);
    }

    @Test
    void perVoxelAlphaBetaAndNeverForgivenTargets() {
        int n = CURRENT.voxelCount();
        float[] ab = new float[n];
        byte[] target = new byte[n];
        for (int v = 0; v < n; v++) {
            ab[v] = v % 3 == 0 ? 2f : v % 3 == 1 ? 3f : 10f;
            target[v] = (byte) (v % 7 == 0 ? 1 : 0);
        }
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -21.1, -17.4, -12.2, 2.5, 2.5, 3);
        assertLinearSum(prior, RigidTransform.identity(), OutputGrid.current(), new TissueMap(3f, ab, target), 2);
    }

    @Test
    void aUnionGridCoversEveryCourseAtTheCurrentSpacing() {
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -30.1, -10.4, -12.2, 2.5, 2.5, 3);
        DoseGrid priorDose = PRIOR_FIELD.sampledOn(prior);
        CourseTimeline t = CourseTimeline.of(List.of(prior(priorDose, 10), current(CURRENT_FIELD.sampledOn(CURRENT), 3)),
                ForgivenessSchedule.nelson2009());
        GridGeometry union = PlanSum.resolveOutputGrid(t, OutputGrid.union());
        // x from -30.1 (voxel lattice of the current grid: -31) to max(23, 9.9): 28 voxels
        assertThat(union.originMm()).containsExactly(new double[] {-31, -19, -15}, within(1e-9));
        assertThat(union.nx()).isEqualTo(28);
        assertThat(union.ny()).isEqualTo(23); // prior y: -10.4..24.6 -> lattice -19..25
        assertThat(union.spacingMm()).containsExactly(2, 2, 2);
        assertThat(union.nz()).isEqualTo(16); // prior z: -12.2..14.8 inside -15..15
    }

    @Test
    void theClosedFormHoldsOnTheUnionAndOnAGivenSpacing() {
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -30.1, -12.4, -12.2, 2.5, 2.5, 3);
        DoseGrid priorDose = PRIOR_FIELD.sampledOn(prior);
        CourseTimeline t = CourseTimeline.of(List.of(prior(priorDose, 10), current(CURRENT_FIELD.sampledOn(CURRENT), 3)),
                ForgivenessSchedule.nelson2009());
        for (OutputGrid choice : List.of(OutputGrid.union(), OutputGrid.spacing(1.5, 3, 2.5))) {
            PlanSum sum = PlanSum.prepare(t, choice);
            float[] s = sum.eqd2(TissueMap.uniform(2)).doseGy();
            GridGeometry out = sum.outputGrid();
            double[] p = new double[3];
            int v = 0;
            for (int k = 0; k < out.nz(); k++) {
                for (int j = 0; j < out.ny(); j++) {
                    for (int i = 0; i < out.nx(); i++, v++) {
                        out.indexToPatient().apply(i, j, k, p);
                        double dp = PRIOR_FIELD.expectedAt(prior, RigidTransform.identity(), p);
                        double dc = CURRENT_FIELD.expectedAt(CURRENT, RigidTransform.identity(), p);
                        double expected = (Double.isNaN(dp) ? 0 : 0.67 * Eqd2.eqd2(dp, 10, 2))
                                + (Double.isNaN(dc) ? 0 : Eqd2.eqd2(dc, 3, 2));
                        assertThat((double) s[v]).isCloseTo(expected, within(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void aGivenSpacingStartsAtTheCurrentFirstVoxelAndCoversIt() {
        GridGeometry g = OutputGrid.spacing(1.5, 3, 2.5).resolve(CURRENT, List.of());
        assertThat(g.originMm()).containsExactly(CURRENT.originMm());
        // extents 46, 38, 30 mm: ceil(46/1.5)+1 = 32, ceil(38/3)+1 = 14, 30/2.5+1 = 13
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(32, 14, 13);
        assertThatThrownBy(() -> OutputGrid.spacing(0, 1, 1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void oneTwoAndThreeThreadsGiveIdenticalSums() {
        GridGeometry prior = rotatedGrid(20, 18, 14, new double[] {-18, -22, -16}, new double[] {2.5, 2.5, 3},
                rotation(new double[] {1, 2, 3}, 0.3, 0, 0, 0));
        GridGeometry big = GridGeometry.axisAligned(60, 50, 40, -60, -50, -40, 2, 2, 2); // several slabs
        CourseTimeline t = CourseTimeline.of(List.of(prior(PRIOR_FIELD.sampledOn(prior), 10),
                current(CURRENT_FIELD.sampledOn(big), 3)), ForgivenessSchedule.nelson2009());
        float[] one = PlanSum.prepare(t, OutputGrid.current(), ScalarDoseKernels.INSTANCE, 1)
                .eqd2(TissueMap.uniform(2)).doseGy();
        for (int threads : new int[] {2, 3}) {
            float[] more = PlanSum.prepare(t, OutputGrid.current(), ScalarDoseKernels.INSTANCE, threads)
                    .eqd2(TissueMap.uniform(2)).doseGy();
            assertThat(Arrays.equals(one, more)).as("%d threads", threads).isTrue();
        }
    }

    @Test
    void aRegistrationGivenInEitherDirectionGivesTheSameSum() {
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -21.1, -17.4, -12.2, 2.5, 2.5, 3);
        DoseGrid priorDose = PRIOR_FIELD.sampledOn(prior);
        RigidTransform priorToCurrent = rotation(new double[] {0.2, -1, 0.4}, 0.15, 2.5, -1, 3);
        // The same registration stored in the prior's frame: its matrix maps current -> prior.
        RigidTransform currentToPrior = RigidTransform.fromMatrix4x4(priorToCurrent.inverse().toMatrix4x4());
        DoseGrid cur = CURRENT_FIELD.sampledOn(CURRENT);
        float[] a = PlanSum.prepare(CourseTimeline.of(List.of(prior(priorDose, 10).withTransform(priorToCurrent),
                current(cur, 3)), ForgivenessSchedule.nelson2009()), OutputGrid.current()).eqd2(TissueMap.uniform(2)).doseGy();
        float[] b = PlanSum.prepare(CourseTimeline.of(List.of(prior(priorDose, 10).withTransform(currentToPrior.inverse()),
                current(cur, 3)), ForgivenessSchedule.nelson2009()), OutputGrid.current()).eqd2(TissueMap.uniform(2)).doseGy();
        for (int v = 0; v < a.length; v++) {
            assertThat(b[v]).isCloseTo(a[v], within(1e-4f));
        }
        float[] untransformed = PlanSum.prepare(CourseTimeline.of(List.of(prior(priorDose, 10), current(cur, 3)),
                ForgivenessSchedule.nelson2009()), OutputGrid.current()).eqd2(TissueMap.uniform(2)).doseGy();
        assertThat(Arrays.equals(a, untransformed)).as("the transform must matter").isFalse();
    }

    @Test
    void outOfGridVoxelsGetNothingFromThatCourse() {
        // the prior covers only the voxels with x index 0..9 (x <= -5 mm)
        GridGeometry prior = GridGeometry.axisAligned(10, 20, 16, -23, -19, -15, 2, 2, 2);
        DoseGrid priorDose = new DoseGrid(prior, filled(prior.voxelCount(), 30f));
        DoseGrid cur = new DoseGrid(CURRENT, filled(CURRENT.voxelCount(), 10f));
        float[] s = PlanSum.prepare(CourseTimeline.of(List.of(prior(priorDose, 10), current(cur, 1)),
                ForgivenessSchedule.none()), OutputGrid.current()).eqd2(TissueMap.uniform(2)).doseGy();
        for (int v = 0; v < s.length; v++) {
            int i = v % CURRENT.nx();
            double expected = Eqd2.eqd2(10, 1, 2) + (i <= 9 ? Eqd2.eqd2(30, 10, 2) : 0);
            assertThat((double) s[v]).isCloseTo(expected, within(1e-4));
        }
    }

    @Test
    void theCurrentCourseNeedsADoseGrid() {
        CourseTimeline t = CourseTimeline.of(List.of(
                Course.of("a", CourseDose.uniform(30), 10, PRIOR_START, PRIOR_END),
                Course.of("b", CourseDose.uniform(10), 1, CURRENT_START, null)), ForgivenessSchedule.none());
        assertThatThrownBy(() -> PlanSum.prepare(t, OutputGrid.current()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("courses[1].uniformDoseGy");
    }

    @Test
    void deliveredFractionsScaleTheDoseAndTheConversion() {
        DoseGrid cur = new DoseGrid(CURRENT, filled(CURRENT.voxelCount(), 10f));
        DoseGrid priorDose = new DoseGrid(CURRENT, filled(CURRENT.voxelCount(), 30f));
        Course prior = prior(priorDose, 10).withFractionation(Fractionation.delivered(10, 4));
        PlanSum sum = PlanSum.prepare(CourseTimeline.of(List.of(prior, current(cur, 1)), ForgivenessSchedule.none()),
                OutputGrid.current());
        float[] s = sum.eqd2(TissueMap.uniform(2)).doseGy();
        // 4 of 10 fractions of 3 Gy: 12 Gy in 4 fractions
        assertThat((double) s[17]).isCloseTo(Eqd2.eqd2(12, 4, 2) + Eqd2.eqd2(10, 1, 2), within(1e-4));
    }

    static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }
}
