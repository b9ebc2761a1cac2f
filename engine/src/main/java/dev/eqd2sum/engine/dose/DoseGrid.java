package dev.eqd2sum.engine.dose;

import dev.eqd2sum.engine.geometry.GridGeometry;

/**
 * Physical dose (Gy) on a regular grid: the geometry and one float per voxel, i fastest
 * ({@link GridGeometry#index}). The array is shared, not copied: a DoseGrid is a view, and
 * whoever built it must not change the values afterwards.
 */
public record DoseGrid(GridGeometry geometry, float[] doseGy) {
    /**
     * The highest physical dose (Gy) an input may hold: far above any delivered dose, and far below where the EQD2 of a
     * dose (its square over the fractions) and a DVH's bins overflow. A file above it has a wrong DoseGridScaling.
     */
    public static final double MAX_DOSE_GY = 10_000;

    public DoseGrid {
        if (doseGy.length != geometry.voxelCount()) {
            throw new IllegalArgumentException("dose array has " + doseGy.length + " values for a grid of "
                    + geometry.voxelCount() + " voxels");
        }
    }

    public float maxGy() {
        float max = 0;
        for (float d : doseGy) {
            max = Math.max(max, d);
        }
        return max;
    }
}
