package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.lq.Eqd2;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a course's dose files become its physical dose: BEAM lists, FRACTION doses. */
class CourseDosesTest {
    static final GridGeometry GRID = PlanSumTest.CURRENT;

    static float[] oneCourseSum(CourseDose dose, int fx, double ab) {
        CourseTimeline t = CourseTimeline.of(List.of(Course.of("SBRT", dose, fx, null, null)), ForgivenessSchedule.none());
        return PlanSum.prepare(t, OutputGrid.current()).eqd2(TissueMap.uniform(ab)).doseGy();
    }

    @Test
    void beamDosesOnOneGridAreAddedBeforeConversion() {
        LinearField a = new LinearField(6, 0.05, 0, 0.01);
        LinearField b = new LinearField(4, -0.02, 0.04, 0);
        float[] s = oneCourseSum(CourseDose.of(DoseComponent.plan(a.sampledOn(GRID)), DoseComponent.plan(b.sampledOn(GRID))),
                3, 2);
        double[] p = new double[3];
        for (int v = 0; v < s.length; v += 13) {
            GRID.indexToPatient().apply(v % 24, (v / 24) % 20, v / 480, p);
            double sumGy = a.at(p) + b.at(p);
            assertThat((double) s[v]).isCloseTo(Eqd2.eqd2(sumGy, 3, 2), within(1e-4));
            assertThat((double) s[v]).as("EQD2 is non-linear").isNotCloseTo(
                    Eqd2.eqd2(a.at(p), 3, 2) + Eqd2.eqd2(b.at(p), 3, 2), within(0.1));
        }
    }

    @Test
    void beamDosesOnDifferentGridsAreResampledOntoOneCoveringGrid() {
        LinearField a = new LinearField(6, 0.05, 0, 0.01);
        LinearField b = new LinearField(4, -0.02, 0.04, 0);
        GridGeometry bGrid = GridGeometry.axisAligned(13, 11, 7, -10.5, -8.3, -6.1, 2.5, 2.5, 3);
        DoseGrid first = a.sampledOn(GRID);
        DoseGrid summed = CourseDoseSource.sumBeams(List.of(DoseComponent.plan(first), DoseComponent.plan(b.sampledOn(bGrid))));
        assertThat(summed.geometry().sameGridAs(GRID)).as("b lies inside the first grid's cover").isTrue();
        double[] p = new double[3];
        for (int v = 0; v < summed.doseGy().length; v++) {
            GRID.indexToPatient().apply(v % 24, (v / 24) % 20, v / 480, p);
            double db = b.expectedAt(bGrid, RigidTransform.identity(), p);
            double expected = a.at(p) + (Double.isNaN(db) ? 0 : db);
            assertThat((double) summed.doseGy()[v]).isCloseTo(expected, within(1e-4));
        }
        // a second beam reaching beyond the first grid widens the course grid
        GridGeometry outside = GridGeometry.axisAligned(4, 4, 4, 30, 0, 0, 2, 2, 2);
        DoseGrid wide = CourseDoseSource.sumBeams(List.of(DoseComponent.plan(first),
                DoseComponent.plan(b.sampledOn(outside))));
        assertThat(wide.geometry().nx()).isEqualTo(31); // -23 .. 37 mm at 2 mm
    }

