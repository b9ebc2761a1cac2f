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
        for (StructureAlphaBeta s : withAlphaBeta) {
            checkGrid(grid, s.mask());
        }
        for (StructureMask m : targets) {
            checkGrid(grid, m);
        }
        // Only the voxels the structures occupy are visited (a cord or a PTV is a tiny part of the
        // grid). Per touched voxel, scratch holds ~floatBits(prod(1 - f)), 0 meaning untouched, so
        // the products are the same float operations in the same order as a dense array of ones.
        int[] scratch = withAlphaBeta.isEmpty() && targets.isEmpty() ? null : new int[n];
        float[] ab = null;
        if (!withAlphaBeta.isEmpty()) {
            ab = new float[n];
            float dflt = (float) defaultAlphaBetaGy;
            java.util.Arrays.fill(ab, dflt);
            for (StructureAlphaBeta s : withAlphaBeta) {
                float value = (float) s.alphaBetaGy();
                StructureMask m = s.mask();
                for (int r = 0; r < m.runStart().length; r++) {
                    for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                        ab[v] = cover(scratch, v, 1f) ? value : Math.min(ab[v], value);
                    }
                }
                for (int p = 0; p < m.partialIndex().length; p++) {
                    int v = m.partialIndex()[p];
                    float f = m.partialOccupancy()[p];
                    if (f > 0) {
                        ab[v] = cover(scratch, v, f) ? value : Math.min(ab[v], value);
                    }
                }
            }
            for (StructureAlphaBeta s : withAlphaBeta) {
                StructureMask m = s.mask();
                for (int r = 0; r < m.runStart().length; r++) {
                    for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                        if (scratch[v] != 0 && !coveredEnough(scratch, v)) {
                            ab[v] = dflt;
                        }
                        scratch[v] = 0;
                    }
                }
                for (int v : m.partialIndex()) {
                    if (scratch[v] != 0 && !coveredEnough(scratch, v)) {
                        ab[v] = dflt;
                    }
                    scratch[v] = 0;
                }
            }
        }
        byte[] target = null;
        if (!targets.isEmpty()) {
            target = new byte[n];
            for (StructureMask m : targets) {
                for (int r = 0; r < m.runStart().length; r++) {
                    for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                        cover(scratch, v, 1f);
                    }
                }
                for (int p = 0; p < m.partialIndex().length; p++) {
                    cover(scratch, m.partialIndex()[p], m.partialOccupancy()[p]);
                }
            }
            for (StructureMask m : targets) {
                for (int r = 0; r < m.runStart().length; r++) {
                    for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                        if (scratch[v] != 0) {
                            target[v] = (byte) (coveredEnough(scratch, v) ? 1 : 0);
                            scratch[v] = 0;
                        }
                    }
                }
                for (int v : m.partialIndex()) {
                    if (scratch[v] != 0) {
                        target[v] = (byte) (coveredEnough(scratch, v) ? 1 : 0);
                        scratch[v] = 0;
                    }
                }
            }
        }
        return new TissueMap((float) defaultAlphaBetaGy, ab, target);
    }

    /** Multiplies voxel v's uncovered fraction by 1 - f; true when v was untouched before. */
    private static boolean cover(int[] scratch, int v, float f) {
        int bits = scratch[v];
        boolean first = bits == 0;
        float uncovered = first ? 1f : Float.intBitsToFloat(~bits);
        scratch[v] = ~Float.floatToRawIntBits(uncovered * (1f - f));
        return first;
    }

    private static boolean coveredEnough(int[] scratch, int v) {
        return 1f - Float.intBitsToFloat(~scratch[v]) >= COVERAGE_THRESHOLD - 1e-6f;
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
