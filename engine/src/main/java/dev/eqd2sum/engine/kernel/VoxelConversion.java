package dev.eqd2sum.engine.kernel;

/**
 * How one course's physical dose becomes weighted EQD2 in each output voxel v:
 * <pre>
 *   D    = doseScale * dose(v)                    (Gy; FRACTION doses, delivered/planned)
 *   ab   = alphaBetaMapGy == null ? uniformAlphaBetaGy : alphaBetaMapGy[v]
 *   w    = targetMask != null &amp;&amp; targetMask[v] != 0 ? 1 : normalTissueWeight
 *   acc[v] += w * Eqd2.eqd2(D, fractions, ab)
 * </pre>
 * Targets are never forgiven, so target voxels always take weight 1.
 *
 * @param fractions          number of fractions the dose was delivered in (> 0)
 * @param doseScale          factor applied to the (interpolated) physical dose
 * @param uniformAlphaBetaGy alpha/beta used when there is no map (Gy)
 * @param alphaBetaMapGy     per-output-voxel alpha/beta (Gy), or null
 * @param normalTissueWeight 1 - forgiveness reduction of this course
 * @param targetMask         per-output-voxel 1 where the voxel is target (never forgiven), or null
 */
public record VoxelConversion(double fractions, float doseScale, float uniformAlphaBetaGy, float[] alphaBetaMapGy,
                              float normalTissueWeight, byte[] targetMask) {
    public VoxelConversion {
        if (!(fractions > 0)) {
            throw new IllegalArgumentException("fractions must be positive: " + fractions);
        }
        if (alphaBetaMapGy == null && !(uniformAlphaBetaGy > 0)) {
            throw new IllegalArgumentException("alpha/beta must be positive: " + uniformAlphaBetaGy);
        }
    }

    /** Uniform alpha/beta, no forgiveness, no target map. */
    public static VoxelConversion uniform(double fractions, float alphaBetaGy) {
        return new VoxelConversion(fractions, 1f, alphaBetaGy, null, 1f, null);
    }
}
