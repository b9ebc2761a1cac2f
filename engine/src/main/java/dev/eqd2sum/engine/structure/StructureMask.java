package dev.eqd2sum.engine.structure;

import dev.eqd2sum.engine.geometry.GridGeometry;

/**
 * A structure's fractional occupancy of the voxels of one grid, computed once per structure:
 * runs of voxels wholly inside (occupancy 1) plus boundary voxels with their partial occupancy
 * (0 < f < 1), and the sample points used for statistics. The part of the structure that lies
 * outside the grid is reported in {@link #outsideGridCc()}, never spread onto edge voxels.
 *
 * @param grid             the grid the occupancy refers to
 * @param runStart         first voxel index of each interior run, ascending
 * @param runLength        length of each interior run
 * @param partialIndex     voxel index of each boundary voxel, ascending, disjoint from the runs
 * @param partialOccupancy occupancy of each boundary voxel, in (0, 1)
 * @param outsideGridCc    structure volume lying outside the grid (cc)
 * @param samples          sample points inside the structure, in this grid's index space; null when only
 *                         {@code sampleSet} holds them (then {@link #samples()} makes them on each call)
 * @param sampleSet        the same sample points, interior voxel centres held as segments (what the
 *                         statistics of a large structure read: no three floats per interior voxel)
 */
public record StructureMask(GridGeometry grid, int[] runStart, int[] runLength, int[] partialIndex,
                            float[] partialOccupancy, double outsideGridCc, SamplePoints samples,
                            SampleSet sampleSet) {

    public StructureMask {
        if (runStart.length != runLength.length || partialIndex.length != partialOccupancy.length) {
            throw new IllegalArgumentException("run and partial arrays must pair up");
        }
        if (sampleSet == null) {
            sampleSet = SampleSet.of(samples);
        }
    }

    public StructureMask(GridGeometry grid, int[] runStart, int[] runLength, int[] partialIndex,
                         float[] partialOccupancy, double outsideGridCc, SamplePoints samples) {
        this(grid, runStart, runLength, partialIndex, partialOccupancy, outsideGridCc, samples, null);
    }

    /** The sample points, one by one (made from {@link #sampleSet()} when the mask holds only that: a full copy). */
    @Override
    public SamplePoints samples() {
        return samples != null ? samples : sampleSet.toPoints();
    }

    /** Visits (voxel index, occupancy) for every voxel the structure occupies. */
    public interface OccupancyVisitor {
        void visit(int voxelIndex, float occupancy);
    }

    public void forEachVoxel(OccupancyVisitor visitor) {
        for (int r = 0; r < runStart.length; r++) {
            int end = runStart[r] + runLength[r];
            for (int v = runStart[r]; v < end; v++) {
                visitor.visit(v, 1f);
            }
        }
        for (int p = 0; p < partialIndex.length; p++) {
            visitor.visit(partialIndex[p], partialOccupancy[p]);
        }
    }

    /** Volume inside the grid (cc): the sum of occupancies times the voxel volume. */
    public double volumeInsideGridCc() {
        double voxels = 0;
        for (int len : runLength) {
            voxels += len;
        }
        for (float f : partialOccupancy) {
            voxels += f;
        }
        return voxels * grid.voxelVolumeCc();
    }

    public int interiorVoxelCount() {
        int n = 0;
        for (int len : runLength) {
            n += len;
        }
        return n;
    }
}
