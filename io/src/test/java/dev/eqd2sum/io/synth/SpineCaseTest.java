package dev.eqd2sum.io.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.StructureMask;

import org.junit.jupiter.api.Test;

class SpineCaseTest {
    private static final SpineCase STD = SpineCase.build(SpineCase.Spec.standard());
    private static final SpineCase.Anatomy TRUNK = SpineCase.Anatomy.TRUNK;

    @Test
    void gridsAndStructuresAreTheStandardCase() {
        GridGeometry cur = STD.current().geometry(), pri = STD.prior().geometry();
        assertThat(new int[] {cur.nx(), cur.ny(), cur.nz()}).containsExactly(200, 200, 150);
        assertThat(cur.spacingMm()).containsExactly(2, 2, 2);
        assertThat(new int[] {pri.nx(), pri.ny(), pri.nz()}).containsExactly(180, 160, 110);
        assertThat(pri.spacingMm()).containsExactly(2.5, 2.5, 3);
        assertThat(STD.structures()).extracting(s -> s.name())
                .containsExactly("External", "SpinalCord", "ThecalSac", "PTV_High", "PTV_Low");
        assertThat(STD.structure("ptv_high").isTarget()).isTrue();
        StructureMask cord = Rasteriser.rasterise(STD.structure("SpinalCord"), cur,
                RasterOptions.forStructureSet(STD.structures()));
        assertThat(cord.volumeInsideGridCc()).isCloseTo(Math.PI * 25 * 200 / 1000, within(0.01 * Math.PI * 25 * 200 / 1000));
        assertThat(cord.outsideGridCc()).isLessThan(1e-9);
    }

    @Test
    void cordHotSpotsSitWhereAskedTwelveMillimetresApart() {
        SpineCase.Spec spec = STD.spec();
        assertThat(spec.prior().hotSpotZMm() - spec.current().hotSpotZMm()).isEqualTo(12.0);
        double[] cur = hottestOnCordAxisLine(STD.current(), TRUNK.cordYMm() - TRUNK.cordRadiusMm());
        double[] pri = hottestOnCordAxisLine(STD.prior(), TRUNK.cordYMm());
        assertThat(cur[0]).isCloseTo(spec.current().hotSpotZMm(), within(2.0));
        // voxel centres lie 1 mm off the hot spot's centre in x and z (odd mm on the current grid)
        assertThat(cur[1]).isCloseTo(spec.current().cordMaxGy(), within(0.5));
        assertThat(pri[0]).isCloseTo(spec.prior().hotSpotZMm(), within(3.0));
        // the prior grid's voxel centres miss the hot spot's centre by up to 1.5 mm in z and 1.25 mm in y
        assertThat(pri[1]).isCloseTo(spec.prior().cordMaxGy(), within(0.6));
        // the PTV gets its prescription
        GridGeometry g = STD.current().geometry();
        int[] c = nearestVoxel(g, 0, TRUNK.vertebraYMm(), 0);
        assertThat(STD.current().doseGy()[g.index(c[0], c[1], c[2])]).isCloseTo(24f, within(0.01f));
    }

    /** (z, dose) of the hottest voxel along the line x = 0, y = y0. */
    private static double[] hottestOnCordAxisLine(DoseGrid d, double y0) {
        GridGeometry g = d.geometry();
        int[] c = nearestVoxel(g, 0, y0, 0);
        double best = -1, bestZ = 0;
        for (int k = 0; k < g.nz(); k++) {
            float v = d.doseGy()[g.index(c[0], c[1], k)];
            if (v > best) {
                best = v;
                bestZ = g.voxelCentreMm(c[0], c[1], k)[2];
            }
        }
        return new double[] {bestZ, best};
    }

    private static int[] nearestVoxel(GridGeometry g, double x, double y, double z) {
        double[] idx = g.patientToIndex().apply(x, y, z);
        return new int[] {(int) Math.round(idx[0]), (int) Math.round(idx[1]), (int) Math.round(idx[2])};
    }
}
