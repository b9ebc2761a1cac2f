package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * Random prior grids (size, placement, spacing, orientation) and random registrations: the plan
 * sum of two linear fields equals the closed form at every voxel, on the current grid and on the
 * union grid.
 */
class LinearFieldPropertiesTest {
    @Property(tries = 25)
    void closedFormOnRandomGeometry(@ForAll @IntRange(min = 3, max = 16) int nx,
                                    @ForAll @IntRange(min = 1, max = 14) int ny,
                                    @ForAll @IntRange(min = 2, max = 12) int nz,
                                    @ForAll @DoubleRange(min = -30, max = 10) double ox,
                                    @ForAll @DoubleRange(min = -30, max = 10) double oy,
                                    @ForAll @DoubleRange(min = -25, max = 5) double oz,
                                    @ForAll @DoubleRange(min = 0.7, max = 4) double sx,
                                    @ForAll @DoubleRange(min = 0.7, max = 4) double sz,
                                    @ForAll @DoubleRange(min = -0.6, max = 0.6) double gridAngle,
                                    @ForAll @DoubleRange(min = -0.3, max = 0.3) double regAngle,
                                    @ForAll @DoubleRange(min = -5, max = 5) double shift,
                                    @ForAll boolean union,
                                    @ForAll @IntRange(min = 1, max = 3) int threads) {
        GridGeometry prior = PlanSumTest.rotatedGrid(nx, ny, nz, new double[] {ox, oy, oz},
                new double[] {sx, 2.5, sz}, PlanSumTest.rotation(new double[] {1, -2, 0.5}, gridAngle, 0, 0, 0));
        RigidTransform reg = PlanSumTest.rotation(new double[] {0.3, 0.2, 1}, regAngle, shift, -shift / 2, shift / 3);
        // asserts every voxel against the closed form
        PlanSumTest.checkLinearSum(prior, reg, union ? OutputGrid.union() : OutputGrid.current(),
                TissueMap.uniform(3), threads);
    }
}
