package dev.eqd2sum.engine.structure;

/**
 * Points inside a structure at which dose statistics are evaluated, each standing for a volume.
 * Positions are continuous indices of the output grid the structure was rasterised onto; the
 * volumes (cc) add up to the structure's volume inside that grid. Dmax and Dmin are taken over
 * these points (sub-voxel samples inside the contour, not voxel centres the contour touches).
 */
public record SamplePoints(float[] i, float[] j, float[] k, float[] volumeCc, int count) {
    public SamplePoints {
        if (i.length < count || j.length < count || k.length < count || volumeCc.length < count) {
            throw new IllegalArgumentException("sample arrays shorter than count " + count);
        }
    }

    public static SamplePoints empty() {
        return new SamplePoints(new float[0], new float[0], new float[0], new float[0], 0);
    }

    public double totalVolumeCc() {
        double s = 0;
        for (int p = 0; p < count; p++) {
            s += volumeCc[p];
        }
        return s;
    }
}
