package dev.eqd2sum.engine.plansum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.engine.structure.StructureMask;
import dev.eqd2sum.engine.structure.StructureShape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Voxels two structures share, each below half, where the occupancies alone cannot tell whether the union covers
 * half (CONTRACT: the union's coverage decides): the structures' shapes settle them. Grid of 2 mm voxels, centres
 * at 0, 2, ..., 8 mm; the voxel column at x = 4 mm spans x in [3, 5].
 */
class TissueMapSharedVoxelsTest {
    static final GridGeometry GRID = GridGeometry.axisAligned(5, 5, 5, 0, 0, 0, 2, 2, 2);

    /** A slab x0 <= x <= x1 over the whole grid in y and z (contours on every slice, half-spacing ends). */
    static Structure slab(int roi, String name, String type, double x0, double x1) {
        List<PlanarContour> contours = new ArrayList<>();
        for (int z = 0; z <= 8; z += 2) {
            contours.add(new PlanarContour(ContourType.CLOSED_PLANAR, new double[] {
                    x0, -1, z, x1, -1, z, x1, 9, z, x0, 9, z}));
        }
        return new Structure(roi, name, type, null, "1.2.3", contours);
    }

    static float occupancy(StructureMask m, int v) {
        int p = java.util.Arrays.binarySearch(m.partialIndex(), v);
        return p < 0 ? 0 : m.partialOccupancy()[p];
    }

    @Test
    void twoOrgansMeetingInsideAVoxelCoverItTogether() {
        // A (alpha/beta 2) reaches 0.52 mm into the column from the left, B (10) 0.52 mm from the right: 26 % each,
        // 52 % together; the estimate 1 - 0.74^2 = 45 % would give the default
        Structure a = slab(1, "A", "ORGAN", -1, 3.52);
        Structure b = slab(2, "B", "ORGAN", 4.48, 9);
        RasterOptions options = RasterOptions.forStructureSet(List.of(a, b));
        StructureMask ma = Rasteriser.rasterise(a, GRID, options);
        StructureMask mb = Rasteriser.rasterise(b, GRID, options);
        int v = GRID.index(2, 2, 2);
        assertThat(occupancy(ma, v)).isCloseTo(0.26f, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(occupancy(mb, v)).isCloseTo(0.26f, org.assertj.core.data.Offset.offset(1e-5f));

        TissueMap estimated = TissueMap.fromStructures(GRID, 3, List.of(new TissueMap.StructureAlphaBeta(ma, 2),
                new TissueMap.StructureAlphaBeta(mb, 10)), List.of());
        assertThat(estimated.alphaBetaAt(v)).as("without shapes: the estimate").isEqualTo(3f);

        TissueMap settled = TissueMap.fromStructures(GRID, 3, List.of(
                new TissueMap.StructureAlphaBeta(ma, 2, StructureShape.of(a, GRID, options)),
                new TissueMap.StructureAlphaBeta(mb, 10, StructureShape.of(b, GRID, options))), List.of());
        for (int k = 0; k < 5; k++) {
            for (int j = 0; j < 5; j++) {
                assertThat(settled.alphaBetaAt(GRID.index(2, j, k))).as("column x = 4 mm").isEqualTo(2f);
                assertThat(settled.alphaBetaAt(GRID.index(1, j, k))).isEqualTo(2f);
                assertThat(settled.alphaBetaAt(GRID.index(3, j, k))).isEqualTo(10f);
            }
        }
    }

    @Test
    void aCtvInsideAPtvsEdgeAddsNothingToItsCoverage() {
        // PTV 40 % of the column, the CTV inside it 30 %: the union is the PTV's 40 %, not a target voxel; the estimate
        // 1 - 0.6 * 0.7 = 58 % would make it one
        Structure ptv = slab(1, "PTV", "PTV", 4.2, 9);
        Structure ctv = slab(2, "CTV", "CTV", 4.4, 9);
        RasterOptions options = RasterOptions.forStructureSet(List.of(ptv, ctv));
        StructureMask mp = Rasteriser.rasterise(ptv, GRID, options);
        StructureMask mc = Rasteriser.rasterise(ctv, GRID, options);
        int v = GRID.index(2, 2, 2);
        assertThat(TissueMap.fromStructures(GRID, 3, List.of(), List.of(mp, mc)).isTarget(v))
                .as("without shapes: the estimate").isTrue();
        TissueMap settled = TissueMap.fromStructures(GRID, 3, List.of(), List.of(mp, mc),
                List.of(StructureShape.of(ptv, GRID, options), StructureShape.of(ctv, GRID, options)));
        for (int k = 0; k < 5; k++) {
            for (int j = 0; j < 5; j++) {
                assertThat(settled.isTarget(GRID.index(2, j, k))).as("column x = 4 mm").isFalse();
                assertThat(settled.isTarget(GRID.index(3, j, k))).isTrue();
                assertThat(settled.isTarget(GRID.index(1, j, k))).isFalse();
            }
        }
    }

    @Test
    void voxelsTheOccupanciesDecideAreLeftAsTheyWere() {
        // 30 % + 30 % (estimate 51 %), 45 % + 10 % from one side (nested: union 45 %), 60 % alone
        Structure a = slab(1, "A", "ORGAN", -1, 3.6);
        Structure b = slab(2, "B", "ORGAN", 4.4, 9);
        RasterOptions options = RasterOptions.forStructureSet(List.of(a, b));
        StructureMask ma = Rasteriser.rasterise(a, GRID, options);
        StructureMask mb = Rasteriser.rasterise(b, GRID, options);
        TissueMap estimated = TissueMap.fromStructures(GRID, 3, List.of(new TissueMap.StructureAlphaBeta(ma, 2),
                new TissueMap.StructureAlphaBeta(mb, 10)), List.of());
        TissueMap settled = TissueMap.fromStructures(GRID, 3, List.of(
                new TissueMap.StructureAlphaBeta(ma, 2, StructureShape.of(a, GRID, options)),
                new TissueMap.StructureAlphaBeta(mb, 10, StructureShape.of(b, GRID, options))), List.of());
        for (int v = 0; v < GRID.voxelCount(); v++) {
            assertThat(settled.alphaBetaAt(v)).as("voxel %d", v).isEqualTo(estimated.alphaBetaAt(v));
        }
        assertThat(settled.alphaBetaAt(GRID.index(2, 2, 2))).isEqualTo(2f);
    }
}
