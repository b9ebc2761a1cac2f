package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;

/**
 * A dose field linear in patient mm, {@code D(p) = c + g . p}. Trilinear interpolation reproduces
 * it exactly at any point inside a grid, whatever the grid's placement or orientation, so the
 * expected plan sum is known in closed form.
 */
record LinearField(double c, double gx, double gy, double gz) {
    double at(double[] p) {
        return c + gx * p[0] + gy * p[1] + gz * p[2];
    }

    DoseGrid sampledOn(GridGeometry g) {
        float[] d = new float[g.voxelCount()];
        double[] p = new double[3];
        int v = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++, v++) {
                    g.indexToPatient().apply(i, j, k, p);
                    d[v] = (float) at(p);
                }
            }
        }
        return new DoseGrid(g, d);
    }

    /**
     * The dose a course with this field on {@code grid} gives at output-grid patient point
     * {@code pCurrent}: the field at the point (clamped into the grid by the 1e-3 edge rule), or
     * NaN when the point lies outside the grid.
     */
    double expectedAt(GridGeometry grid, RigidTransform toCurrent, double[] pCurrent) {
        double[] pCourse = toCurrent.inverse().asAffine().apply(pCurrent[0], pCurrent[1], pCurrent[2]);
        double[] q = grid.patientToIndex().apply(pCourse[0], pCourse[1], pCourse[2]);
        int[] n = {grid.nx(), grid.ny(), grid.nz()};
        for (int a = 0; a < 3; a++) {
            if (q[a] < -1e-3 || q[a] > n[a] - 1 + 1e-3) {
                return Double.NaN;
            }
            q[a] = Math.max(0, Math.min(n[a] - 1, q[a]));
        }
        return at(grid.indexToPatient().apply(q[0], q[1], q[2]));
    }
}
