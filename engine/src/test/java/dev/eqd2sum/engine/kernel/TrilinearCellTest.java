package dev.eqd2sum.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link JavaDoseKernels.Trilinear} finds its cell with a cast instead of Math.floor: the same value, bit for bit,
 * as the rule with floor, also within the edge tolerance below 0 and above the last index, and for grids one
 * voxel thick.
 */
class TrilinearCellTest {
    @Test
    void castCellGivesTheFloorRulesValueEverywhereInsideTheTolerance() {
        Random r = new Random(21);
        for (int[] n : new int[][] {{5, 4, 3}, {1, 6, 2}, {7, 1, 1}, {2, 2, 2}}) {
            float[] d = new float[n[0] * n[1] * n[2]];
            for (int i = 0; i < d.length; i++) {
                d[i] = r.nextFloat() * 70;
            }
            DoseGrid g = new DoseGrid(GridGeometry.axisAligned(n[0], n[1], n[2], 0, 0, 0, 2, 2, 2), d);
            JavaDoseKernels.Trilinear t = new JavaDoseKernels.Trilinear(g);
            double tol = DoseKernelSupport.EDGE_TOLERANCE;
            double[] edges = {-tol, -tol / 2, -Double.MIN_VALUE, -0.0, 0, 0.5, 1, Math.nextDown(1.0)};
            for (int trial = 0; trial < 20_000; trial++) {
                double[] c = new double[3];
                for (int a = 0; a < 3; a++) {
                    int last = n[a] - 1;
                    c[a] = switch (r.nextInt(4)) {
                        case 0 -> edges[r.nextInt(edges.length)];
                        case 1 -> last + edges[r.nextInt(edges.length)] * (r.nextBoolean() ? 1 : -1);
                        case 2 -> r.nextInt(n[a]) + (r.nextBoolean() ? 0 : Math.nextDown(1.0));
                        default -> -tol + r.nextDouble() * (last + 2 * tol);
                    };
                }
                assertThat(t.at(c[0], c[1], c[2])).as("%s at %s, %s, %s", java.util.Arrays.toString(n), c[0], c[1], c[2])
                        .isEqualTo(withFloor(d, n, c[0], c[1], c[2]));
            }
        }
    }

    /** Trilinear.at as it was, with Math.floor. */
    private static float withFloor(float[] d, int[] n, double x, double y, double z) {
        double tol = DoseKernelSupport.EDGE_TOLERANCE;
        int nx = n[0], ny = n[1], nz = n[2];
        if (!(x >= -tol && x <= nx - 1 + tol && y >= -tol && y <= ny - 1 + tol && z >= -tol && z <= nz - 1 + tol)) {
            return 0f;
        }
        int dx = nx > 1 ? 1 : 0, dy = ny > 1 ? nx : 0, dz = nz > 1 ? nx * ny : 0;
        int x0 = nx == 1 ? 0 : Math.max(0, Math.min(nx - 2, (int) Math.floor(x)));
        int y0 = ny == 1 ? 0 : Math.max(0, Math.min(ny - 2, (int) Math.floor(y)));
        int z0 = nz == 1 ? 0 : Math.max(0, Math.min(nz - 2, (int) Math.floor(z)));
        float fx = nx == 1 ? 0f : (float) Math.max(0, Math.min(1, x - x0));
        float fy = ny == 1 ? 0f : (float) Math.max(0, Math.min(1, y - y0));
        float fz = nz == 1 ? 0f : (float) Math.max(0, Math.min(1, z - z0));
        int b = x0 + y0 * nx + z0 * nx * ny;
        float c00 = Math.fma(d[b + dx] - d[b], fx, d[b]);
        float c10 = Math.fma(d[b + dy + dx] - d[b + dy], fx, d[b + dy]);
        float c01 = Math.fma(d[b + dz + dx] - d[b + dz], fx, d[b + dz]);
        float c11 = Math.fma(d[b + dz + dy + dx] - d[b + dz + dy], fx, d[b + dz + dy]);
        float c0 = Math.fma(c10 - c00, fy, c00);
        float c1 = Math.fma(c11 - c01, fy, c01);
        return Math.fma(c1 - c0, fz, c0);
    }
}
