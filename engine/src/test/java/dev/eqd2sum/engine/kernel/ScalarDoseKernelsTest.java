package dev.eqd2sum.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import org.junit.jupiter.api.Test;

class ScalarDoseKernelsTest {
    static final DoseGrid G = new DoseGrid(GridGeometry.axisAligned(3, 2, 2, 0, 0, 0, 1, 1, 1),
            new float[] {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112});

    @Test
    void trilinearInsideAndAtTheEdges() {
        assertThat(ScalarDoseKernels.trilinear(G, 1.5, 0.5, 0.5)).isCloseTo(56.5f, within(1e-5f));
        assertThat(ScalarDoseKernels.trilinear(G, 2, 1, 1)).isEqualTo(112f);
        // within 1e-3 of the edge: clamped onto it
        assertThat(ScalarDoseKernels.trilinear(G, -0.0009, 0, 0)).isEqualTo(0f);
        assertThat(ScalarDoseKernels.trilinear(G, 2.0009, 1.0009, 1.0009)).isEqualTo(112f);
        // beyond: nothing from this grid
        assertThat(ScalarDoseKernels.trilinear(G, 2.0011, 1, 1)).isZero();
        assertThat(ScalarDoseKernels.trilinear(G, 1, -0.0011, 0)).isZero();
        assertThat(ScalarDoseKernels.trilinear(G, Double.NaN, 0, 0)).isZero();
    }

    @Test
    void aOneVoxelGridHoldsItsValueAtItsCentreOnly() {
        DoseGrid one = new DoseGrid(GridGeometry.axisAligned(1, 1, 1, 0, 0, 0, 1, 1, 1), new float[] {7});
        assertThat(ScalarDoseKernels.trilinear(one, 0, 0.0005, 0)).isEqualTo(7f);
        assertThat(ScalarDoseKernels.trilinear(one, 0.5, 0, 0)).isZero();
    }

    @Test
    void sameGridPassWeighsNormalTissueAndNotTargets() {
        float[] dose = {10, 10, 10};
        float[] acc = {1, 1, 1};
        VoxelConversion c = new VoxelConversion(1, 2f, 2f, new float[] {2, 3, 2}, 0.5f, new byte[] {0, 0, 1});
        ScalarDoseKernels.INSTANCE.eqd2Accumulate(dose, c, acc, 0, 3);
        // 20 Gy in 1 fx: ab 2 -> 110, ab 3 -> 92
        assertThat(acc).containsExactly(new float[] {1 + 55, 1 + 46, 1 + 110}, within(1e-4f));
    }
}
