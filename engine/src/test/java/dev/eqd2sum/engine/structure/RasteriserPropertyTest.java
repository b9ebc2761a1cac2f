package dev.eqd2sum.engine.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.geometry.GridGeometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Random star-shaped (often non-convex) contours on random grids: the occupancy must add up to the
 * polygons' exact areas times their slabs, inside plus outside the grid, and the samples must lie
 * inside and carry that volume.
 */
class RasteriserPropertyTest {

    @Property(tries = 30)
    void volumeIsExactAndSamplesLieInside(@ForAll @IntRange(min = 1, max = 12) int planes,
                                          @ForAll @IntRange(min = 3, max = 40) int vertices,
                                          @ForAll @DoubleRange(min = 0.7, max = 3.5) double sx,
                                          @ForAll @DoubleRange(min = 0.7, max = 3.5) double sy,
                                          @ForAll @DoubleRange(min = 0.7, max = 3.5) double sz,
                                          @ForAll @DoubleRange(min = -20, max = 20) double shift,
                                          @ForAll long seed) {
        Random r = new Random(seed);
        double spacing = 1 + 3 * r.nextDouble();
        double z0 = -5 + 10 * r.nextDouble();
        List<PlanarContour> contours = new ArrayList<>();
        double expectedMm3 = 0;
        for (int q = 0; q < planes; q++) {
            double z = z0 + q * spacing;
            double[] p = new double[3 * vertices];
            double cx = shift + 4 * r.nextGaussian(), cy = -shift / 2 + 4 * r.nextGaussian();
            for (int v = 0; v < vertices; v++) {
                double a = 2 * Math.PI * (v + 0.8 * r.nextDouble()) / vertices;
                double rad = 3 + 25 * r.nextDouble();
                p[3 * v] = cx + rad * Math.cos(a);
                p[3 * v + 1] = cy + rad * Math.sin(a);
                p[3 * v + 2] = z;
            }
            contours.add(new PlanarContour(ContourType.CLOSED_PLANAR, p));
            double area = 0;
            for (int v = 0; v < vertices; v++) {
                int w = (v + 1) % vertices;
                area += p[3 * v] * p[3 * w + 1] - p[3 * w] * p[3 * v + 1];
            }
            // half-spacing caps: every plane owns one spacing; a single plane gets the grid's slice spacing
            expectedMm3 += Math.abs(area) / 2 * (planes == 1 ? sz : spacing);
        }
        Structure s = Contours.structure("S", contours);
        // a grid that cuts the structure: parts of it fall outside in plane and along z
        GridGeometry g = GridGeometry.axisAligned(24, 20, 9, -20 + 0.37 * sx, -15 + 0.11 * sy, z0 - 2.3, sx, sy, sz);
        StructureMask m = Rasteriser.rasterise(s, g, RasterOptions.defaults());
        double expectedCc = expectedMm3 / 1000.0;
        assertThat(m.volumeInsideGridCc() + m.outsideGridCc()).isCloseTo(expectedCc, within(expectedCc * 1e-6 + 1e-9));
        assertThat(m.samples().totalVolumeCc()).isCloseTo(m.volumeInsideGridCc(), within(expectedCc * 1e-5 + 1e-9));
        SampleChecks.assertSamplesInside(m, g, s, planes == 1 ? sz : spacing);
        for (float f : m.partialOccupancy()) {
            assertThat(f).isGreaterThan(0f).isLessThan(1f);
        }
    }
}
