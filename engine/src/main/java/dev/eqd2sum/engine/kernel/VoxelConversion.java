package dev.eqd2sum.engine.kernel;

/**
 * How one course's physical dose becomes weighted EQD2 in each output voxel v:
 * <pre>
 *   D    = doseScale * dose(v)                    (Gy; FRACTION doses, delivered/planned)
 *   ab   = alphaBetaIndex != null ? alphaBetaTableGy[alphaBetaIndex[v] &amp; 0xFF]
 *        : alphaBetaMapGy != null ? alphaBetaMapGy[v] : uniformAlphaBetaGy
 *   w    = targetMask != null &amp;&amp; targetMask[v] != 0 ? 1 : normalTissueWeight
 *   acc[v] += w * Eqd2.eqd2(D, fractions, ab)
 * </pre>
 * Targets are never forgiven, so target voxels always take weight 1. A case's alpha/beta map holds a
 * handful of values (one per structure with its own, and the default): as an index of one byte per voxel
 * into a table it takes a quarter of the memory of a float per voxel.
 *
 * @param fractions          number of fractions the dose was delivered in (> 0)
 * @param doseScale          factor applied to the (interpolated) physical dose
 * @param uniformAlphaBetaGy alpha/beta used when there is no map (Gy)
 * @param alphaBetaMapGy     per-output-voxel alpha/beta (Gy), or null
 * @param normalTissueWeight 1 - forgiveness reduction of this course
 * @param targetMask         per-output-voxel 1 where the voxel is target (never forgiven), or null
 * @param alphaBetaIndex     per-output-voxel index (unsigned byte) into alphaBetaTableGy, or null; not
 *                           together with alphaBetaMapGy
 * @param alphaBetaTableGy   the alpha/beta values (Gy) alphaBetaIndex points at (at most 256)
 */
public record VoxelConversion(double fractions, float doseScale, float uniformAlphaBetaGy, float[] alphaBetaMapGy,
                              float normalTissueWeight, byte[] targetMask, byte[] alphaBetaIndex,
                              float[] alphaBetaTableGy) {
    public VoxelConversion {
        if (!(fractions > 0)) {
            throw new IllegalArgumentException("fractions must be positive: " + fractions);
        }
        if (alphaBetaIndex != null && (alphaBetaMapGy != null || alphaBetaTableGy == null
                || alphaBetaTableGy.length == 0 || alphaBetaTableGy.length > 256)) {
            throw new IllegalArgumentException("an alpha/beta index needs a table of 1 to 256 values and no float map");
        }
        if (alphaBetaMapGy == null && alphaBetaIndex == null && !(uniformAlphaBetaGy > 0)) {
            throw new IllegalArgumentException("alpha/beta must be positive: " + uniformAlphaBetaGy);
        }
    }

    /** A conversion with a float alpha/beta map (or none). */
    public VoxelConversion(double fractions, float doseScale, float uniformAlphaBetaGy, float[] alphaBetaMapGy,
                           float normalTissueWeight, byte[] targetMask) {
        this(fractions, doseScale, uniformAlphaBetaGy, alphaBetaMapGy, normalTissueWeight, targetMask, null, null);
    }

    /** Uniform alpha/beta, no forgiveness, no target map. */
    public static VoxelConversion uniform(double fractions, float alphaBetaGy) {
        return new VoxelConversion(fractions, 1f, alphaBetaGy, null, 1f, null);
    }

    /** True when alpha/beta varies by voxel (a float map or an index). */
    public boolean hasAlphaBetaMap() {
        return alphaBetaMapGy != null || alphaBetaIndex != null;
    }

    /** Alpha/beta of output voxel v (Gy). */
    public float alphaBetaAt(int v) {
        if (alphaBetaIndex != null) {
            return alphaBetaTableGy[alphaBetaIndex[v] & 0xFF];
        }
        return alphaBetaMapGy != null ? alphaBetaMapGy[v] : uniformAlphaBetaGy;
    }

    /** Alpha/beta of output voxels [from, from + count) into {@code into[0, count)}, as floats. */
    public void alphaBetaInto(int from, int count, float[] into) {
        if (alphaBetaIndex != null) {
            byte[] index = alphaBetaIndex;
            float[] table = alphaBetaTableGy;
            for (int t = 0; t < count; t++) {
                into[t] = table[index[from + t] & 0xFF];
            }
        } else if (alphaBetaMapGy != null) {
            System.arraycopy(alphaBetaMapGy, from, into, 0, count);
        } else {
            java.util.Arrays.fill(into, 0, count, uniformAlphaBetaGy);
        }
    }

    /** Length of the per-voxel alpha/beta map, or -1 without one. */
    public int alphaBetaMapLength() {
        return alphaBetaIndex != null ? alphaBetaIndex.length : alphaBetaMapGy != null ? alphaBetaMapGy.length : -1;
    }
}
