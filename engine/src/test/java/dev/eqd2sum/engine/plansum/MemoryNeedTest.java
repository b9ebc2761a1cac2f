package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryNeedTest {
    static final GridGeometry CURRENT = GridGeometry.axisAligned(20, 10, 5, 0, 0, 0, 2, 2, 2);

    @Test
    void needGrowsWithTheOutputGridAndTheCourseGrids() {
        assertThat(MemoryNeed.bytes(0, 0)).isEqualTo(32L << 20);
        assertThat(MemoryNeed.bytes(1_000_000, 0)).isEqualTo((32L << 20) + 15_000_000);
        assertThat(MemoryNeed.bytes(0, 1_000_000)).isEqualTo((32L << 20) + 4_000_000);
        // the audit's case: the demo's current grid at 0.1 mm, about 1.96 G voxels: far beyond a 6 GiB heap
        assertThat(MemoryNeed.bytes(1581L * 1261 * 981, 2_000_000)).isGreaterThan(18L << 30);
    }

    /** A prior of 4 x 4 x 4 voxels at 3 mm and a current course on CURRENT (1000 voxels). */
    static CourseTimeline twoCourses() {
        DoseGrid prior = new DoseGrid(GridGeometry.axisAligned(4, 4, 4, 0, 0, 0, 3, 3, 3), new float[64]);
        DoseGrid current = new DoseGrid(CURRENT, new float[CURRENT.voxelCount()]);
        CourseTimeline t = CourseTimeline.of(List.of(
                Course.of("prior", CourseDose.of(DoseComponent.plan(prior)), 10, LocalDate.parse("2019-02-04"),
                        LocalDate.parse("2019-02-15")),
                Course.of("current", CourseDose.of(DoseComponent.plan(current)), 3, LocalDate.parse("2020-10-20"),
                        null)), ForgivenessSchedule.nelson2009());
        return t;
    }

    @Test
    void theMinimumIsTheCourseGridsAndTheMapsArrays() {
        CourseTimeline t = twoCourses();
        // 4 B per course voxel (64 + 1000) and 6 B per output voxel (1000), no base
        assertThat(MemoryNeed.minimumBytes(CURRENT, t.courses())).isEqualTo(4L * (64 + 1000) + 6L * 1000);
        assertThat(MemoryNeed.minimumBytes(CURRENT, t.courses())).isLessThan(MemoryNeed.bytes(CURRENT, t.courses()));
    }

    @Test
    void theOutputGridAtAFinerSpacingIsWhatTheEstimateCounts() {
        CourseTimeline t = twoCourses();
        GridGeometry fine = PlanSum.resolveOutputGrid(t, OutputGrid.spacing(0.5, 0.5, 0.5));
        assertThat(fine.nx() * fine.ny() * fine.nz()).isEqualTo(77 * 37 * 17);
        assertThat(MemoryNeed.bytes(fine, t.courses())).isEqualTo(MemoryNeed.bytes(77 * 37 * 17, 64 + 1000));
        assertThat(MemoryNeed.bytes(fine, t.courses())).isGreaterThan(MemoryNeed.bytes(CURRENT, t.courses()));
    }

    @Test
    void beamDosesOnDifferentGridsCountTheirSumToo() {
        DoseGrid a = new DoseGrid(CURRENT, new float[CURRENT.voxelCount()]);
        GridGeometry shifted = GridGeometry.axisAligned(20, 10, 5, 10, 0, 0, 2, 2, 2);
        DoseGrid b = new DoseGrid(shifted, new float[shifted.voxelCount()]);
        CourseTimeline t = CourseTimeline.of(List.of(Course.of("current",
                CourseDose.of(DoseComponent.plan(a), DoseComponent.plan(b)), 3, LocalDate.parse("2020-10-20"), null)),
                ForgivenessSchedule.nelson2009());
        // the two beams (1000 voxels each) and their sum on the first's lattice extended by 5 columns (1250)
        assertThat(MemoryNeed.courseVoxels(t.courses())).isEqualTo(1000 + 1000 + 1250);
    }

    @Test
    void gridsAndSizesReadAsPeopleSayThem() {
        assertThat(MemoryNeed.describe(GridGeometry.axisAligned(1581, 1261, 981, 0, 0, 0, 0.1, 0.1, 0.1)))
                .isEqualTo("1581 x 1261 x 981 voxels at 0.1 mm");
        assertThat(MemoryNeed.describe(GridGeometry.axisAligned(3, 4, 5, 0, 0, 0, 0.9765625, 0.9765625, 2.5)))
                .isEqualTo("3 x 4 x 5 voxels at 0.9766 x 0.9766 x 2.5 mm");
        assertThat(MemoryNeed.size(37L << 20)).isEqualTo("37 MiB");
        assertThat(MemoryNeed.size((6L << 30) - (64L << 20))).isEqualTo("5.9 GiB");
        assertThat(MemoryNeed.size(19_700_000_000L)).isEqualTo("18 GiB");
        assertThat(MemoryNeed.heapOption(19_700_000_000L)).isEqualTo("19g");
        assertThat(MemoryNeed.heapOption((1L << 30) + 1)).isEqualTo("2g");
        assertThat(MemoryNeed.heapOption(1L << 30)).isEqualTo("1024m");
        assertThat(MemoryNeed.heapOption(35L << 20)).isEqualTo("64m");
        assertThat(MemoryNeed.heapOption(129L << 20)).isEqualTo("192m");
        // the heap that was too small, doubled; or the estimated need and an eighth, when that is more
        assertThat(MemoryNeed.largerHeapOption(109L << 20, 0)).isEqualTo("256m");
        assertThat(MemoryNeed.largerHeapOption(1L << 30, 500L << 20)).isEqualTo("2g");
        assertThat(MemoryNeed.largerHeapOption(2L << 20, 124L << 20)).isEqualTo("192m");
    }
}
