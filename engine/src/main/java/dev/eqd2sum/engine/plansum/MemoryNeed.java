package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.geometry.GridGeometry;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * The heap a case needs, from the sizes of its grids: the one estimate behind the cohort's memory scheduling, and
 * the lower bound ({@link #minimumBytes}) behind {@code sum}'s refusal of a case that cannot fit. Calibrated on the measured live heap (bench/results/memory.md):
 * <pre>
 *   BASE                        classes, structures, DVHs, reports                      32 MiB
 * + 4 B per course grid voxel   every dose grid decoded to float[] (BEAM doses summed: one more grid)
 * + 15 B per output voxel       the maps stage (alpha/beta index 1 + target 1 + EQD2 map or the coverage
 *                               scratch 4 = 6 B) and a large structure's statistics (samples' volumes,
 *                               the courses' doses and the plan sums at them), sized for a structure that
 *                               covers the whole grid (an External drawn around a dose grid cropped to the body)
 * </pre>
 * Measured (smallest -Xmx that ran, `sum` through the launcher): the large case (52 M output voxels, 55 M course
 * voxels) with its External as generated (a quarter of the grid) ran live at 0.68 GB at the peak, and with the
 * External a rectangle around the whole grid ran in 1000 MiB (8.9 s, against 5.5 s in 1100 MiB) but not in 900 MiB: 0.97 GiB estimated (10 B per
 * output voxel, the calibration before, gave 0.73 GiB). std (6 M, 9 M) with the whole-grid External ran in 130 MiB
 * but not in 110 MiB: 153 MiB estimated.
 */
public final class MemoryNeed {
    static final long BASE_BYTES = 32L << 20;
    static final int COURSE_VOXEL_BYTES = Float.BYTES;
    static final int OUTPUT_VOXEL_BYTES = 15;

    private MemoryNeed() {
    }

    /** Bytes of heap for a case with this many output voxels and this many voxels in its course grids. */
    public static long bytes(long outputVoxels, long courseVoxels) {
        return BASE_BYTES + COURSE_VOXEL_BYTES * courseVoxels + OUTPUT_VOXEL_BYTES * outputVoxels;
    }

    /**
     * Bytes a case cannot do without: its course grids as floats and the maps' arrays of the output grid (the EQD2
     * map, 4 B, with the alpha/beta and target bytes, 1 + 1 B per voxel). A case needing more than the heap certainly
     * cannot run; {@link #bytes} (the estimate, up to about a quarter above what std and large need) only schedules.
     */
    public static long minimumBytes(GridGeometry output, List<ScheduledCourse> courses) {
        return COURSE_VOXEL_BYTES * courseVoxels(courses) + (long) MINIMUM_OUTPUT_VOXEL_BYTES * output.voxelCount();
    }

    static final int MINIMUM_OUTPUT_VOXEL_BYTES = 6;

    /** Bytes of heap for summing {@code courses} on {@code output}. */
    public static long bytes(GridGeometry output, List<ScheduledCourse> courses) {
        return bytes(output.voxelCount(), courseVoxels(courses));
    }

    /** Voxels of every course's dose grids, with one grid more for a course of several BEAM doses (their sum). */
    static long courseVoxels(List<ScheduledCourse> courses) {
        long voxels = 0;
        for (ScheduledCourse c : courses) {
            if (c.course().dose() instanceof CourseDose.Grids g) {
                for (DoseComponent part : g.components()) {
                    voxels += part.grid().geometry().voxelCount();
                }
                if (g.components().size() > 1) {
                    voxels += CourseDoseSource.beamCover(g.components()).voxelCount();
                }
            }
        }
        return voxels;
    }

    /** "1581 x 1261 x 981 voxels at 0.1 mm" (or "at 2 x 2 x 3 mm"). */
    public static String describe(GridGeometry g) {
        double[] s = g.spacingMm();
        String spacing = s[0] == s[1] && s[1] == s[2] ? mm(s[0]) : mm(s[0]) + " x " + mm(s[1]) + " x " + mm(s[2]);
        return g.nx() + " x " + g.ny() + " x " + g.nz() + " voxels at " + spacing + " mm";
    }

    /** A size for people: "37 MiB", "5.9 GiB", "18 GiB". */
    public static String size(long bytes) {
        double gib = bytes / (double) (1L << 30);
        if (gib >= 10) {
            return String.format(Locale.ROOT, "%.0f GiB", gib);
        }
        if (gib >= 1) {
            return String.format(Locale.ROOT, "%.1f GiB", gib);
        }
        return (bytes >> 20) + " MiB";
    }

    /** An -Xmx value of at least {@code bytes}: whole gibibytes, or multiples of 64 MiB below 1 GiB ("21g", "192m"). */
    public static String heapOption(long bytes) {
        if (bytes > 1L << 30) {
            return ((bytes + (1L << 30) - 1) >> 30) + "g";
        }
        return (((bytes + (64L << 20) - 1) >> 26) * 64) + "m";
    }

    /**
     * The -Xmx to suggest when this heap was too small: twice it, or the need with an eighth to spare when that is
     * more (a need measured only as "more than this heap" gets the doubling).
     *
     * @param needBytes the estimated need, 0 when unknown
     */
    public static String largerHeapOption(long heapBytes, long needBytes) {
        return heapOption(Math.max(2 * heapBytes, needBytes + (needBytes >> 3)));
    }

    private static String mm(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
