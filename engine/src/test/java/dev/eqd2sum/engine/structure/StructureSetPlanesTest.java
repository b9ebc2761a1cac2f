package dev.eqd2sum.engine.structure;

import static dev.eqd2sum.engine.structure.Contours.rectangle;
import static dev.eqd2sum.engine.structure.Contours.structure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.geometry.GridGeometry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructureSetPlanesTest {
    @Test
    void planesCloserThanTheToleranceAreOneAndPlanesThatFarApartAreTwoWhateverTheRounding() {
        // -7.209 and -7.159 are 0.05 mm apart up to rounding: 0.04999999999999982 or 0.050000000000000711 as the
        // means came out (the pydicom cross-check met both), two planes either way
        assertThat(StructureSetPlanes.distinct(new double[] {-7.209, -7.159})).hasSize(2);
        assertThat(StructureSetPlanes.distinct(new double[] {-7.209000000000001, -7.159})).hasSize(2);
        assertThat(StructureSetPlanes.distinct(new double[] {Math.nextUp(-7.209), Math.nextDown(-7.159)})).hasSize(2);
        // closer: one plane at their mean
        assertThat(StructureSetPlanes.distinct(new double[] {-7.2, -7.16})).containsExactly(-7.18);
        assertThat(StructureSetPlanes.samePlane(0.049)).isTrue();
        assertThat(StructureSetPlanes.samePlane(0.05 - 1e-12)).isFalse();
    }

    /**
     * A structure that skips a plane, with the set's nearest plane inside the gap exactly 0.05 mm beyond its own:
     * that plane is another one (not the structure's), so the gap is split half-way to it, the same on grids whose
     * origins differ in the last bit.
     */
    @Test
    void aSetPlaneExactlyTheToleranceBeyondAStructurePlaneSplitsTheGapWhateverTheRounding() {
        List<PlanarContour> own = new ArrayList<>();
        for (double z : new double[] {-7.209, -5.209, -4.209, -3.209}) { // -6.209 left out: a gap of 2 mm, median 1
            own.add(rectangle(-10, -10, 10, 10, z));
        }
        Structure s = structure("S", own);
        Structure other = structure("O", List.of(rectangle(-3, -3, 3, 3, -7.159), rectangle(-3, -3, 3, 3, -5.259)));
        List<Structure> set = List.of(s, other);
        // slabs [-8.209, -7.184], [-5.234, -4.709], [-4.709, -3.709], [-3.709, -2.709]: 3.55 mm of 400 mm^2
        double expected = 20 * 20 * 3.55 / 1000;
        for (double oz : new double[] {-23.876, Math.nextUp(-23.876), Math.nextDown(-23.876)}) {
            GridGeometry grid = GridGeometry.axisAligned(30, 30, 60, -30, -30, oz, 2.0, 2.0, 0.5);
            StructureMask m = Rasteriser.rasterise(s, grid, set);
            assertThat(m.volumeInsideGridCc()).as("origin z %s", oz).isCloseTo(expected, within(1e-6));
        }
    }
}
