package dev.eqd2sum.engine.dvh;

import dev.eqd2sum.engine.structure.SamplePoints;
import dev.eqd2sum.engine.structure.SampleSet;

/**
 * A structure's sample points with the physical dose (Gy, already scaled) of each course there:
 * {@code physicalGyPerCourse[course][sample]}, courses in the order of the {@link CourseInfo} list.
 * Positions (continuous output-grid indices) are kept so that the location of a maximum can be
 * reported; each sample stands for {@code volumeCc[sample]}. Samples that carry no volume (the rasteriser's
 * contour vertices and crossings, nodes: where the extremes can lie) come after all that carry volume
 * ({@link #withVolumeCount()}); they give Dmax and Dmin and the curve's ends, not its inner points.
 */
public record StructureDoseSamples(float[][] physicalGyPerCourse, float[] volumeCc,
                                   float[] i, float[] j, float[] k, int count, SampleSet positions) {
    // i, j, k: the positions, or null when positions (a compact set: interior voxel centres not stored one by
    // one) holds them
    public StructureDoseSamples {
        if (count < 0 || volumeCc.length < count || (positions == null
                ? i == null || j == null || k == null || i.length < count || j.length < count || k.length < count
                : positions.count() != count)) {
            throw new IllegalArgumentException("sample arrays shorter than count " + count);
        }
        for (int c = 0; c < physicalGyPerCourse.length; c++) {
            if (physicalGyPerCourse[c].length < count) {
                throw new IllegalArgumentException("dose of course " + c + " has fewer than " + count + " samples");
            }
        }
        // the rasteriser's order, which RasteriserDifferentialTest holds it to: checked where assertions run (the
        // tests), not by a pass over every sample of every structure in a case
        assert withoutVolumeLast(volumeCc, count) : "a sample without volume before samples with volume";
    }

    private static boolean withoutVolumeLast(float[] volumeCc, int count) {
        for (int p = withVolumeCount(volumeCc, count) - 1; p >= 0; p--) {
            if (!(volumeCc[p] > 0f)) {
                return false;
            }
        }
        return true;
    }

    /** The samples [0, withVolumeCount()) carry volume; those after carry none (for the extremes only). */
    public int withVolumeCount() {
        return withVolumeCount(volumeCc, count);
    }

    private static int withVolumeCount(float[] volumeCc, int count) {
        int n = count;
        while (n > 0 && volumeCc[n - 1] == 0f) {
            n--;
        }
        return n;
    }

    public StructureDoseSamples(float[][] physicalGyPerCourse, float[] volumeCc, float[] i, float[] j, float[] k,
                                int count) {
        this(physicalGyPerCourse, volumeCc, i, j, k, count, null);
    }

    /** Doses at a compact set's samples: its volumes, positions from the set when asked for. */
    public static StructureDoseSamples of(SampleSet points, float[][] physicalGyPerCourse) {
        return new StructureDoseSamples(physicalGyPerCourse, points.volumeCc(), null, null, null, points.count(),
                points);
    }

    public static StructureDoseSamples of(SamplePoints points, float[][] physicalGyPerCourse) {
        return new StructureDoseSamples(physicalGyPerCourse, points.volumeCc(), points.i(), points.j(), points.k(),
                points.count());
    }

    public int courseCount() {
        return physicalGyPerCourse.length;
    }

    /** The sample's position as continuous output-grid indices (i, j, k). */
    public double[] indexOf(int sample) {
        return positions != null ? positions.indexOf(sample) : new double[] {i[sample], j[sample], k[sample]};
    }
}
