package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.kernel.VoxelConversion;
import dev.eqd2sum.engine.structure.SamplePoints;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan sum works through whatever kernels it is given, one fused pass per course. */
class KernelUseTest {
    /** Records every call and delegates to the scalar reference. */
    static class RecordingKernels implements DoseKernelSupport {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void eqd2Accumulate(float[] dose, VoxelConversion c, float[] acc, int from, int to) {
            calls.add("same " + dose.length + " " + from + "-" + to);
            ScalarDoseKernels.INSTANCE.eqd2Accumulate(dose, c, acc, from, to);
        }

        @Override
        public void resampleEqd2Accumulate(DoseGrid source, Affine3 map, GridGeometry output, VoxelConversion c,
                                           float[] acc, int kFrom, int kTo) {
            calls.add("resample " + source.doseGy().length + " " + kFrom + "-" + kTo);
            ScalarDoseKernels.INSTANCE.resampleEqd2Accumulate(source, map, output, c, acc, kFrom, kTo);
        }

        @Override
        public void gather(DoseGrid source, Affine3 map, float[] pi, float[] pj, float[] pk, float doseScale,
                           float[] out, int from, int to) {
            calls.add("gather " + from + "-" + to);
            ScalarDoseKernels.INSTANCE.gather(source, map, pi, pj, pk, doseScale, out, from, to);
        }
    }

    static CourseTimeline threeCourses() {
        GridGeometry prior = GridGeometry.axisAligned(10, 9, 8, -20, -18, -14, 2.5, 2.5, 3);
        GridGeometry cur = PlanSumTest.CURRENT;
        return CourseTimeline.of(List.of(
                Course.of("old", CourseDose.uniform(20), 5, LocalDate.parse("2015-03-02"), null),
                Course.of("cEBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.PRIOR_FIELD.sampledOn(prior))), 10,
                        LocalDate.parse("2019-02-04"), LocalDate.parse("2019-02-15")),
                Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(cur))), 3,
                        LocalDate.parse("2020-10-20"), null)), ForgivenessSchedule.nelson2009());
    }

    @Test
    void oneThreadMeansOneWholeGridCallPerCourseInCaseOrder() {
        RecordingKernels k = new RecordingKernels();
        PlanSum sum = PlanSum.prepare(threeCourses(), OutputGrid.current(), k, 1);
        float[] viaRecording = sum.eqd2(TissueMap.uniform(2)).doseGy();
        int n = PlanSumTest.CURRENT.voxelCount();
        assertThat(k.calls).containsExactly("resample 1 0-16", "resample 720 0-16", "same " + n + " 0-" + n);
        float[] viaScalar = PlanSum.prepare(threeCourses(), OutputGrid.current()).eqd2(TissueMap.uniform(2)).doseGy();
        assertThat(viaRecording).containsExactly(viaScalar);
    }

    @Test
    void severalThreadsCoverEveryVoxelOncePerCourse() {
        RecordingKernels k = new RecordingKernels();
        GridGeometry big = GridGeometry.axisAligned(40, 40, 90, -40, -40, -90, 2, 2, 2);
        CourseTimeline t = CourseTimeline.of(List.of(
                Course.of("cEBRT", CourseDose.uniform(30), 10, LocalDate.parse("2019-02-04"), null),
                Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(big))), 3,
                        LocalDate.parse("2020-10-20"), null)), ForgivenessSchedule.nelson2009());
        PlanSum.prepare(t, OutputGrid.current(), k, 2).eqd2(TissueMap.uniform(2));
        int slice = 40 * 40;
        int[] slicesSeen = new int[2];
        for (String call : k.calls) {
            String[] parts = call.split(" ");
            String[] range = parts[2].split("-");
            int from = Integer.parseInt(range[0]);
            int to = Integer.parseInt(range[1]);
            if (parts[0].equals("same")) {
                slicesSeen[1] += (to - from) / slice;
            } else {
                slicesSeen[0] += to - from;
            }
        }
        assertThat(k.calls.size()).isGreaterThan(2);
        assertThat(slicesSeen).containsExactly(90, 90);
    }

    @Test
    void aBackendThatParallelisesItselfGetsWholeRangesFromOneThread() {
        RecordingKernels device = new RecordingKernels() {
            @Override
            public boolean parallelisesItself() {
                return true;
            }
        };
        GridGeometry big = GridGeometry.axisAligned(40, 40, 90, -40, -40, -90, 2, 2, 2);
        CourseTimeline t = CourseTimeline.of(List.of(
                Course.of("cEBRT", CourseDose.uniform(30), 10, LocalDate.parse("2019-02-04"), null),
                Course.of("reSBRT", CourseDose.of(DoseComponent.plan(PlanSumTest.CURRENT_FIELD.sampledOn(big))), 3,
                        LocalDate.parse("2020-10-20"), null)), ForgivenessSchedule.nelson2009());
        PlanSum sum = PlanSum.prepare(t, OutputGrid.current(), device, 4);
        assertThat(sum.threads()).isEqualTo(1);
        sum.eqd2(TissueMap.uniform(2));
        assertThat(device.calls).containsExactly("resample 1 0-90", "same 144000 0-144000");
    }

    @Test
    void samplingGoesThroughTheKernelsGather() {
        RecordingKernels k = new RecordingKernels();
        PlanSum sum = PlanSum.prepare(threeCourses(), OutputGrid.current(), k, 1);
        SamplePoints s = new SamplePoints(new float[] {1, 2.5f}, new float[] {1, 2}, new float[] {1, 2},
                new float[] {0.01f, 0.01f}, 2);
        float[][] d = sum.sampler().physicalDose(s);
        // the current course's grid is the output grid: its voxel centre (1, 1, 1) is read directly (the kernels'
        // weights there are 1 and 0), only the point between centres is gathered
        assertThat(k.calls).containsExactly("gather 0-2", "gather 0-2", "gather 1-2");
        assertThat(d[0]).containsExactly(20f, 20f);
        float[] viaKernels = new float[2];
        ScalarDoseKernels.INSTANCE.gather(PlanSumTest.CURRENT_FIELD.sampledOn(PlanSumTest.CURRENT), Affine3.identity(),
                s.i(), s.j(), s.k(), 1f, viaKernels, 0, 2);
        assertThat(d[2]).containsExactly(viaKernels);
    }
}
