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
        return box(roi, name, type, x0, x1, -1, 9, 0, 8);
    }

    /** A box on planes z0, z0 + 2, ..., z1 mm (half-spacing ends: 1 mm beyond the first and last). */
    static Structure box(int roi, String name, String type, double x0, double x1, double y0, double y1, int z0, int z1) {
        List<PlanarContour> contours = new ArrayList<>();
        for (int z = z0; z <= z1; z += 2) {
            contours.add(new PlanarContour(ContourType.CLOSED_PLANAR, new double[] {
                    x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z}));
        }
        return new Structure(roi, name, type, null, "1.2.3", contours);
    }

    static double coverage(int i, int j, int k, Structure... structures) {
        RasterOptions options = RasterOptions.forStructureSet(List.of(structures));
        List<StructureShape> shapes = new ArrayList<>();
        for (Structure s : structures) {
            shapes.add(StructureShape.of(s, GRID, options));
        }
        return StructureShape.unionCoverage(shapes, i, j, k);
    }

    @Test
    void theUnionsCoverageIsExactForFacesAlongEveryAxis() {
        org.assertj.core.data.Offset<Double> exact = org.assertj.core.data.Offset.offset(1e-9);
        // meeting from opposite sides in x: 0.26 + 0.26
        assertThat(coverage(2, 2, 2, slab(1, "A", "ORGAN", -1, 3.52), slab(2, "B", "ORGAN", 4.48, 9)))
                .isCloseTo(0.52, exact);
        // nested in x: the larger
        assertThat(coverage(2, 2, 2, slab(1, "P", "PTV", 4.1, 9), slab(2, "C", "CTV", 4.4, 9))).isCloseTo(0.45, exact);
        // faces along y (horizontal in the plane): 0.3 from below, 0.3 from above, overlapping nothing
        assertThat(coverage(2, 2, 2, box(1, "A", "ORGAN", -1, 9, -1, 3.6, 0, 8), box(2, "B", "ORGAN", -1, 9, 4.4, 9, 0, 8)))
                .isCloseTo(0.6, exact);
        // slab ends inside the voxel along z: planes 0..2 end at z = 3 (k = 1.5), planes 6..8 start at z = 5
        assertThat(coverage(2, 2, 2, box(1, "A", "ORGAN", -1, 9, -1, 9, 0, 2), box(2, "B", "ORGAN", -1, 9, -1, 9, 6, 8)))
                .isCloseTo(0.0, exact);
        assertThat(coverage(2, 2, 1, box(1, "A", "ORGAN", 3.4, 9, -1, 9, 0, 2), box(2, "B", "ORGAN", -1, 4.2, 3.7, 9, 0, 2)))
                .as("two boxes overlapping in a corner: all but x 3..3.4, y 3..3.7 (0.2 x 0.35)").isCloseTo(0.93, exact);
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
    void aPtvJustBelowHalfWithACtvInsideIsNoTarget() {
        // the union is the PTV's 45 %: a lattice of 8 points per axis read it as 4 of 8, exactly half
        Structure ptv = slab(1, "PTV", "PTV", 4.1, 9);
        Structure ctv = slab(2, "CTV", "CTV", 4.4, 9);
        RasterOptions options = RasterOptions.forStructureSet(List.of(ptv, ctv));
        TissueMap settled = TissueMap.fromStructures(GRID, 3, List.of(),
                List.of(Rasteriser.rasterise(ptv, GRID, options), Rasteriser.rasterise(ctv, GRID, options)),
                List.of(StructureShape.of(ptv, GRID, options), StructureShape.of(ctv, GRID, options)));
        assertThat(settled.isTarget(GRID.index(2, 2, 2))).isFalse();
        assertThat(settled.isTarget(GRID.index(3, 2, 2))).isTrue();
    }

    @Test
    void voxelsTheOccupanciesDecideAreNeverAskedOfTheShapes() {
        // column x = 4 mm: A 55 % with B 10 % inside it (the largest decides: covered); column x = 6 mm: C 10 % with
        // D 20 % (their sum decides: not covered). The shapes given are decoys that cover nothing: asked, they would
        // undo both decisions.
        Structure a = slab(1, "A", "ORGAN", -1, 4.1);
        Structure b = slab(2, "B", "ORGAN", -1, 3.2);
        Structure c = slab(3, "C", "ORGAN", 6.8, 9);
        Structure d = slab(4, "D", "ORGAN", 6.6, 9);
        Structure decoy = box(5, "Decoy", "ORGAN", 100, 101, 100, 101, 0, 8);
        RasterOptions options = RasterOptions.forStructureSet(List.of(a, b, c, d, decoy));
        List<TissueMap.StructureAlphaBeta> real = new ArrayList<>();
        List<TissueMap.StructureAlphaBeta> decoys = new ArrayList<>();
        double[] ab = {2, 4, 5, 6};
        Structure[] all = {a, b, c, d};
        for (int s = 0; s < all.length; s++) {
            StructureMask m = Rasteriser.rasterise(all[s], GRID, options);
            real.add(new TissueMap.StructureAlphaBeta(m, ab[s]));
            decoys.add(new TissueMap.StructureAlphaBeta(m, ab[s], StructureShape.of(decoy, GRID, options)));
        }
        TissueMap estimated = TissueMap.fromStructures(GRID, 3, real, List.of());
        TissueMap settled = TissueMap.fromStructures(GRID, 3, decoys, List.of());
        for (int v = 0; v < GRID.voxelCount(); v++) {
            assertThat(settled.alphaBetaAt(v)).as("voxel %d", v).isEqualTo(estimated.alphaBetaAt(v));
        }
        assertThat(settled.alphaBetaAt(GRID.index(2, 2, 2))).isEqualTo(2f);
        assertThat(settled.alphaBetaAt(GRID.index(3, 2, 2))).isEqualTo(3f);
    }

}
