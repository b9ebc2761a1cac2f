package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.SamplePoints;
import dev.eqd2sum.engine.structure.StructureMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The map visits only the voxels structures occupy; it must equal, bit for bit, the plain
 * definition computed over every voxel of the grid (kept here as the reference).
 */
class TissueMapDenseReferenceTest {
    private static final GridGeometry GRID = GridGeometry.axisAligned(9, 7, 5, 0, 0, 0, 2, 2, 2);
    /** Structures in a small part of it: the per-voxel scratch is a table of the touched voxels, not an array. */
    private static final GridGeometry LARGE_GRID = GridGeometry.axisAligned(60, 50, 40, 0, 0, 0, 2, 2, 2);

    @Property(tries = 300)
    void equalsTheDenseDefinition(@ForAll long seed) {
        check(GRID, 0, GRID.voxelCount(), seed);
    }

    @Property(tries = 200)
    void equalsTheDenseDefinitionWhereStructuresTouchFewVoxels(@ForAll long seed) {
        int from = (int) Math.floorMod(seed, (long) LARGE_GRID.voxelCount() - 2000);
        check(LARGE_GRID, from, from + 1 + (int) Math.floorMod(seed >>> 20, 1999L), seed);
    }

    /** Random structures whose voxels lie in [from, to) of the grid. */
    private static void check(GridGeometry grid, int from, int to, long seed) {
        Random rnd = new Random(seed);
        List<TissueMap.StructureAlphaBeta> withAb = new ArrayList<>();
        for (int s = rnd.nextInt(4); s > 0; s--) {
            withAb.add(new TissueMap.StructureAlphaBeta(randomMask(rnd, grid, from, to), 1 + rnd.nextInt(12)));
        }
        List<StructureMask> targets = new ArrayList<>();
        for (int s = rnd.nextInt(3); s > 0; s--) {
            targets.add(randomMask(rnd, grid, from, to));
        }
        TissueMap sparse = TissueMap.fromStructures(grid, 3.0, withAb, targets);
        TissueMap dense = dense(grid, 3.0, withAb, targets);
        assertThat(TissueMapTest.floats(sparse)).isEqualTo(dense.alphaBetaGy());
        assertThat(sparse.target()).isEqualTo(dense.target());
    }

    /** Disjoint ascending interior runs and boundary voxels with occupancies in (0, 1), some near 1/2. */
    private static StructureMask randomMask(Random rnd, GridGeometry grid, int from, int n) {
        List<Integer> runStart = new ArrayList<>();
        List<Integer> runLength = new ArrayList<>();
        List<Integer> partial = new ArrayList<>();
        List<Float> occupancy = new ArrayList<>();
        int v = from + rnd.nextInt(20);
        while (v < n) {
            if (rnd.nextBoolean()) {
                int len = 1 + rnd.nextInt(Math.min(12, n - v));
                runStart.add(v);
                runLength.add(len);
                v += len;
            } else {
                partial.add(v);
                float f = switch (rnd.nextInt(4)) {
                    case 0 -> 0.5f;
                    case 1 -> 0.29289f; // two of these cover about one half
                    default -> 0.001f + 0.998f * rnd.nextFloat();
                };
                occupancy.add(f);
                v++;
            }
            v += rnd.nextInt(25);
        }
        float[] occ = new float[occupancy.size()];
        for (int i = 0; i < occ.length; i++) {
            occ[i] = occupancy.get(i);
        }
        return new StructureMask(grid, runStart.stream().mapToInt(Integer::intValue).toArray(),
                runLength.stream().mapToInt(Integer::intValue).toArray(),
                partial.stream().mapToInt(Integer::intValue).toArray(), occ, 0.0, SamplePoints.empty());
    }

    /** CONTRACT's rule over every voxel: prod(1 - f) per voxel, threshold 1/2, lowest alpha/beta. */
    private static TissueMap dense(GridGeometry grid, double defaultAlphaBetaGy,
                                   List<TissueMap.StructureAlphaBeta> withAlphaBeta, List<StructureMask> targets) {
        int n = grid.voxelCount();
        float[] ab = null;
        if (!withAlphaBeta.isEmpty()) {
            float[] uncovered = new float[n];
            java.util.Arrays.fill(uncovered, 1f);
            float[] lowest = new float[n];
            java.util.Arrays.fill(lowest, Float.POSITIVE_INFINITY);
            for (TissueMap.StructureAlphaBeta s : withAlphaBeta) {
                float value = (float) s.alphaBetaGy();
                s.mask().forEachVoxel((v, f) -> {
                    if (f > 0) {
                        uncovered[v] *= 1f - f;
                        lowest[v] = Math.min(lowest[v], value);
                    }
                });
            }
            ab = new float[n];
            float dflt = (float) defaultAlphaBetaGy;
            for (int v = 0; v < n; v++) {
                ab[v] = 1f - uncovered[v] >= TissueMap.COVERAGE_THRESHOLD - 1e-6f ? lowest[v] : dflt;
            }
        }
        byte[] target = null;
        if (!targets.isEmpty()) {
            float[] uncovered = new float[n];
            java.util.Arrays.fill(uncovered, 1f);
            for (StructureMask m : targets) {
                m.forEachVoxel((v, f) -> uncovered[v] *= 1f - f);
            }
            target = new byte[n];
            for (int v = 0; v < n; v++) {
                target[v] = (byte) (1f - uncovered[v] >= TissueMap.COVERAGE_THRESHOLD - 1e-6f ? 1 : 0);
            }
        }
        return new TissueMap((float) defaultAlphaBetaGy, ab, target);
    }
}
