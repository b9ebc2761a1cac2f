package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.StructureMask;
import java.util.List;

/**
 * Per-output-voxel tissue properties for the EQD2 map: the alpha/beta of each voxel and whether
 * it is target (never forgiven). Built from structure occupancies (CONTRACT, alphaBeta map):
 * <ul>
 *   <li>a voxel whose union of structures with an alpha/beta covers at least 50 % of it takes
 *       the lowest alpha/beta among those structures that occupy it; otherwise the default;</li>
 *   <li>a voxel covered at least 50 % by the union of target structures is target.</li>
 * </ul>
 * Occupancies come per structure, so the union's coverage of a voxel is estimated as
 * {@code 1 - prod(1 - f_s)} (structures placed independently within the voxel). It is exact
 * where at most one structure reaches into the voxel or one covers it wholly (every interior
 * voxel), and lies between the nested case (max f_s) and the disjoint case (sum f_s) otherwise.
 *
 * @param defaultAlphaBetaGy alpha/beta where no map entry applies (Gy)
 * @param alphaBetaGy        per-voxel alpha/beta (Gy), or null for a uniform default
 * @param target             per-voxel 1 for target voxels, or null for none
 */
public record TissueMap(float defaultAlphaBetaGy, float[] alphaBetaGy, byte[] target) {
    public static final double COVERAGE_THRESHOLD = 0.5;

    public TissueMap {
        if (!(defaultAlphaBetaGy > 0)) {
            throw new IllegalArgumentException("alpha/beta must be positive: " + defaultAlphaBetaGy);
        }
    }

    /** A structure's occupancy of the output grid with the alpha/beta it carries. */
    public record StructureAlphaBeta(StructureMask mask, double alphaBetaGy) {
        public StructureAlphaBeta {
            if (!(alphaBetaGy > 0)) {
                throw new IllegalArgumentException("alpha/beta must be positive: " + alphaBetaGy);
            }
        }
    }

    /** The same alpha/beta everywhere and no targets (e.g. the {@code exportAlphaBeta} maps). */
    public static TissueMap uniform(double alphaBetaGy) {
        return new TissueMap((float) alphaBetaGy, null, null);
    }

    /** This map with uniform alpha/beta, keeping the target voxels (never forgiven). */
    public TissueMap withUniformAlphaBeta(double alphaBetaGy) {
        return new TissueMap((float) alphaBetaGy, null, target);
    }

    /**
     * The map for {@code grid} from structures with an alpha/beta and the target structures' masks.
     * Every mask must be on {@code grid}.
     */
    public static TissueMap fromStructures(GridGeometry grid, double defaultAlphaBetaGy,
                                           List<StructureAlphaBeta> withAlphaBeta, List<StructureMask> targets) {
        int n = grid.voxelCount();
        float[] ab = null;
        if (!withAlphaBeta.isEmpty()) {
            float[] uncovered = new float[n];   // prod(1 - f) per voxel
            java.util.Arrays.fill(uncovered, 1f);
            float[] lowest = new float[n];      // becomes the map: two arrays, not three, on a large grid
            java.util.Arrays.fill(lowest, Float.POSITIVE_INFINITY);
            for (StructureAlphaBeta s : withAlphaBeta) {
                checkGrid(grid, s.mask());
                float value = (float) s.alphaBetaGy();
                s.mask().forEachVoxel((v, f) -> {
                    if (f > 0) {
                        uncovered[v] *= 1f - f;
                        lowest[v] = Math.min(lowest[v], value);
                    }
                });
            }
            float dflt = (float) defaultAlphaBetaGy;
            for (int v = 0; v < n; v++) {
                if (!(1f - uncovered[v] >= COVERAGE_THRESHOLD - 1e-6f)) {
                    lowest[v] = dflt;
                }
            }
            ab = lowest;
        }
        byte[] target = null;
        if (!targets.isEmpty()) {
            float[] uncovered = new float[n];
            java.util.Arrays.fill(uncovered, 1f);
            for (StructureMask m : targets) {
                checkGrid(grid, m);
                m.forEachVoxel((v, f) -> uncovered[v] *= 1f - f);
            }
            target = new byte[n];
            for (int v = 0; v < n; v++) {
                target[v] = (byte) (1f - uncovered[v] >= COVERAGE_THRESHOLD - 1e-6f ? 1 : 0);
            }
        }
        return new TissueMap((float) defaultAlphaBetaGy, ab, target);
    }

    /** Alpha/beta of voxel v. */
    public float alphaBetaAt(int v) {
        return alphaBetaGy == null ? defaultAlphaBetaGy : alphaBetaGy[v];
    }

    public boolean isTarget(int v) {
        return target != null && target[v] != 0;
    }

    private static void checkGrid(GridGeometry grid, StructureMask m) {
        if (!m.grid().sameGridAs(grid)) {
            throw new IllegalArgumentException("structure mask is on " + m.grid() + ", not on the output grid " + grid);
        }
    }
}
