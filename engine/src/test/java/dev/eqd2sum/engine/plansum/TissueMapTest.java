package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.SamplePoints;
import dev.eqd2sum.engine.structure.StructureMask;
import java.util.List;
import org.junit.jupiter.api.Test;

class TissueMapTest {
    static final GridGeometry GRID = GridGeometry.axisAligned(10, 1, 1, 0, 0, 0, 2, 2, 2);

    static StructureMask mask(int runStart, int runLength, int[] partial, float[] occupancy) {
        return new StructureMask(GRID, runLength == 0 ? new int[0] : new int[] {runStart},
                runLength == 0 ? new int[0] : new int[] {runLength}, partial, occupancy, 0, SamplePoints.empty());
    }

    /** The map as one float per voxel (null without one). */
    static float[] floats(TissueMap m) {
        if (m.alphaBetaMapLength() < 0) {
            return null;
        }
        float[] out = new float[m.alphaBetaMapLength()];
        for (int v = 0; v < out.length; v++) {
            out[v] = m.alphaBetaAt(v);
        }
        return out;
    }

    /** A 300-voxel row, and one structure per voxel with its own alpha/beta (1 + 0.01 * voxel): 300 values. */
    private static final GridGeometry BIG = GridGeometry.axisAligned(300, 1, 1, 0, 0, 0, 1, 1, 1);

    private static List<TissueMap.StructureAlphaBeta> oneVoxelEach() {
        List<TissueMap.StructureAlphaBeta> many = new java.util.ArrayList<>();
        for (int s = 0; s < 300; s++) {
            StructureMask one = new StructureMask(BIG, new int[] {s}, new int[] {1}, new int[0], new float[0], 0,
                    SamplePoints.empty());
            many.add(new TissueMap.StructureAlphaBeta(one, 1 + 0.01 * s));
        }
        return many;
    }

    /** The floats-per-voxel fallback gives the same target map as the indexed map does. */
    @Test
    void floatFallbackKeepsTheTargets() {
        List<TissueMap.StructureAlphaBeta> many = oneVoxelEach();
        StructureMask target = new StructureMask(BIG, new int[] {10}, new int[] {20}, new int[] {30, 31},
                new float[] {0.7f, 0.3f}, 0, SamplePoints.empty());
        TissueMap floats = TissueMap.fromStructures(BIG, 10, many, List.of(target));
        TissueMap indexed = TissueMap.fromStructures(BIG, 10, many.subList(0, 5), List.of(target));
        assertThat(floats.alphaBetaIndex()).isNull();
        assertThat(floats.target()).isEqualTo(indexed.target());
        assertThat(floats.isTarget(30)).isTrue();
        assertThat(floats.isTarget(31)).isFalse();
    }

    @Test
    void moreThan256AlphaBetaValuesFallBackToFloatsPerVoxel() {
        List<TissueMap.StructureAlphaBeta> many = oneVoxelEach();
        TissueMap m = TissueMap.fromStructures(BIG, 10, many, List.of());
        assertThat(m.alphaBetaIndex()).isNull();
        assertThat(m.alphaBetaGy()).hasSize(300);
        TissueMap few = TissueMap.fromStructures(BIG, 10, many.subList(0, 255), List.of());
        assertThat(few.alphaBetaIndex()).as("255 structures and the default: 256 values").isNotNull();
        for (int v = 0; v < 300; v++) {
            assertThat(m.alphaBetaAt(v)).isEqualTo((float) (1 + 0.01 * v));
            assertThat(few.alphaBetaAt(v)).isEqualTo(v < 255 ? (float) (1 + 0.01 * v) : 10f);
        }
    }

    @Test
    void aVoxelHalfCoveredTakesTheLowestAlphaBetaOfTheStructuresInIt() {
        StructureMask cord = mask(2, 2, new int[] {1, 4, 6}, new float[] {0.5f, 0.3f, 0.2f});     // ab 2
        StructureMask sac = mask(3, 2, new int[] {5, 6, 7}, new float[] {0.6f, 0.2f, 0.49f});     // ab 3
        TissueMap m = TissueMap.fromStructures(GRID, 10, List.of(
                new TissueMap.StructureAlphaBeta(cord, 2), new TissueMap.StructureAlphaBeta(sac, 3)), List.of());
        assertThat(m.alphaBetaIndex()).as("the map is a byte index into a table").isNotNull();
        assertThat(m.alphaBetaTableGy()).containsExactly(10f, 2f, 3f);
        assertThat(floats(m)).containsExactly(
                10f,   // 0: nothing
                2f,    // 1: cord exactly half
                2f,    // 2: cord interior
                2f,    // 3: both interior: the lowest
                2f,    // 4: sac interior, cord 0.3 reaches in: the lowest of those present
                3f,    // 5: sac 0.6
                10f,   // 6: 0.2 and 0.2 -> union estimate 0.36 < 0.5
                10f,   // 7: 0.49
                10f, 10f);
        assertThat(m.target()).isNull();
    }

    @Test
    void targetVoxelsAreThoseTheTargetsCoverAtLeastHalf() {
        StructureMask ptvHigh = mask(0, 2, new int[] {2, 3}, new float[] {0.5f, 0.4f});
        StructureMask ptvLow = mask(0, 0, new int[] {3, 4}, new float[] {0.4f, 0.1f});
        TissueMap m = TissueMap.fromStructures(GRID, 3, List.of(), List.of(ptvHigh, ptvLow));
        assertThat(m.alphaBetaGy()).isNull();
        assertThat(m.alphaBetaIndex()).isNull();
        // voxel 3: 1 - 0.6 * 0.6 = 0.64
        assertThat(m.target()).containsExactly(1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
        assertThat(m.withUniformAlphaBeta(2).target()).isSameAs(m.target());
        assertThat(m.withUniformAlphaBeta(2).alphaBetaAt(3)).isEqualTo(2f);
    }
}
