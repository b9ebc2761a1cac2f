package dev.eqd2sum.engine.kernel;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;

/**
 * The per-voxel work of the engine, behind one contract so that a scalar reference, a Vector API
 * and an OpenCL implementation can be swapped and tested against each other (after Lucene's
 * VectorUtilSupport). Implementations hold no per-call state and are safe to call from several
 * threads on disjoint output ranges.
 *
 * <p>Resampling is trilinear in the source grid's continuous index space. A point whose continuous
 * index lies within [0, n-1] +- 1e-3 on every axis gets the interpolated dose (the index clamped
 * into the grid); a point outside gets 0 from that source (CONTRACT, outputGrid).
 */
public interface DoseKernelSupport {
    /** How far outside [0, n-1] (in index units) a point still counts as inside a grid. */
    double EDGE_TOLERANCE = 1e-3;

    /** Short name shown to users: {@code scalar}, {@code vector}, {@code opencl}. */
    String name();

    /**
     * True for a backend that parallelises each call by itself (a device queue): callers then
     * hand it whole ranges from one thread instead of splitting the work over threads.
     */
    default boolean parallelisesItself() {
        return false;
    }

    /**
     * Same-grid pass: {@code acc[v] += w(v) * EQD2(doseScale * dose[v], n, ab(v))} for v in [from, to).
     */
    void eqd2Accumulate(float[] dose, VoxelConversion conversion, float[] acc, int from, int to);

    /**
     * Fused pass over output slices [kFrom, kTo): resample {@code source} at
     * {@code outputIndexToSourceIndex * (i, j, k)}, convert and accumulate into {@code acc}
     * (laid out on {@code output}). No intermediate grid.
     */
    void resampleEqd2Accumulate(DoseGrid source, Affine3 outputIndexToSourceIndex, GridGeometry output,
                                VoxelConversion conversion, float[] acc, int kFrom, int kTo);

    /**
     * Physical dose (times {@code doseScale}) of {@code source} at points p in [from, to), given in
     * some index space that {@code pointToSourceIndex} maps into the source's continuous index:
     * {@code out[p] = doseScale * trilinear(source, map(pi[p], pj[p], pk[p]))}, 0 outside.
     */
    void gather(DoseGrid source, Affine3 pointToSourceIndex, float[] pi, float[] pj, float[] pk,
                float doseScale, float[] out, int from, int to);
}
