package dev.eqd2sum.engine.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.geometry.GridGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The union's coverage of a voxel ({@link StructureShape#unionCoverage}) against points: two structures of
 * polygonal circles whose radii change from plane to plane (outlines that cross inside pixels, slab ends inside
 * voxels), every voxel both reach into, against a 48 x 48 x 48 lattice of points asked of the same slabs and regions.
 */
class StructureShapeTest {
    static final GridGeometry GRID = GridGeometry.axisAligned(12, 12, 10, 0, 0, 0, 2, 2, 2.5);

    static Structure circles(int roi, String name, double cx, double cy, double r0, double dr, double z0, double dz,
                             int planes, Random rnd) {
        List<PlanarContour> contours = new ArrayList<>();
        for (int q = 0; q < planes; q++) {
            contours.add(Contours.circle(cx + rnd.nextDouble() - 0.5, cy + rnd.nextDouble() - 0.5,
                    r0 + dr * rnd.nextDouble(), z0 + q * dz, 48, false));
        }
        return new Structure(roi, name, "ORGAN", null, "1.2.3", contours);
    }

    /** The share of an m^3 lattice of voxel (i, j, k) in either structure, asked point by point. */
    static double lattice(List<List<Rasteriser.Plane>> shapes, int i, int j, int k, int m) {
        int in = 0;
        for (int c = 0; c < m; c++) {
            double z = k - 0.5 + (c + 0.5) / m;
            List<PlaneRegion> regions = new ArrayList<>();
            for (List<Rasteriser.Plane> planes : shapes) {
                for (Rasteriser.Plane p : planes) {
                    if (p.lo <= z && z < p.hi) {
                        regions.add(p.region);
                    }
                }
            }
            for (int b = 0; b < m; b++) {
                double y = j - 0.5 + (b + 0.5) / m;
                for (int a = 0; a < m; a++) {
                    double x = i - 0.5 + (a + 0.5) / m;
                    for (PlaneRegion r : regions) {
                        if (r.contains(x, y)) {
                            in++;
                            break;
                        }
                    }
                }
            }
        }
        return in / (double) (m * m * m);
    }

    @Test
    void theUnionsCoverageAgreesWithAFineLatticeOfPoints() {
        Random rnd = new Random(20261128);
        int checked = 0;
        double worst = 0;
        for (int round = 0; round < 6; round++) {
            // two overlapping organs, contours on planes of 1.25-3 mm unrelated to the grid's 2.5 mm
            double dzA = 1.25 + 1.75 * rnd.nextDouble(), dzB = 1.25 + 1.75 * rnd.nextDouble();
            Structure a = circles(1, "A", 9 + rnd.nextDouble(), 11, 4, 3, 3 + rnd.nextDouble(), dzA, 6, rnd);
            Structure b = circles(2, "B", 13 + rnd.nextDouble(), 12, 3, 3, 5 + rnd.nextDouble(), dzB, 6, rnd);
            RasterOptions options = RasterOptions.forStructureSet(List.of(a, b));
            StructureMask ma = Rasteriser.rasterise(a, GRID, options);
            StructureMask mb = Rasteriser.rasterise(b, GRID, options);
            List<StructureShape> shapes = List.of(StructureShape.of(a, GRID, options), StructureShape.of(b, GRID, options));
            List<List<Rasteriser.Plane>> slabs = List.of(Rasteriser.slabs(a, GRID, options),
                    Rasteriser.slabs(b, GRID, options));
            for (int v : ma.partialIndex()) {
                if (java.util.Arrays.binarySearch(mb.partialIndex(), v) < 0 || checked >= 60) {
                    continue;
                }
                int i = v % GRID.nx(), j = (v / GRID.nx()) % GRID.ny(), k = v / GRID.nx() / GRID.ny();
                double exact = StructureShape.unionCoverage(shapes, i, j, k);
                double sampled = lattice(slabs, i, j, k, 48);
                // a lattice of 48 sees a face within half a step: 1/96 of the voxel per face
                assertThat(exact).as("voxel %d %d %d", i, j, k).isCloseTo(sampled, org.assertj.core.data.Offset.offset(0.025));
                worst = Math.max(worst, Math.abs(exact - sampled));
                checked++;
            }
        }
        assertThat(checked).as("shared voxels checked").isGreaterThan(20);
        System.out.printf("StructureShapeTest: %d shared voxels, largest difference from the lattice %.4f%n", checked, worst);
    }
}
