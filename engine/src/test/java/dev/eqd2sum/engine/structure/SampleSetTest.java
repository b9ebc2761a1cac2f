package dev.eqd2sum.engine.structure;

import static dev.eqd2sum.engine.structure.Contours.circle;
import static dev.eqd2sum.engine.structure.Contours.stack;
import static dev.eqd2sum.engine.structure.Contours.structure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.geometry.GridGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampleSetTest {
    /** 60 x 50 x 24 voxels of 2 mm: a body-like cylinder fills most of it, 3 slices per parallel chunk and more. */
    private static final GridGeometry GRID = GridGeometry.axisAligned(60, 50, 24, -59, -49, -23, 2, 2, 2);

    private static StructureMask body() {
        Structure s = structure("Body", stack(z -> circle(1.3, -0.7, 41, z, 90, false), -20, 2.5, 17));
        return Rasteriser.rasterise(s, GRID, RasterOptions.forStructureSet(List.of(s)));
    }

    @Test
    void interiorVoxelCentresAreSegmentsOfFullVoxelsTheOthersPoints() {
        StructureMask m = body();
        SampleSet set = m.sampleSet();
        boolean[] interior = new boolean[GRID.voxelCount()];
        for (int r = 0; r < m.runStart().length; r++) {
            for (int v = m.runStart()[r]; v < m.runStart()[r] + m.runLength()[r]; v++) {
                interior[v] = true;
            }
        }
        int centres = 0;
        int lastEnd = 0;
        for (int s = 0; s < set.segmentCount(); s++) {
            assertThat(set.segmentStart(s)).isEqualTo(lastEnd);
            assertThat(set.segmentEnd(s)).isGreaterThan(set.segmentStart(s));
            lastEnd = set.segmentEnd(s);
            if (s > 0) {
                assertThat(set.isCentres(s)).as("segments alternate").isNotEqualTo(set.isCentres(s - 1));
            }
            if (set.isCentres(s)) {
                for (int p = set.segmentStart(s); p < set.segmentEnd(s); p++) {
                    assertThat(interior[set.firstVoxel(s) + p - set.segmentStart(s)]).isTrue();
                    assertThat(set.volumeCc()[p]).isEqualTo((float) GRID.voxelVolumeCc());
                    centres++;
                }
            }
        }
        assertThat(lastEnd).isEqualTo(set.count());
        // most interior voxels are centre samples, held without positions (the rest touch the boundary)
        assertThat(centres).isGreaterThan(m.interiorVoxelCount() / 2);
        assertThat(set.explicitI().length).isEqualTo(set.count() - centres);
        assertThat(set.totalVolumeCc()).isCloseTo(m.volumeInsideGridCc(), within(1e-6 * m.volumeInsideGridCc()));
    }

    @Test
    void positionsInAnyPiecesAreThoseOfThePoints() {
        StructureMask m = body();
        SampleSet set = m.sampleSet();
        SamplePoints all = m.samples();
        assertThat(all.count()).isEqualTo(set.count());
        assertThat(all.totalVolumeCc()).isEqualTo(set.totalVolumeCc());
        Random r = new Random(3);
        int n = set.count();
        float[] i = new float[n], j = new float[n], k = new float[n];
        for (int from = 0; from < n; ) {
            int to = Math.min(n, from + 1 + r.nextInt(700));
            set.positions(from, to, i, j, k, from);
            from = to;
        }
        // isEqualTo compares arrays element by element (Arrays.equals: the same bits, NaN aside)
        assertThat(i).isEqualTo(all.i());
        assertThat(j).isEqualTo(all.j());
        assertThat(k).isEqualTo(all.k());
        for (int q = 0; q < 200; q++) {
            int p = r.nextInt(n);
            assertThat(set.indexOf(p)).containsExactly(all.i()[p], all.j()[p], all.k()[p]);
        }
    }

    @Test
    void pointsWrappedAsASetKeepTheirPositionsAndVolumes() {
        SamplePoints p = new SamplePoints(new float[] {1.5f, 2, 3}, new float[] {0.25f, 1, 2}, new float[] {4, 5, 6},
                new float[] {0.1f, 0.2f, 0.3f}, 3);
        SampleSet set = SampleSet.of(p);
        assertThat(set.count()).isEqualTo(3);
        assertThat(set.segmentCount()).isEqualTo(1);
        assertThat(set.indexOf(0)).containsExactly(1.5, 0.25, 4);
        assertThat(set.toPoints().k()).containsExactly(4, 5, 6);
        assertThat(SampleSet.of(SamplePoints.empty()).count()).isZero();
        assertThat(SampleSet.of(SamplePoints.empty()).toPoints().count()).isZero();
    }

    @Test
    void joinedPartsContinueSegmentsAcrossTheirBorders() {
        int nx = 10, ny = 4;
        List<SampleSet.Builder> parts = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        SampleSet.Builder a = new SampleSet.Builder(nx, ny, 1);
        a.addPoint(0.25f, 1, 1, 0.5f);
        expected.add(new float[] {0.25f, 1, 1, 0.5f});
        a.addCentre(13, 1);
        a.addCentre(14, 1);
        expected.add(new float[] {3, 1, 0, 1});
        expected.add(new float[] {4, 1, 0, 1});
        SampleSet.Builder b = new SampleSet.Builder(nx, ny, 1);
        b.addCentre(15, 1); // continues a's last segment
        b.addCentre(57, 1); // a new one: (7, 1, 1)
        b.addPoint(7.5f, 1, 1, 0.25f);
        expected.add(new float[] {5, 1, 0, 1});
        expected.add(new float[] {7, 1, 1, 1});
        expected.add(new float[] {7.5f, 1, 1, 0.25f});
        SampleSet.Builder empty = new SampleSet.Builder(nx, ny, 1);
        SampleSet.Builder c = new SampleSet.Builder(nx, ny, 1);
        c.addPoint(8.5f, 2, 3, 0.125f); // continues b's last (explicit) segment
        c.addCentre(58, 1);
        expected.add(new float[] {8.5f, 2, 3, 0.125f});
        expected.add(new float[] {8, 1, 1, 1});
        parts.add(a);
        parts.add(b);
        parts.add(empty);
        parts.add(c);
        SampleSet set = SampleSet.Builder.join(nx, ny, parts);
        assertThat(set.count()).isEqualTo(expected.size());
        assertThat(set.segmentCount()).isEqualTo(5);
        for (int p = 0; p < expected.size(); p++) {
            float[] e = expected.get(p);
            assertThat(set.indexOf(p)).as("sample %d", p).containsExactly(e[0], e[1], e[2]);
            assertThat(set.volumeCc()[p]).isEqualTo(e[3]);
        }
    }
}
