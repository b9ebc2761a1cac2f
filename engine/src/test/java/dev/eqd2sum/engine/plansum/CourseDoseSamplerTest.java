package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.course.Fractionation;
import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.kernel.JavaDoseKernels;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.lq.Eqd2;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.SamplePoints;
import dev.eqd2sum.engine.structure.SampleSet;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.engine.structure.StructureMask;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CourseDoseSamplerTest {
    static final GridGeometry CURRENT = PlanSumTest.CURRENT;
    static final GridGeometry PRIOR = PlanSumTest.rotatedGrid(17, 15, 10, new double[] {-18, -20, -14},
            new double[] {2.5, 2.5, 3}, PlanSumTest.rotation(new double[] {1, 0, 1}, 0.2, 0, 0, 0));
    static final RigidTransform REG = PlanSumTest.rotation(new double[] {0, 1, 0}, 0.1, 1.5, 0, -2);

    static PlanSum planSum(int threads) {
        CourseTimeline t = CourseTimeline.of(List.of(
                Course.of("cEBRT", CourseDose.of(DoseComponent.perFraction(PlanSumTest.PRIOR_FIELD.sampledOn(PRIOR), 10)),
                        10, LocalDate.parse("2019-02-04"), LocalDate.parse("2019-02-15")).withTransform(REG),
                Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(CURRENT))),
                        3, LocalDate.parse("2020-10-20"), null),
                new Course("uniform", CourseDose.uniform(20), Fractionation.delivered(10, 5),
                        LocalDate.parse("2017-01-02"), LocalDate.parse("2017-01-13"), null)),
                ForgivenessSchedule.nelson2009());
        return PlanSum.prepare(t, OutputGrid.current(), ScalarDoseKernels.INSTANCE, threads);
    }

    static SamplePoints randomSamples(int n, long seed) {
        Random r = new Random(seed);
        float[] i = new float[n], j = new float[n], k = new float[n], vol = new float[n];
        for (int p = 0; p < n; p++) {
            i[p] = (float) (r.nextDouble() * (CURRENT.nx() - 1));
            j[p] = (float) (r.nextDouble() * (CURRENT.ny() - 1));
            k[p] = (float) (r.nextDouble() * (CURRENT.nz() - 1));
            vol[p] = 0.001f;
        }
        return new SamplePoints(i, j, k, vol, n);
    }

    @Test
    void eachCoursesPhysicalDoseAtSamplesThroughItsTransform() {
        PlanSum sum = planSum(1);
        CourseDoseSampler sampler = sum.sampler();
        SamplePoints s = randomSamples(2000, 7);
        float[][] d = sampler.physicalDose(s);
        assertThat(d.length).isEqualTo(3);
        double outsideCc = 0;
        for (int p = 0; p < s.count(); p++) {
            double[] mm = sampler.patientMm(s, p);
            double prior = PlanSumTest.PRIOR_FIELD.expectedAt(PRIOR, REG, mm);
            double cur = PlanSumTest.CURRENT_FIELD.expectedAt(CURRENT, RigidTransform.identity(), mm);
            assertThat((double) d[0][p]).isCloseTo(Double.isNaN(prior) ? 0 : 10 * prior, within(1e-3));
            assertThat((double) d[1][p]).isCloseTo(cur, within(1e-4));
            assertThat(d[2][p]).isEqualTo(10f); // 20 Gy planned, half delivered
            outsideCc += Double.isNaN(prior) ? s.volumeCc()[p] : 0;
        }
        double[] outside = sampler.outsideCourseGridCc(s);
        assertThat(outside[0]).isPositive().isCloseTo(outsideCc, within(1e-6));
        assertThat(outside[1]).isZero();
        assertThat(outside[2]).isZero();
        assertThat(sampler.physicalDose(s)[0]).containsExactly(planSum(3).sampler().physicalDose(s)[0]);
    }

    @Test
    void theCurrentCoursesVoxelCentresAreReadDirectlyWithTheKernelsResultBitForBit() {
        PlanSum sum = planSum(2);
        CourseDoseSampler sampler = sum.sampler();
        assertThat(sampler.readsDirectly(1)).isTrue();
        assertThat(sampler.readsDirectly(0)).isFalse();
        SamplePoints s = mixedSamples(70_000, 11);
        int n = s.count();
        float[] expected = new float[n];
        sum.kernels().gather(PlanSumTest.CURRENT_FIELD.sampledOn(CURRENT), dev.eqd2sum.engine.geometry.Affine3.identity(),
                s.i(), s.j(), s.k(), 1f, expected, 0, n);
        float[] got = new float[n];
        sampler.physicalDose(1, s, got);
        assertThat(got).containsExactly(expected);
    }

    @Test
    void anUnrotatedPriorsVoxelCentresUsePerAxisCellsWithTheKernelsResultBitForBit() {
        // a prior on its own axis-aligned grid, shifted (no rotation): its map from output index is diagonal
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -27.3, -22.1, -16.7, 2.5, 2.5, 3);
        dev.eqd2sum.engine.dose.DoseGrid priorDose = PlanSumTest.PRIOR_FIELD.sampledOn(prior);
        CourseTimeline t = CourseTimeline.of(List.of(
                Course.of("cEBRT", CourseDose.of(DoseComponent.perFraction(priorDose, 10)), 10,
                        LocalDate.parse("2019-02-04"), LocalDate.parse("2019-02-15")).withTransform(
                        RigidTransform.fromMatrix4x4(new double[] {1, 0, 0, 1.5, 0, 1, 0, -0.75, 0, 0, 1, 2, 0, 0, 0, 1})),
                Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(CURRENT))),
                        3, LocalDate.parse("2020-10-20"), null)),
                ForgivenessSchedule.nelson2009());
        PlanSum sum = PlanSum.prepare(t, OutputGrid.current(), JavaDoseKernels.INSTANCE, 2);
        CourseDoseSampler sampler = sum.sampler();
        assertThat(sampler.usesSeparableCells(0)).isTrue();
        SamplePoints s = mixedSamples(70_000, 5);
        float[] got = new float[s.count()];
        sampler.physicalDose(0, s, got);
        // the kernels themselves, point by point, through the same map
        PlanSum reference = PlanSum.prepare(t, OutputGrid.current(), JavaDoseKernels.INSTANCE, 1);
        float[] expected = new float[s.count()];
        reference.kernels().gather(priorDose, sampler.mapOf(0), s.i(), s.j(), s.k(), sampler.doseScaleOf(0),
                expected, 0, s.count());
        assertThat(got).containsExactly(expected);
        int positive = 0;
        for (float v : got) {
            positive += v > 0 ? 1 : 0;
        }
        assertThat(got).as("some samples outside the prior").contains(0f);
        assertThat(positive).as("most samples inside it").isGreaterThan(s.count() / 2);
    }

    @Test
    void withThePlainJavaKernelsTheCurrentCoursesSamplesAreBitForBitTheirs() {
        CourseTimeline t = CourseTimeline.of(List.of(
                Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(CURRENT))),
                        3, LocalDate.parse("2020-10-20"), null)), ForgivenessSchedule.nelson2009());
        CourseDoseSampler sampler = PlanSum.prepare(t, OutputGrid.current(), JavaDoseKernels.INSTANCE, 2).sampler();
        assertThat(sampler.readsDirectly(0)).isTrue();
        SamplePoints s = mixedSamples(70_000, 13);
        float[] got = new float[s.count()];
        sampler.physicalDose(0, s, got);
        float[] expected = new float[s.count()];
        JavaDoseKernels.INSTANCE.gather(PlanSumTest.CURRENT_FIELD.sampledOn(CURRENT), sampler.mapOf(0), s.i(), s.j(),
                s.k(), sampler.doseScaleOf(0), expected, 0, s.count());
        assertThat(got).containsExactly(expected);
    }

    /**
     * Found by CourseDoseSamplerPropertiesTest: the current course's grid with 1.2 mm spacings (also 1.1, 1.4, 1.8,
     * 2.2, ... mm) maps to itself through patientToIndex().after(indexToPatient()) with a diagonal of
     * 0.9999999999999999, not exactly 1, so its voxel centres were not read directly.
     */
    @Test
    void theCurrentCoursesGridIsReadDirectlyWhateverItsSpacing() {
        for (double sp : new double[] {1.2, 1.1, 2.2, 2.5}) {
            GridGeometry g = GridGeometry.axisAligned(9, 7, 5, -12.3, 4.56, -7.89, sp, sp, sp);
            CourseTimeline t = CourseTimeline.of(List.of(
                    Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(g))),
                            3, LocalDate.parse("2020-10-20"), null)), ForgivenessSchedule.nelson2009());
            for (dev.eqd2sum.engine.kernel.DoseKernelSupport k : List.of(ScalarDoseKernels.INSTANCE,
                    JavaDoseKernels.INSTANCE)) {
                assertThat(PlanSum.prepare(t, OutputGrid.current(), k, 1).sampler().readsDirectly(0))
                        .as("%s mm, %s", sp, k.getClass().getSimpleName()).isTrue();
            }
        }
    }

    /** A body-like cylinder on the current grid, reaching past the prior's grid: interior centres and boundary points. */
    static StructureMask cylinder() {
        List<PlanarContour> planes = new ArrayList<>();
        for (int q = 0; q < 11; q++) {
            double z = -12.5 + 2.5 * q;
            double[] pts = new double[3 * 48];
            for (int a = 0; a < 48; a++) {
                pts[3 * a] = 0.7 + 17 * Math.cos(2 * Math.PI * a / 48);
                pts[3 * a + 1] = -0.4 + 15 * Math.sin(2 * Math.PI * a / 48);
                pts[3 * a + 2] = z;
            }
            planes.add(new PlanarContour(ContourType.CLOSED_PLANAR, pts));
        }
        Structure s = new Structure(1, "Body", "EXTERNAL", null, "1.2.3", planes);
        return Rasteriser.rasterise(s, CURRENT, RasterOptions.forStructureSet(List.of(s)));
    }

    @Test
    void aCompactSetGivesThePointsDosesOutsideVolumesAndPositionsBitForBit() {
        StructureMask m = cylinder();
        SampleSet set = m.sampleSet();
        SamplePoints points = set.toPoints();
        boolean anyCentres = false;
        for (int seg = 0; seg < set.segmentCount(); seg++) {
            anyCentres |= set.isCentres(seg);
        }
        assertThat(anyCentres).isTrue();
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -27.3, -22.1, -16.7, 2.5, 2.5, 3);
        CourseTimeline unrotated = CourseTimeline.of(List.of(
                Course.of("cEBRT", CourseDose.of(DoseComponent.perFraction(PlanSumTest.PRIOR_FIELD.sampledOn(prior), 10)),
                        10, LocalDate.parse("2019-02-04"), LocalDate.parse("2019-02-15")).withTransform(
                        RigidTransform.fromMatrix4x4(new double[] {1, 0, 0, 1.5, 0, 1, 0, -0.75, 0, 0, 1, 2, 0, 0, 0, 1})),
                Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(CURRENT))),
                        3, LocalDate.parse("2020-10-20"), null)),
                ForgivenessSchedule.nelson2009());
        // scalar kernels (rotated prior through the kernels' gather, current read directly, a uniform course), the
        // plain-Java kernels with an unrotated prior (per-axis cells)
        for (PlanSum sum : List.of(planSum(2), planSum(1),
                PlanSum.prepare(unrotated, OutputGrid.current(), JavaDoseKernels.INSTANCE, 2))) {
            CourseDoseSampler sampler = sum.sampler();
            float[][] got = sampler.physicalDose(set);
            float[][] expected = sampler.physicalDose(points);
            for (int c = 0; c < expected.length; c++) {
                assertThat(got[c]).isEqualTo(expected[c]); // Arrays.equals: bit for bit
            }
            double[] outside = sampler.outsideCourseGridCc(set);
            assertThat(outside).containsExactly(sampler.outsideCourseGridCc(points));
            for (int p = 0; p < set.count(); p += 997) {
                assertThat(sampler.patientMm(set, p)).containsExactly(sampler.patientMm(points, p));
            }
        }
        // the cylinder reaches past the rotated prior's grid: the per-sample sum ran, not the box test alone
        assertThat(planSum(1).sampler().outsideCourseGridCc(set)[0]).isPositive();
        // and past the unrotated one's, where voxel centres are tested by the per-axis flags
        assertThat(PlanSum.prepare(unrotated, OutputGrid.current(), JavaDoseKernels.INSTANCE, 2).sampler()
                .outsideCourseGridCc(set)[0]).isPositive();
    }

    /** An unrotated prior shifted past the body along each axis: voxel centres tested per axis, summed the same. */
    @Test
    void outsideVolumesOfAnUnrotatedCourseAgreeAlongEveryAxis() {
        SampleSet set = cylinder().sampleSet();
        SamplePoints points = set.toPoints();
        GridGeometry prior = GridGeometry.axisAligned(17, 15, 10, -27.3, -22.1, -16.7, 2.5, 2.5, 3);
        double[][] shifts = {{-20, 0, 0}, {20, 0, 0}, {0, -15, 0}, {0, 15, 0}, {0, 0, -9}, {0, 0, 9}, {7, -5, 4}};
        for (double[] t : shifts) {
            CourseTimeline shifted = CourseTimeline.of(List.of(
                    Course.of("cEBRT", CourseDose.of(DoseComponent.perFraction(PlanSumTest.PRIOR_FIELD.sampledOn(prior), 10)),
                            10, LocalDate.parse("2019-02-04"), LocalDate.parse("2019-02-15")).withTransform(
                            RigidTransform.fromMatrix4x4(new double[] {1, 0, 0, t[0], 0, 1, 0, t[1], 0, 0, 1, t[2], 0, 0, 0, 1})),
                    Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(CURRENT))),
                            3, LocalDate.parse("2020-10-20"), null)),
                    ForgivenessSchedule.nelson2009());
            CourseDoseSampler sampler = PlanSum.prepare(shifted, OutputGrid.current(), JavaDoseKernels.INSTANCE, 2).sampler();
            double[] outside = sampler.outsideCourseGridCc(set);
            assertThat(outside).as("shift %s", java.util.Arrays.toString(t))
                    .containsExactly(sampler.outsideCourseGridCc(points));
            assertThat(outside[0]).as("shift %s", java.util.Arrays.toString(t)).isPositive();
        }
    }

    /** Voxel centres everywhere (last indices included) in runs, between sub-voxel points and points outside. */
    static SamplePoints mixedSamples(int n, long seed) {
        Random r = new Random(seed);
        float[] i = new float[n], j = new float[n], k = new float[n], vol = new float[n];
        for (int p = 0; p < n; p++) {
            boolean centre = (p / 7) % 3 != 0;
            i[p] = centre ? r.nextInt(CURRENT.nx()) : (float) (r.nextDouble() * CURRENT.nx() - 0.5);
            j[p] = centre ? r.nextInt(CURRENT.ny()) : (float) (r.nextDouble() * CURRENT.ny() - 0.5);
            k[p] = centre ? r.nextInt(CURRENT.nz()) : (float) (r.nextDouble() * CURRENT.nz() - 0.5);
            vol[p] = 0.001f;
        }
        return new SamplePoints(i, j, k, vol, n);
    }

    @Test
    void noSampleOutsideACoursesGridIsFoundWithoutVisitingEach() {
        PlanSum sum = planSum(1);
        CourseDoseSampler sampler = sum.sampler();
        // a block of samples well inside both grids: 0 cc outside, as the per-sample rule says
        int n = 1000;
        float[] i = new float[n], j = new float[n], k = new float[n], vol = new float[n];
        Random r = new Random(3);
        for (int p = 0; p < n; p++) {
            i[p] = 10 + r.nextFloat() * 4;
            j[p] = 8 + r.nextFloat() * 4;
            k[p] = 6 + r.nextFloat() * 4;
            vol[p] = 0.001f;
        }
        SamplePoints s = new SamplePoints(i, j, k, vol, n);
        assertThat(sampler.outsideCourseGridCc(s)).containsExactly(0, 0, 0);
        // one sample beyond the current grid's last plane (more than the edge tolerance): found, with its volume
        i[n - 1] = CURRENT.nx() - 1 + 0.01f;
        vol[n - 1] = 0.25f;
        assertThat(sampler.outsideCourseGridCc(s)[1]).isEqualTo(0.25f);
    }

    @Test
    void samplesAtVoxelCentresReproduceThePlanSumMap() {
        PlanSum sum = planSum(2);
        float[] map = sum.eqd2(TissueMap.uniform(2)).doseGy();
        int n = CURRENT.voxelCount();
        float[] i = new float[n], j = new float[n], k = new float[n], vol = new float[n];
        for (int v = 0; v < n; v++) {
            i[v] = v % CURRENT.nx();
            j[v] = (v / CURRENT.nx()) % CURRENT.ny();
            k[v] = v / (CURRENT.nx() * CURRENT.ny());
            vol[v] = (float) CURRENT.voxelVolumeCc();
        }
        SamplePoints s = new SamplePoints(i, j, k, vol, n);
        CourseDoseSampler sampler = sum.sampler();
        float[][] d = sampler.physicalDose(s);
        List<ScheduledCourse> courses = sampler.courses();
        assertThat(courses.get(1).current()).isTrue();
        assertThat(courses.get(2).conversionFractions()).isEqualTo(5);
        for (int v = 0; v < n; v++) {
            double eqd2 = 0;
            for (int c = 0; c < courses.size(); c++) {
                eqd2 += courses.get(c).normalTissueWeight()
                        * Eqd2.eqd2(d[c][v], courses.get(c).conversionFractions(), 2);
            }
            // float accumulation: relative precision ~1e-7 of values up to ~800 Gy here
            assertThat((double) map[v]).isCloseTo(eqd2, within(1e-4 + 1e-6 * eqd2));
        }
    }
}