    /** Voxel by voxel gives the bits of the beam-by-beam sum into a double array (the definition), without the array. */
    @Test
    void beamsSummedVoxelByVoxelGiveTheBitsOfTheBeamByBeamSum() {
        LinearField a = new LinearField(6, 0.05, 0, 0.01);
        LinearField b = new LinearField(4, -0.02, 0.04, 0);
        LinearField c = new LinearField(1.3, 0.011, -0.03, 0.02);
        GridGeometry bGrid = GridGeometry.axisAligned(13, 11, 7, -10.5, -8.3, -6.1, 2.5, 2.5, 3);
        GridGeometry outside = GridGeometry.axisAligned(4, 4, 4, 30, 0, 0, 2, 2, 2);
        List<DoseComponent> parts = List.of(DoseComponent.plan(a.sampledOn(GRID)),
                DoseComponent.perFraction(b.sampledOn(bGrid), 7), DoseComponent.plan(c.sampledOn(GRID)),
                DoseComponent.plan(c.sampledOn(outside)));
        DoseGrid summed = CourseDoseSource.sumBeams(parts);
        GridGeometry target = summed.geometry();
        double[] sum = new double[target.voxelCount()];
        for (DoseComponent p : parts) {
            float[] d = p.grid().doseGy();
            double m = p.multiplier();
            dev.eqd2sum.engine.geometry.Affine3 map = p.grid().geometry().patientToIndex().after(target.indexToPatient());
            double[] q = new double[3];
            int v = 0;
            for (int k = 0; k < target.nz(); k++) {
                for (int j = 0; j < target.ny(); j++) {
                    for (int i = 0; i < target.nx(); i++, v++) {
                        if (p.grid().geometry().sameGridAs(target)) {
                            sum[v] += m * d[v];
                        } else {
                            map.apply(i, j, k, q);
                            sum[v] += m * dev.eqd2sum.engine.kernel.ScalarDoseKernels.trilinear(p.grid(), q[0], q[1], q[2]);
                        }
                    }
                }
            }
        }
        for (int v = 0; v < sum.length; v++) {
            assertThat(summed.doseGy()[v]).isEqualTo((float) sum[v]);
        }
    }

    @Test
    void theCurrentGridOfACourseWithBeamsOnDifferentGridsCoversThemAll() {
        LinearField a = new LinearField(6, 0.05, 0, 0.01);
        GridGeometry outside = GridGeometry.axisAligned(4, 4, 4, 30, 0, 0, 2, 2, 2);
        CourseTimeline t = CourseTimeline.of(List.of(Course.of("SBRT", CourseDose.of(DoseComponent.plan(a.sampledOn(GRID)),
                DoseComponent.plan(a.sampledOn(outside))), 1, null, null)), ForgivenessSchedule.none());
        PlanSum sum = PlanSum.prepare(t, OutputGrid.current());
        assertThat(sum.outputGrid().nx()).isEqualTo(31);
        assertThat(sum.outputGrid().originMm()).containsExactly(GRID.originMm());
        float[] s = sum.eqd2(TissueMap.uniform(3)).doseGy();
        // voxel centre (33, 1, 1) mm: inside the second beam only
        int v = sum.outputGrid().index(28, 10, 8);
        assertThat((double) s[v]).isCloseTo(Eqd2.eqd2(a.at(new double[] {33, 1, 1}), 1, 3), within(1e-4));
    }

    @Test
    void fractionDosesAreMultipliedByTheFractions() {
        LinearField perFraction = new LinearField(1.2, 0.005, 0.002, 0);
        LinearField whole = new LinearField(12, 0.05, 0.02, 0);
        float[] a = oneCourseSum(CourseDose.of(DoseComponent.perFraction(perFraction.sampledOn(GRID), 10)), 10, 3);
        float[] b = oneCourseSum(CourseDose.of(DoseComponent.plan(whole.sampledOn(GRID))), 10, 3);
        for (int v = 0; v < a.length; v++) {
            assertThat(a[v]).isCloseTo(b[v], within(1e-4f));
        }
        // a FRACTION beam beside a PLAN beam: each with its own multiplier
        float[] c = oneCourseSum(CourseDose.of(DoseComponent.perFraction(perFraction.sampledOn(GRID), 5),
                DoseComponent.plan(new LinearField(6, 0.025, 0.01, 0).sampledOn(GRID))), 10, 3);
        for (int v = 0; v < a.length; v++) {
            assertThat(c[v]).isCloseTo(b[v], within(1e-4f));
        }
    }
}
