package dev.eqd2sum.engine.structure;

import static dev.eqd2sum.engine.structure.Contours.circle;
import static dev.eqd2sum.engine.structure.Contours.circleArea;
import static dev.eqd2sum.engine.structure.Contours.rectangle;
import static dev.eqd2sum.engine.structure.Contours.stack;
import static dev.eqd2sum.engine.structure.Contours.structure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.GridGeometry;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RasteriserTest {
    /** 40 x 40 x 20 voxels of 2 x 2 x 2 mm, voxel centres at odd mm, so voxel faces lie on even mm. */
    private static final GridGeometry GRID = GridGeometry.axisAligned(40, 40, 20, -39, -39, -19, 2, 2, 2);
    private static final RasterOptions NO_CAPS = RasterOptions.defaults().withEndCaps(EndCaps.NONE);

    private static double totalCc(StructureMask m) {
        return m.volumeInsideGridCc() + m.outsideGridCc();
    }

    private static StructureMask raster(List<PlanarContour> contours, GridGeometry grid, RasterOptions o) {
        return Rasteriser.rasterise(structure("S", contours), grid, o);
    }

    @Test
    void boxAlignedWithVoxelFacesIsExactAndAllInterior() {
        // 10 x 6 mm rectangle on planes z = -5..5 every 2 mm, half-spacing caps: 12 mm thick
        StructureMask m = raster(stack(z -> rectangle(-4, -2, 6, 4, z), -5, 2, 6), GRID, RasterOptions.defaults());
        assertThat(m.volumeInsideGridCc()).isCloseTo(10 * 6 * 12 / 1000.0, within(1e-9));
        assertThat(m.partialIndex()).isEmpty();
        assertThat(m.interiorVoxelCount()).isEqualTo(5 * 3 * 6);
        assertThat(m.outsideGridCc()).isZero();
        assertThat(m.samples().totalVolumeCc()).isCloseTo(m.volumeInsideGridCc(), within(1e-6));
    }

    /**
     * Contour planes on the slices of a grid whose origin and spacing are not binary fractions: their k comes
     * out a few ulps off the slice centre, and the slab ends used to reach 4e-16 into the next slice, giving it
     * a layer of sub-samples of 1e-19 cc that the dose-volume rule counted as nodes (found by the pydicom
     * cross-check: 3e-4 of a box's D0.03cc). Each surface voxel now has its 4 x 4 x 4 sub-samples of 1/64 of
     * its volume and nothing else.
     */
    @Test
    void planesOnSlicesOfAnAwkwardGridLeaveNoSliverSamples() {
        double[][] grids = {{-32.532, -27.02, -15.697, 2.173, 2.053, 1.881}, {-10.1, 3.3, -7.7, 1.1, 0.9, 0.3},
            {5.55, -1.15, 12.345, 2.5, 2.5, 2.2}};
        for (double[] g : grids) {
            GridGeometry grid = GridGeometry.axisAligned(26, 24, 21, g[0], g[1], g[2], g[3], g[4], g[5]);
            for (int k0 = 2; k0 < 8; k0++) {
                int planes = 2 + k0 % 3;
                double[] lo = grid.voxelCentreMm(10, 9, k0);
                double[] hi = grid.voxelCentreMm(12, 12, k0 + planes - 1);
                List<PlanarContour> c = new ArrayList<>();
                for (int k = k0; k < k0 + planes; k++) {
                    double z = grid.voxelCentreMm(0, 0, k)[2];
                    c.add(rectangle(lo[0] - g[3] / 2, lo[1] - g[4] / 2, hi[0] + g[3] / 2, hi[1] + g[4] / 2, z));
                }
                StructureMask m = raster(c, grid, RasterOptions.defaults());
                double voxelCc = g[3] * g[4] * g[5] / 1000;
                SamplePoints p = m.samples();
                int sub = 0;
                int centres = 0;
                int zeroVolume = 0;
                for (int q = 0; q < p.count(); q++) {
                    double v = p.volumeCc()[q];
                    String where = String.format("grid %s, planes %d-%d, sample %d at k %s, %s cc",
                            java.util.Arrays.toString(g), k0, k0 + planes - 1, q, p.k()[q], v);
                    if (v == 0) {
                        zeroVolume++;
                    } else if (Math.abs(v - voxelCc) <= voxelCc * 1e-6) {
                        centres++;
                    } else {
                        assertThat(v).as(where).isCloseTo(voxelCc / 64, within(voxelCc * 1e-6));
                        sub++;
                    }
                }
                int inner = 1 * 2 * (planes - 2); // voxels whose six neighbours are inside: their centres
                assertThat(centres).isEqualTo(inner);
                assertThat(sub).as("sub-samples").isEqualTo(64 * (3 * 4 * planes - inner));
                // the contour's 4 vertices and its edges' 14 crossings with grid lines (3 + 3 along x, 4 + 4 along
                // y) at both ends of each slab and at its plane (a whole k), each sub-sampled voxel's centre, and
                // the 3 x 4 nodes inside on the first plane's lower and the last plane's upper slab end
                assertThat(zeroVolume).isEqualTo((4 + 14) * 3 * planes + 3 * 4 * planes - inner + 2 * 3 * 4);
            }
        }
    }

    /**
     * A slab part of 0.625 of a slice makes 4 x 0.625 = 2.5 sub-layers, a tie that round() decided by the last bit
     * of the grid's origin or spacing: the pydicom cross-check (seed 16) met a union grid whose origin came out
     * -26.845000000000002 where its file says -26.845, and 2 instead of 3 sub-layers moved a 0.4 cc structure's
     * D50% by 0.14 %. Halves within 1e-9 now round up whatever the last bits are.
     */
    @Test
    void aSlabPartOfHalfASubLayerTakesTheSameHeightsWhateverTheLastBits() {
        List<PlanarContour> c = new ArrayList<>();
        for (double z : new double[] {-11.515, -9.515, -7.515, -5.515}) { // slab ends at -8.515 mm: k = 8.125
            c.add(rectangle(-12.3, -9.1, -3.7, -1.9, z));
        }
        double oz = -26.845, sz = 2.256;
        String reference = null;
        for (double[] g : new double[][] {{oz, sz}, {Math.nextDown(oz), sz}, {Math.nextUp(oz), sz},
            {oz, Math.nextUp(sz)}, {oz, Math.nextDown(sz)}, {Math.nextDown(oz), Math.nextUp(sz)},
            {Math.nextUp(oz), Math.nextDown(sz)}, {-17.821 - 4 * sz, sz}}) {
            GridGeometry grid = GridGeometry.axisAligned(26, 25, 23, -29.967, -23.405, g[0], 2.094, 2.234, g[1]);
            SamplePoints p = raster(c, grid, RasterOptions.defaults()).samples();
            java.util.TreeMap<Float, Integer> layers = new java.util.TreeMap<>();
            for (int q = 0; q < p.count(); q++) {
                if (p.volumeCc()[q] > 0 && p.volumeCc()[q] < 0.9 * grid.voxelVolumeCc() && p.k()[q] > 7.5f && p.k()[q] < 8.5f) {
                    layers.merge(Math.round(p.k()[q] * 1e4f) / 1e4f, 1, Integer::sum);
                }
            }
            assertThat(layers.headMap(8.125f).size()).as("sub-layers below the slab end in slice 8, grid %s: %s",
                    java.util.Arrays.toString(g), layers).isEqualTo(3);
            String seen = p.count() + " samples, layers " + layers.keySet();
            if (reference == null) {
                reference = seen;
            }
            assertThat(seen).as("grid %s", java.util.Arrays.toString(g)).isEqualTo(reference);
        }
    }

    /**
     * Edges exactly on sub-sample centres (eighths of a pixel: 0.3125 mm multiples on a 2.5 mm grid), on grids
     * whose origins differ in the last bit: the points on the outline count as inside on every one, so the samples
     * are the same. Before, the transform into grid indices left each edge a few ulps either side of the points,
     * and the last bit of the origin decided whether a row of sub-samples (and its share of the volume) counted.
     */
    @Test
    void subSamplesOnTheOutlineCountWhateverTheLastBits() {
        List<PlanarContour> c = new ArrayList<>();
        for (double z : new double[] {-25.0, -22.5, -20.0}) {
            // x from pixel 3 + 1/8 to 8 + 1/8, y from 4 - 3/8 to 8 - 3/8 (index units on the unperturbed grid)
            c.add(rectangle(-30 + 7.8125, -40 + 9.0625, -30 + 20.3125, -40 + 19.0625, z));
        }
        String reference = null;
        for (double[] o : new double[][] {{-30, -40}, {Math.nextUp(-30.0), -40}, {Math.nextDown(-30.0), -40},
            {-30, Math.nextUp(-40.0)}, {-30, Math.nextDown(-40.0)}, {Math.nextDown(-30.0), Math.nextUp(-40.0)}}) {
            GridGeometry grid = GridGeometry.axisAligned(14, 12, 10, o[0], o[1], -30, 2.5, 2.5, 2.5);
            SamplePoints p = raster(c, grid, RasterOptions.defaults()).samples();
            double[] sorted = new double[p.count()];
            double volume = 0;
            for (int q = 0; q < p.count(); q++) {
                sorted[q] = Math.round(p.i()[q] * 1e4) * 1e6 + Math.round(p.j()[q] * 1e4) + p.k()[q] * 1e-3;
                volume += p.volumeCc()[q];
            }
            java.util.Arrays.sort(sorted);
            String seen = p.count() + " samples, " + String.format(java.util.Locale.ROOT, "%.9f cc, ", volume)
                    + java.util.Arrays.hashCode(sorted);
            if (reference == null) {
                reference = seen;
            }
            assertThat(seen).as("origin %s", java.util.Arrays.toString(o)).isEqualTo(reference);
        }
    }

    @Test
    void endCapsNoneStopsAtTheOuterPlanes() {
        StructureMask m = raster(stack(z -> rectangle(-4, -2, 6, 4, z), -5, 2, 6), GRID, NO_CAPS);
        assertThat(m.volumeInsideGridCc()).isCloseTo(10 * 6 * 10 / 1000.0, within(1e-9));
    }

    @Test
    void unevenPlaneSpacingGivesEachPlaneHalfWayToItsNeighbours() {
        // planes at z = 0, 1, 4 with areas 1, 2, 3 (x 100 mm^2); slabs [-0.5,0.5], [0.5,2.5], [2.5,5.5]
        List<PlanarContour> c = List.of(rectangle(0, 0, 10, 10, 0), rectangle(0, 0, 20, 10, 1), rectangle(0, 0, 30, 10, 4));
        StructureMask m = raster(c, GRID, RasterOptions.defaults());
        assertThat(totalCc(m)).isCloseTo((100 * 1 + 200 * 2 + 300 * 3) / 1000.0, within(1e-6));
    }

    @Test
    void circleMatchesPolygonAreaTimesThickness() {
        int pts = 90;
        double r = 13.3;
        StructureMask m = raster(stack(z -> circle(0.37, -1.21, r, z, pts, false), -7, 2, 8), GRID, RasterOptions.defaults());
        double expected = circleArea(r, pts) * 16 / 1000.0;
        assertThat(m.volumeInsideGridCc()).isCloseTo(expected, within(expected * 1e-6));
        assertThat(m.samples().totalVolumeCc()).isCloseTo(m.volumeInsideGridCc(), within(expected * 1e-5));
    }

    @Test
    void holeByNestingDepthWhateverItsOrientation() {
        for (boolean holeClockwise : new boolean[] {true, false}) {
            List<PlanarContour> c = new ArrayList<>();
            for (double z = -3; z <= 3; z += 2) {
                c.add(circle(0, 0, 15, z, 120, false));
                c.add(circle(1, 2, 6, z, 120, holeClockwise));
            }
            StructureMask m = raster(c, GRID, RasterOptions.defaults());
            double expected = (circleArea(15, 120) - circleArea(6, 120)) * 8 / 1000.0;
            assertThat(totalCc(m)).as("hole clockwise=%s", holeClockwise).isCloseTo(expected, within(expected * 1e-6));
        }
    }

    @Test
    void islandInsideHoleCounts() {
        List<PlanarContour> c = List.of(
                rectangle(-30, -30, 30, 30, 0), rectangle(-20, -20, 20, 20, 0), rectangle(-10, -10, 10, 10, 0));
        StructureMask m = raster(c, GRID, RasterOptions.defaults().withSubSamples(4));
        // single plane without structure-set information: one grid slice (2 mm) thick
        assertThat(totalCc(m)).isCloseTo((3600 - 1600 + 400) * 2 / 1000.0, within(1e-6));
    }

    @Test
    void partiallyOverlappingContoursAreUnited() {
        List<PlanarContour> c = List.of(rectangle(-10, -10, 10, 10, 0), rectangle(0, 0, 20, 20, 0));
        StructureMask m = raster(c, GRID, RasterOptions.defaults());
        assertThat(totalCc(m)).isCloseTo((400 + 400 - 100) * 2 / 1000.0, within(1e-6));
    }

    @Test
    void overlappingHolesDoNotCreateMaterial() {
        List<PlanarContour> c = List.of(rectangle(-30, -30, 30, 30, 0),
                rectangle(-20, -10, 5, 10, 0), rectangle(-5, -10, 20, 10, 0));
        StructureMask m = raster(c, GRID, RasterOptions.defaults());
        assertThat(totalCc(m)).isCloseTo((3600 - 40 * 20) * 2 / 1000.0, within(1e-6));
    }

    @Test
    void duplicateContourCountsOnce() {
        List<PlanarContour> c = List.of(rectangle(-10, -10, 10, 10, 0), rectangle(-10, -10, 10, 10, 0));
        StructureMask m = raster(c, GRID, RasterOptions.defaults());
        assertThat(totalCc(m)).isCloseTo(400 * 2 / 1000.0, within(1e-6));
    }

    @Test
    void xorIsASymmetricDifference() {
        List<PlanarContour> c = List.of(rectangle(-10, -10, 10, 10, 0, ContourType.CLOSEDPLANAR_XOR),
                rectangle(0, 0, 20, 20, 0, ContourType.CLOSEDPLANAR_XOR));
        StructureMask m = raster(c, GRID, RasterOptions.defaults());
        assertThat(totalCc(m)).isCloseTo((400 + 400 - 2 * 100) * 2 / 1000.0, within(1e-6));
        // an XOR contour within a closed one cuts a hole even when it is oriented like the outer one
        List<PlanarContour> h = List.of(rectangle(-20, -20, 20, 20, 0),
                rectangle(-5, -5, 5, 5, 0, ContourType.CLOSEDPLANAR_XOR));
        assertThat(totalCc(raster(h, GRID, RasterOptions.defaults()))).isCloseTo((1600 - 100) * 2 / 1000.0, within(1e-6));
    }

    @Test
    void pointsAndOpenContoursEncloseNothing() {
        List<PlanarContour> c = List.of(new PlanarContour(ContourType.POINT, new double[] {0, 0, 0}),
                new PlanarContour(ContourType.OPEN_PLANAR, new double[] {0, 0, 0, 10, 0, 0, 10, 10, 0}));
        StructureMask m = raster(c, GRID, RasterOptions.defaults());
        assertThat(totalCc(m)).isZero();
        assertThat(m.samples().count()).isZero();
    }

    @Test
    void singlePlaneStructureTakesTheStructureSetMedianSpacing() {
        Structure body = structure("External", stack(z -> rectangle(-30, -30, 30, 30, z), -9, 3, 7));
        Structure marker = new Structure(2, "Lesion", "GTV", null, "1.2.3", List.of(rectangle(-5, -5, 5, 5, 0)));
        StructureMask m = Rasteriser.rasterise(marker, GRID, List.of(body, marker));
        assertThat(totalCc(m)).isCloseTo(100 * 3 / 1000.0, within(1e-9));
        StructureMask none = Rasteriser.rasterise(marker, GRID,
                RasterOptions.forStructureSet(List.of(body, marker)).withEndCaps(EndCaps.NONE));
        assertThat(totalCc(none)).isCloseTo(100 * 3 / 1000.0, within(1e-9));
    }

    @Test
    void aStructureThatSkipsSetPlanesIsNotStretchedAcrossTheGap() {
        // the set has planes every 2 mm; the structure has two parts, z = -10..-6 and 6..10
        Structure body = structure("External", stack(z -> rectangle(-30, -30, 30, 30, z), -12, 2, 13));
        List<PlanarContour> parts = new ArrayList<>(stack(z -> rectangle(-5, -5, 5, 5, z), -10, 2, 3));
        parts.addAll(stack(z -> rectangle(-5, -5, 5, 5, z), 6, 2, 3));
        Structure two = new Structure(2, "GTV_nodes", "GTV", null, "1.2.3", parts);
        StructureMask m = Rasteriser.rasterise(two, GRID, List.of(body, two));
        assertThat(totalCc(m)).isCloseTo(2 * 100 * 6 / 1000.0, within(1e-9));
        // without the set's planes the parts are neighbours: the gap is filled
        StructureMask filled = Rasteriser.rasterise(two, GRID, RasterOptions.defaults());
        assertThat(totalCc(filled)).isCloseTo(100 * 22 / 1000.0, within(1e-9));
    }

    @Test
    void partsOutsideTheGridAreReportedNotSpreadOntoEdgeVoxels() {
        // the grid spans x, y in [-40, 40] and z in [-20, 20]; the box spans x in [30, 50], z in [10, 30]
        StructureMask m = raster(stack(z -> rectangle(30, -6, 50, 4, z), 11, 2, 10), GRID, RasterOptions.defaults());
        assertThat(totalCc(m)).isCloseTo(20 * 10 * 20 / 1000.0, within(1e-9));
        assertThat(m.volumeInsideGridCc()).isCloseTo(10 * 10 * 10 / 1000.0, within(1e-9));
        assertThat(m.outsideGridCc()).isCloseTo(3000 / 1000.0, within(1e-9));
        assertThat(m.partialIndex()).isEmpty(); // edge voxels are not inflated with the outside part
        // wholly outside in z
        StructureMask beyond = raster(stack(z -> rectangle(-5, -5, 5, 5, z), 41, 2, 3), GRID, RasterOptions.defaults());
        assertThat(beyond.volumeInsideGridCc()).isZero();
        assertThat(beyond.outsideGridCc()).isCloseTo(0.6, within(1e-9));
    }

    @Test
    void flippedRotatedAndNonSquareGridsGiveTheSameVolume() {
        List<PlanarContour> c = new ArrayList<>();
        for (double z = -8; z <= 8; z += 2) {
            c.add(circle(2.2, -3.1, 11 + 0.3 * z, z, 100, false));
            c.add(circle(4, -3, 3, z, 40, true));
        }
        Structure s = structure("S", c);
        double expected = 0;
        for (double z = -8; z <= 8; z += 2) {
            expected += (circleArea(11 + 0.3 * z, 100) - circleArea(3, 40)) * 2 / 1000.0;
        }
        double a = Math.toRadians(30);
        List<GridGeometry> grids = List.of(
                GRID,
                // feet-first supine: row direction -x, frames run towards -z
                new GridGeometry(40, 40, 20, new double[] {39, -39, 19}, new double[] {2, 2, 2},
                        new double[] {-1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, -1}),
                // head-first prone
                new GridGeometry(40, 40, 20, new double[] {39, 39, -19}, new double[] {2, 2, 2},
                        new double[] {-1, 0, 0}, new double[] {0, -1, 0}, new double[] {0, 0, 1}),
                // in-plane rotation and non-square pixels of 1.3 x 2.1 mm, 1.7 mm frames
                new GridGeometry(70, 45, 30, new double[] {-34.5 * 1.3 * Math.cos(a) + 22 * 2.1 * Math.sin(a),
                        -34.5 * 1.3 * Math.sin(a) - 22 * 2.1 * Math.cos(a), -24.65}, new double[] {1.3, 2.1, 1.7},
                        new double[] {Math.cos(a), Math.sin(a), 0}, new double[] {-Math.sin(a), Math.cos(a), 0},
                        new double[] {0, 0, 1}));
        for (GridGeometry g : grids) {
            StructureMask m = Rasteriser.rasterise(s, g, RasterOptions.defaults());
            assertThat(m.outsideGridCc()).as("%s", g).isLessThan(1e-9);
            assertThat(m.volumeInsideGridCc()).as("%s", g).isCloseTo(expected, within(expected * 1e-6));
            assertThat(m.samples().totalVolumeCc()).isCloseTo(m.volumeInsideGridCc(), within(expected * 1e-5));
            SampleChecks.assertSamplesInside(m, g, s, 2.0);
        }
    }

    @Test
    void obliqueContoursAreRefused() {
        PlanarContour tilted = new PlanarContour(ContourType.CLOSED_PLANAR,
                new double[] {0, 0, 0, 10, 0, 1, 10, 10, 1, 0, 10, 0});
        assertThatThrownBy(() -> raster(List.of(tilted), GRID, RasterOptions.defaults()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'S'")
                .hasMessageContaining("not perpendicular to the dose grid's frame direction");
        // axial contours on a sagittal grid are just as oblique
        GridGeometry sagittal = new GridGeometry(20, 20, 20, new double[] {-19, -19, -19}, new double[] {2, 2, 2},
                new double[] {0, 1, 0}, new double[] {0, 0, -1}, new double[] {-1, 0, 0});
        assertThatThrownBy(() -> raster(List.of(rectangle(-5, -5, 5, 5, 0)), sagittal, RasterOptions.defaults()))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void samplesLieInsideTheContourAndAddUpToTheVolume() {
        List<PlanarContour> c = new ArrayList<>();
        for (double z = -9; z <= 9; z += 3) {
            c.add(circle(0.4, 0.7, 12 - Math.abs(z) * 0.5, z, 64, false));
        }
        Structure s = structure("S", c);
        for (int n = 1; n <= 4; n++) {
            StructureMask m = Rasteriser.rasterise(s, GRID, RasterOptions.defaults().withSubSamples(n));
            assertThat(m.samples().totalVolumeCc()).isCloseTo(m.volumeInsideGridCc(), within(1e-6));
            SampleChecks.assertSamplesInside(m, GRID, s, 3.0);
        }
    }

    @Test
    void aSliverSmallerThanTheSubSampleSpacingStillGetsASample() {
        // 0.1 mm wide strip along a voxel column: no 4x4 sub-sample can hit it
        StructureMask m = raster(List.of(rectangle(0.05, -9, 0.15, 9, 0)), GRID, RasterOptions.defaults());
        assertThat(m.volumeInsideGridCc()).isCloseTo(0.1 * 18 * 2 / 1000.0, within(1e-9));
        assertThat(m.samples().count()).isPositive();
        assertThat(m.samples().totalVolumeCc()).isCloseTo(m.volumeInsideGridCc(), within(1e-7));
        SampleChecks.assertSamplesInside(m, GRID, structure("S", List.of(rectangle(0.05, -9, 0.15, 9, 0))), 2.0);
    }

    /**
     * A trilinear dose peaks and dips on grid nodes. Here the node (20, 20, 10) lies a quarter voxel inside the
     * structure's edge, in a voxel the edge cuts: its sub-samples reach 0.875^3 of a peak there, its centre all of it
     * (an audit found the cord Dmax 24.3 Gy physical against 27.0 Gy at a node 0.5 mm inside the contour).
     */
    @Test
    void theCentreOfACutVoxelIsASampleWhenInsideSoThatDmaxReachesAPeakOnItsNode() {
        // x from 0.5 mm (index 19.75: node 20 at x = 1 mm is inside) to 9 mm; planes z = -5..7 mm (k 7..13)
        StructureMask m = raster(stack(z -> rectangle(0.5, -7, 9, 9, z), -5, 2, 7), GRID, RasterOptions.defaults());
        SamplePoints p = m.samples();
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (int q = 0; q < p.count(); q++) {
            double tent = 27 * Math.max(0, 1 - Math.abs(p.i()[q] - 20)) * Math.max(0, 1 - Math.abs(p.j()[q] - 20))
                    * Math.max(0, 1 - Math.abs(p.k()[q] - 10));
            max = Math.max(max, tent);
            min = Math.min(min, 30 - tent);
        }
        assertThat(max).isEqualTo(27.0);
        assertThat(min).isEqualTo(3.0);
        // the node just outside the edge (19, 20, 10) is not sampled: nothing outside the structure is
        for (int q = 0; q < p.count(); q++) {
            assertThat(p.i()[q]).isGreaterThanOrEqualTo(19.75f - 1e-6f);
        }
    }

    /** The largest and smallest of 27 Gy peaked on node (20, 20, 10) (a trilinear tent) and of 30 Gy minus it. */
    private static double[] tentExtremes(SamplePoints p) {
        double max = 0, min = Double.POSITIVE_INFINITY;
        for (int q = 0; q < p.count(); q++) {
            double tent = 27 * Math.max(0, 1 - Math.abs(p.i()[q] - 20)) * Math.max(0, 1 - Math.abs(p.j()[q] - 20))
                    * Math.max(0, 1 - Math.abs(p.k()[q] - 10));
            max = Math.max(max, tent);
            min = Math.min(min, 30 - tent);
        }
        return new double[] {max, min};
    }

    /**
     * A peak on a node just outside the structure reaches it along the edge, as far as the dose does: the node
     * (20, 20, 10) lies 0.1 mm outside a straight edge, where the tent is 27 x 0.95 Gy on the edge's crossing with
     * the grid line y = 20. Sub-samples, a quarter voxel in, reached 27 x 0.875^3 (a re-audit: a cord Dmax of 24.3 Gy
     * where the edge carries 26.75 Gy).
     */
    @Test
    void dmaxReachesAPeakJustOutsideAnEdgeWhereTheEdgeCrossesTheGridLine() {
        // x from 1.1 mm (index 20.05) to 9 mm; planes z = -5..7 mm (k 7..13)
        StructureMask m = raster(stack(z -> rectangle(1.1, -7, 9, 9, z), -5, 2, 7), GRID, RasterOptions.defaults());
        double[] e = tentExtremes(m.samples());
        assertThat(e[0]).isCloseTo(27 * 0.95, within(1e-4));
        assertThat(e[1]).isCloseTo(30 - 27 * 0.95, within(1e-4));
    }

    /**
     * Likewise above the structure's last plane: the node (20, 20, 10) lies 0.1 mm above its slab's end (k 9.95),
     * over the plane's inside, so the dose climbs to 27 x 0.95 Gy on the end cap at (20, 20, 9.95), a point no
     * sub-sample reaches (they lie half a sub-layer below the end).
     */
    @Test
    void dmaxReachesAPeakJustAboveTheLastPlaneOnTheEndCapOverTheNode() {
        // planes z = -8.1 .. -0.1 mm (k 5.45 .. 9.45), the last slab ending half a spacing above: k 9.95
        StructureMask m = raster(stack(z -> rectangle(-7, -7, 9, 9, z), -8.1, 2, 5), GRID, RasterOptions.defaults());
        double[] e = tentExtremes(m.samples());
        assertThat(e[0]).isCloseTo(27 * 0.95, within(1e-4));
        assertThat(e[1]).isCloseTo(30 - 27 * 0.95, within(1e-4));
        for (int q = 0; q < m.samples().count(); q++) {
            assertThat(m.samples().k()[q]).isLessThanOrEqualTo(9.95f);
        }
    }

    /**
     * A slab end a rounding's width past a voxel face (k 9.5 + 3e-7, as positions written from float32 give) leaves
     * the voxel above it empty, never sub-sampled; its cap node over (20, 20) is still a sample, taken by the voxel
     * below (a review found Dmax 7.75 Gy there against 13.5 Gy on the end cap, for ends 1e-8 to 1e-6 past a face).
     */
    @Test
    void aCapNodeJustPastAVoxelFaceIsStillASample() {
        // planes z = -9 .. -1 mm (k 5 .. 9) moved up by 6e-7 mm: the last slab ends at k 9.5 + 3e-7
        StructureMask m = raster(stack(z -> rectangle(-7, -7, 9, 9, z), -9 + 6e-7, 2, 5), GRID,
                RasterOptions.defaults());
        double[] e = tentExtremes(m.samples());
        assertThat(e[0]).isCloseTo(27 * 0.5, within(1e-4));
        assertThat(e[1]).isCloseTo(30 - 27 * 0.5, within(1e-4));
    }

    /**
     * The nodes of another grid (a prior's 2.5 x 2.5 x 3 mm lattice) inside a box, faces included, are samples
     * without volume: the box x -6.3..8.7, y -5.2..7.3 mm on planes z = -5..7 without end caps has prior nodes on all
     * six faces (a point on the outline is inside whichever way the scan takes it). The lattice is along the grid's
     * axes, so its crossings with the outline and its nodes on the end caps are samples too, all on the box's surface.
     */
    @Test
    void anotherGridsNodesInsideTheStructureAreSamplesWithoutVolume() {
        GridGeometry prior = GridGeometry.axisAligned(12, 10, 8, -8.8, -10.2, -8, 2.5, 2.5, 3);
        NodeLattice lattice = new NodeLattice(GRID.patientToIndex().after(prior.indexToPatient()), 12, 10, 8);
        List<PlanarContour> box = walledBox();
        List<double[]> expected = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            for (int b = 0; b < 10; b++) {
                for (int a = 0; a < 12; a++) {
                    double x = -8.8 + 2.5 * a, y = -10.2 + 2.5 * b, z = -8 + 3 * c;
                    if (x >= -6.3 - 1e-9 && x <= 8.7 + 1e-9 && y >= -5.2 - 1e-9 && y <= 7.3 + 1e-9 && z >= -5 - 1e-9
                            && z <= 7 + 1e-9) {
                        expected.add(GRID.patientToIndex().apply(x, y, z));
                    }
                }
            }
        }
        assertThat(expected).hasSize(7 * 6 * 5); // x -6.3..8.7, y -5.2..7.3, z -5..7
        // along the grid's axes, the lattice's crossings with the outline and its cap nodes too, all on the box; and
        // inside, the merged lattice's nodes (each coordinate on this grid's planes or the prior's, not all on one's)
        double[] lo = GRID.patientToIndex().apply(-6.3, -5.2, -5), hi = GRID.patientToIndex().apply(8.7, 7.3, 7);
        List<float[]> others = assertAddedNodes(box, GRID, NO_CAPS, lattice, expected);
        java.util.Set<String> merged = new java.util.HashSet<>();
        int[] counts = {12, 10, 8};
        double[][] own = new double[3][], theirs = new double[3][];
        for (int d = 0; d < 3; d++) {
            own[d] = Rasteriser.latticeValues(0, 1, 40, lo[d], hi[d], true);
            theirs[d] = Rasteriser.latticeValues(lattice.nodeToIndex().get(d, 3), lattice.nodeToIndex().get(d, d),
                    counts[d], lo[d], hi[d], true);
        }
        for (int pick = 1; pick < 7; pick++) { // which axes take the prior's planes: not none, not all
            for (double x : (pick & 1) != 0 ? theirs[0] : own[0]) {
                for (double y : (pick & 2) != 0 ? theirs[1] : own[1]) {
                    for (double z : (pick & 4) != 0 ? theirs[2] : own[2]) {
                        double[] at = {x, y, z};
                        boolean allOwn = true, allTheirs = true; // a node of one grid: sampled as such
                        for (int d = 0; d < 3; d++) {
                            final double v = at[d];
                            allOwn &= java.util.Arrays.stream(own[d]).anyMatch(w -> w == v);
                            allTheirs &= java.util.Arrays.stream(theirs[d]).anyMatch(w -> w == v);
                        }
                        if (!allOwn && !allTheirs) {
                            merged.add((float) x + "," + (float) y + "," + (float) z);
                        }
                    }
                }
            }
        }
        List<float[]> onSurface = new ArrayList<>();
        int inner = 0;
        for (float[] a : others) {
            boolean strictlyInside = true;
            for (int d = 0; d < 3; d++) {
                strictlyInside &= a[d] > lo[d] + 1e-5 && a[d] < hi[d] - 1e-5;
            }
            if (strictlyInside) {
                assertThat(merged).as("%s inside: a merged node", java.util.Arrays.toString(a))
                        .contains(a[0] + "," + a[1] + "," + a[2]);
                assertThat(a[3]).isZero();
                inner++;
            } else {
                onSurface.add(a);
            }
        }
        assertOnTheBoxsSurface(onSurface, lo, hi);
        long mergedInside = merged.stream().map(k -> k.split(",")).filter(k -> {
            for (int d = 0; d < 3; d++) {
                double v = Double.parseDouble(k[d]);
                if (!(v > lo[d] + 1e-5 && v < hi[d] - 1e-5)) {
                    return false;
                }
            }
            return true;
        }).count();
        assertThat(inner).as("merged nodes strictly inside").isEqualTo(mergedInside).isGreaterThan(500);
    }

    /** Each point carries no volume and lies on a face of the box lo..hi (index units). */
    private static void assertOnTheBoxsSurface(List<float[]> points, double[] lo, double[] hi) {
        for (float[] a : points) {
            assertThat(a[3]).isZero();
            boolean onFace = false;
            for (int d = 0; d < 3; d++) {
                assertThat((double) a[d]).isBetween(lo[d] - 1e-5, hi[d] + 1e-5);
                onFace |= Math.abs(a[d] - lo[d]) < 1e-5 || Math.abs(a[d] - hi[d]) < 1e-5;
            }
            assertThat(onFace).as("%s on the surface", java.util.Arrays.toString(a)).isTrue();
        }
    }

    /**
     * A rotated lattice (30 degrees about the frame axis, 1.3 voxel steps): the nodes within a box, none outside; the
     * other points it adds (its lines' crossings with the walls and caps, the walls' edges' crossings with its
     * cell planes) lie on the box's surface.
     */
    @Test
    void aRotatedLatticesNodesInsideTheStructureAreSamplesToo() {
        double c = Math.cos(Math.PI / 6) * 1.3, s = Math.sin(Math.PI / 6) * 1.3;
        NodeLattice lattice = new NodeLattice(dev.eqd2sum.engine.geometry.Affine3.of(
                c, -s, 0, 14.2, s, c, 0, 3.7, 0, 0, 1.1, 5.05), 30, 30, 10);
        List<PlanarContour> box = stack(z -> rectangle(-6.3, -5.2, 8.1, 7.7, z), -5, 2, 7);
        double[] lo = GRID.patientToIndex().apply(-6.3, -5.2, -6), hi = GRID.patientToIndex().apply(8.1, 7.7, 8);
        List<double[]> expected = new ArrayList<>();
        for (int q = 0; q < 30 * 30 * 10; q++) {
            double[] p = lattice.nodeToIndex().apply(q % 30, q / 30 % 30, q / 900);
            if (p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1] && p[2] >= lo[2] && p[2] <= hi[2]) {
                expected.add(p);
            }
        }
        assertThat(expected).hasSizeGreaterThan(100);
        List<float[]> others = assertAddedNodes(box, GRID, RasterOptions.defaults(), lattice, expected);
        assertThat(others).hasSizeGreaterThan(100);
        assertOnTheBoxsSurface(others, lo, hi);
    }

    /**
     * A prior's peak on a node just outside a wall (0.5 mm beyond x = 8.7 mm, on a y line and a node height between
     * the slab's ends) is read on the wall where the prior's lines cross it: a tent of 27 Gy falls to 27 x 0.8 there.
     */
    @Test
    void aPriorsPeakJustOutsideAWallIsReadWhereItsLinesCrossTheWall() {
        // node (7, 4, 3) at (9.2, -0.2, 1) mm
        assertAlignedPeakReadAt80Percent(GridGeometry.axisAligned(12, 10, 8, -8.3, -10.2, -8, 2.5, 2.5, 3), 7, 4, 3);
    }

    /**
     * A rotated prior (20 degrees about an oblique axis) peaks on a node 0.5 mm beyond a wall (x = 8.7 mm): a tent of
     * 27 Gy there, 0 at every other node, so its nodes inside read 0. Where its lines cross the wall the samples
     * read within 3 % of the tent's maximum on the wall (found by a 0.01 mm search of the wall; they read it to
     * 0.01 Gy); the output grid's samples alone read 31 % less.
     */
    @Test
    void aRotatedPriorsPeakJustOutsideAWallIsReadWhereItsLinesCrossTheWall() {
        // 21.28 Gy both (the search's 0.01 mm steps can miss the top by up to 0.08 Gy); 14.77 Gy without the lattice
        assertRotatedPeakRead(9.2, -0.2, 1, (u, v) -> new double[] {8.7, -5.2 + u, -4 + v});
    }

    /** Likewise above the last plane, for the rotated prior: a node 0.6 mm above the end cap at z = 7 mm. */
    @Test
    void aRotatedPriorsPeakJustAboveTheEndCapIsReadWhereItsLinesCrossTheCap() {
        // 20.38 Gy both; 15.78 Gy without the lattice
        assertRotatedPeakRead(1.2, -0.2, 7.6, (u, v) -> new double[] {-3.8 + u, -5.2 + v, 7});
    }

    /**
     * The tent of 27 Gy on node (4, 4, 3) of {@link #rotatedPrior} at (x, y, z) mm, outside the box: the samples with
     * the lattice read within 3 % of its maximum on a 10 x 10 mm patch of the surface (searched in 0.01 mm steps;
     * {@code patch} maps (u, v) in mm to a point in mm), the samples without it less than 90 %.
     */
    private static void assertRotatedPeakRead(double x, double y, double z,
                                              java.util.function.BiFunction<Double, Double, double[]> patch) {
        NodeLattice lattice = rotatedPrior(x, y, z);
        List<PlanarContour> box = walledBox();
        dev.eqd2sum.engine.geometry.Affine3 toNode = lattice.nodeToIndex().inverse();
        double onSurface = 0;
        for (int u = 0; u <= 1000; u++) {
            for (int v = 0; v <= 1000; v++) {
                double[] mm = patch.apply(u * 0.01, v * 0.01);
                onSurface = Math.max(onSurface, tentAt(toNode, 4, 4, 3, GRID.patientToIndex().apply(mm[0], mm[1], mm[2])));
            }
        }
        double with = priorTent(raster(box, GRID, NO_CAPS.withNodeLattices(List.of(lattice))).samples(), lattice, 4, 4, 3);
        double without = priorTent(raster(box, GRID, NO_CAPS).samples(), lattice, 4, 4, 3);
        assertThat(with).isBetween(0.97 * onSurface, onSurface + 0.1);
        assertThat(without).isLessThan(0.9 * onSurface);
    }

    /** A 2.5 mm prior grid rotated 20 degrees about the axis (1, 2, 3), its node (4, 4, 3) at (x, y, z) mm. */
    private static NodeLattice rotatedPrior(double x, double y, double z) {
        double[] axis = {1 / Math.sqrt(14), 2 / Math.sqrt(14), 3 / Math.sqrt(14)};
        double c = Math.cos(Math.toRadians(20)), s = Math.sin(Math.toRadians(20));
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = (i == j ? c : 0) + (1 - c) * axis[i] * axis[j];
            }
        }
        r[0][1] -= s * axis[2];
        r[1][0] += s * axis[2];
        r[0][2] += s * axis[1];
        r[2][0] -= s * axis[1];
        r[1][2] -= s * axis[0];
        r[2][1] += s * axis[0];
        double[] origin = new double[3];
        double[] at = {x, y, z};
        for (int i = 0; i < 3; i++) {
            origin[i] = at[i] - 2.5 * (4 * r[i][0] + 4 * r[i][1] + 3 * r[i][2]);
        }
        GridGeometry prior = new GridGeometry(12, 10, 8, origin, new double[] {2.5, 2.5, 2.5},
                new double[] {r[0][0], r[1][0], r[2][0]}, new double[] {r[0][1], r[1][1], r[2][1]},
                new double[] {r[0][2], r[1][2], r[2][2]});
        return new NodeLattice(GRID.patientToIndex().after(prior.indexToPatient()), 12, 10, 8);
    }

    private static double tentAt(dev.eqd2sum.engine.geometry.Affine3 toNode, int a, int b, int c, double[] index) {
        double[] n = toNode.apply(index[0], index[1], index[2]);
        return 27 * Math.max(0, 1 - Math.abs(n[0] - a)) * Math.max(0, 1 - Math.abs(n[1] - b))
                * Math.max(0, 1 - Math.abs(n[2] - c));
    }

    /** Likewise above the last plane (0.6 mm above its slab's end at z = 7 mm): read on the end cap over the node. */
    @Test
    void aPriorsPeakJustAboveTheEndCapIsReadOnTheCapOverItsNode() {
        // node (4, 4, 5) at (1.2, -0.2, 7.6) mm
        assertAlignedPeakReadAt80Percent(GridGeometry.axisAligned(12, 10, 8, -8.8, -10.2, -7.4, 2.5, 2.5, 3), 4, 4, 5);
    }

    /**
     * The tent of 27 Gy on node (a, b, c) of a 12 x 10 x 8 prior, 20 % of a cell outside {@link #walledBox()}: read
     * at 27 x 0.8 Gy with the prior's points, at least 1 Gy less without them.
     */
    private static void assertAlignedPeakReadAt80Percent(GridGeometry prior, int a, int b, int c) {
        NodeLattice lattice = new NodeLattice(GRID.patientToIndex().after(prior.indexToPatient()), 12, 10, 8);
        List<PlanarContour> box = walledBox();
        assertThat(priorTent(raster(box, GRID, NO_CAPS.withNodeLattices(List.of(lattice))).samples(), lattice, a, b, c))
                .isCloseTo(27 * 0.8, within(1e-4));
        assertThat(priorTent(raster(box, GRID, NO_CAPS).samples(), lattice, a, b, c)).isLessThan(27 * 0.8 - 1);
    }

    /** The box x -6.3..8.7, y -5.2..7.3 mm on planes z = -5..7 mm, 2 mm apart. */
    private static List<PlanarContour> walledBox() {
        return stack(z -> rectangle(-6.3, -5.2, 8.7, 7.3, z), -5, 2, 7);
    }

    /**
     * At the grid's end the cap nodes are sampled even where the structure goes on beyond it: the grid ends at
     * z = 10 mm, a slab boundary of planes z = -5..15 mm, and a prior's peak 0.6 mm above it is read on the grid's
     * end over its node (a review found 18.58 Gy there against 21.6 Gy).
     */
    @Test
    void aPriorsPeakJustBeyondTheGridsEndIsReadOnTheGridsEnd() {
        GridGeometry grid = GridGeometry.axisAligned(40, 40, 15, -39, -39, -19, 2, 2, 2); // ends at z = 10 mm
        GridGeometry prior = GridGeometry.axisAligned(12, 10, 8, -8.8, -10.2, -7.4, 2.5, 2.5, 3);
        NodeLattice lattice = new NodeLattice(grid.patientToIndex().after(prior.indexToPatient()), 12, 10, 8);
        List<PlanarContour> box = stack(z -> rectangle(-6.3, -5.2, 8.7, 7.3, z), -5, 2, 11);
        // node (4, 4, 6) at (1.2, -0.2, 10.6) mm
        assertThat(priorTent(raster(box, grid, NO_CAPS.withNodeLattices(List.of(lattice))).samples(), lattice, 4, 4, 6))
                .isCloseTo(27 * 0.8, within(1e-4));
    }

    /** The largest of a 27 Gy trilinear tent on the lattice's node (a, b, c) over the samples. */
    private static double priorTent(SamplePoints p, NodeLattice lattice, int a, int b, int c) {
        dev.eqd2sum.engine.geometry.Affine3 toNode = lattice.nodeToIndex().inverse();
        double max = 0;
        for (int q = 0; q < p.count(); q++) {
            max = Math.max(max, tentAt(toNode, a, b, c, new double[] {p.i()[q], p.j()[q], p.k()[q]}));
        }
        return max;
    }

    /** With one sub-sample per pixel (a body outline's surface) no other grid's nodes are added. */
    @Test
    void noOtherGridsNodesWithOneSubSample() {
        GridGeometry prior = GridGeometry.axisAligned(12, 10, 8, -8.8, -10.2, -9, 2.5, 2.5, 3);
        NodeLattice lattice = new NodeLattice(GRID.patientToIndex().after(prior.indexToPatient()), 12, 10, 8);
        RasterOptions one = RasterOptions.defaults().withSubSamples(1);
        List<PlanarContour> box = stack(z -> rectangle(-6.3, -5.2, 8.1, 7.7, z), -5, 2, 7);
        assertThat(raster(box, GRID, one.withNodeLattices(List.of(lattice))).samples().count())
                .isEqualTo(raster(box, GRID, one).samples().count());
    }

    /**
     * The samples with the lattice are those without it plus the expected nodes, each carrying no volume, and the
     * others it adds (returned); a
     * trilinear tent of 27 Gy on any one of the nodes (in the lattice's own cells) is reached exactly, which the
     * samples without it miss.
     */
    private static List<float[]> assertAddedNodes(List<PlanarContour> contours, GridGeometry grid,
                                                  RasterOptions plain, NodeLattice lattice, List<double[]> expected) {
        SamplePoints without = raster(contours, grid, plain).samples();
        StructureMask withMask = raster(contours, grid, plain.withNodeLattices(List.of(lattice)));
        SamplePoints with = withMask.samples();
        assertThat(with.totalVolumeCc()).isEqualTo(without.totalVolumeCc());
        List<String> before = new ArrayList<>();
        for (int q = 0; q < without.count(); q++) {
            before.add(key(without.i()[q], without.j()[q], without.k()[q], without.volumeCc()[q]));
        }
        List<float[]> added = new ArrayList<>();
        for (int q = 0; q < with.count(); q++) {
            if (!before.remove(key(with.i()[q], with.j()[q], with.k()[q], with.volumeCc()[q]))) {
                added.add(new float[] {with.i()[q], with.j()[q], with.k()[q], with.volumeCc()[q]});
            }
        }
        assertThat(before).isEmpty();
        for (double[] p : expected) { // each expected node is one added sample (float positions, rounding apart)
            float[] match = added.stream().filter(a -> Math.abs(a[0] - p[0]) < 1e-4 && Math.abs(a[1] - p[1]) < 1e-4
                    && Math.abs(a[2] - p[2]) < 1e-4).findFirst().orElse(null);
            assertThat(match).as("node at index %s", java.util.Arrays.toString(p)).isNotNull();
            assertThat(match[3]).isZero();
            added.remove(match);
        }
        List<float[]> rest = new ArrayList<>(added);
        // a tent on a node in the lattice's index space: 27 Gy at the node, 0 a lattice step away
        dev.eqd2sum.engine.geometry.Affine3 toNode = lattice.nodeToIndex().inverse();
        double[] peakAt = toNode.apply(expected.get(expected.size() / 2)[0], expected.get(expected.size() / 2)[1],
                expected.get(expected.size() / 2)[2]);
        double maxWith = 0, maxWithout = 0;
        for (int pass = 0; pass < 2; pass++) {
            SamplePoints p = pass == 0 ? with : without;
            for (int q = 0; q < p.count(); q++) {
                double[] n = toNode.apply(p.i()[q], p.j()[q], p.k()[q]);
                double tent = 27 * Math.max(0, 1 - Math.abs(n[0] - peakAt[0])) * Math.max(0, 1 - Math.abs(n[1] - peakAt[1]))
                        * Math.max(0, 1 - Math.abs(n[2] - peakAt[2]));
                if (pass == 0) {
                    maxWith = Math.max(maxWith, tent);
                } else {
                    maxWithout = Math.max(maxWithout, tent);
                }
            }
        }
        assertThat(maxWith).isCloseTo(27, within(1e-3));
        assertThat(maxWithout).isLessThan(26.5);
        return rest;
    }

    private static String key(float i, float j, float k, float volumeCc) {
        return i + "," + j + "," + k + "," + volumeCc;
    }
}
