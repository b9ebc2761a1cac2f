package dev.eqd2sum.engine.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;

import java.util.ArrayList;
import java.util.List;

/** Independent check that sample points lie inside a structure of axial CLOSED_PLANAR contours. */
public final class SampleChecks {
    private SampleChecks() {
    }

    /**
     * Every sample must lie within half a plane spacing (the caps use the same) of its nearest
     * contour plane and inside that plane's region (nesting-depth rule), or on its outline.
     */
    public static void assertSamplesInside(StructureMask m, GridGeometry g, Structure s, double planeSpacingMm) {
        Affine3 toPatient = g.indexToPatient();
        SamplePoints sp = m.samples();
        java.util.TreeMap<Double, List<double[]>> byZ = new java.util.TreeMap<>();
        for (PlanarContour c : s.contours()) {
            byZ.computeIfAbsent(c.pointsMm()[2], k -> new ArrayList<>()).add(c.pointsMm());
        }
        for (int q = 0; q < sp.count(); q++) {
            double[] p = toPatient.apply(sp.i()[q], sp.j()[q], sp.k()[q]);
            List<List<double[]>> planes = nearestPlanes(byZ, p[2]);
            double zPlane = planes.get(0).get(0)[2];
            assertThat(Math.abs(p[2] - zPlane)).as("sample %d at %s: distance to its plane", q, fmt(p))
                    .isLessThanOrEqualTo(planeSpacingMm / 2 + 1e-3);
            // a sample on the boundary between two slabs (a voxel centre) may belong to either
            boolean in = false;
            for (List<double[]> plane : planes) {
                in |= inside(plane, p[0], p[1]);
            }
            assertThat(in).as("sample %d at %s inside", q, fmt(p)).isTrue();
            assertThat(sp.volumeCc()[q]).isNotNegative(); // outline vertices carry no volume
        }
    }

    private static String fmt(double[] p) {
        return String.format(java.util.Locale.ROOT, "(%.4f, %.4f, %.4f)", p[0], p[1], p[2]);
    }

    private static List<List<double[]>> nearestPlanes(java.util.TreeMap<Double, List<double[]>> byZ, double z) {
        Double below = byZ.floorKey(z + 1e-4), above = byZ.ceilingKey(z - 1e-4);
        List<List<double[]>> out = new ArrayList<>();
        double dBelow = below == null ? Double.POSITIVE_INFINITY : Math.abs(z - below);
        double dAbove = above == null ? Double.POSITIVE_INFINITY : Math.abs(above - z);
        if (below != null && dBelow <= dAbove + 1e-4) {
            out.add(byZ.get(below));
        }
        if (above != null && !above.equals(below) && dAbove <= dBelow + 1e-4) {
            out.add(byZ.get(above));
        }
        return out;
    }

    private static boolean inside(List<double[]> polys, double x, double y) {
        int winding = 0;
        for (double[] a : polys) {
            if (nearOutline(a, x, y)) {
                return true;
            }
            if (!crossingInside(a, x, y)) {
                continue;
            }
            int depth = 0;
            for (double[] b : polys) {
                if (b != a && crossingInside(b, a[0], a[1])) {
                    depth++;
                }
            }
            winding += depth % 2 == 0 ? 1 : -1;
        }
        return winding > 0;
    }

    private static boolean crossingInside(double[] p, double x, double y) {
        int n = p.length / 3;
        boolean in = false;
        for (int v = 0; v < n; v++) {
            int w = (v + 1) % n;
            double ay = p[3 * v + 1], by = p[3 * w + 1];
            if ((ay > y) != (by > y)) {
                double xc = p[3 * v] + (y - ay) * (p[3 * w] - p[3 * v]) / (by - ay);
                if (x < xc) {
                    in = !in;
                }
            }
        }
        return in;
    }

    private static boolean nearOutline(double[] p, double x, double y) {
        int n = p.length / 3;
        for (int v = 0; v < n; v++) {
            int w = (v + 1) % n;
            double ax = p[3 * v], ay = p[3 * v + 1], bx = p[3 * w], by = p[3 * w + 1];
            double ex = bx - ax, ey = by - ay;
            double t = Math.max(0, Math.min(1, ((x - ax) * ex + (y - ay) * ey) / (ex * ex + ey * ey)));
            if (Math.hypot(ax + t * ex - x, ay + t * ey - y) <= 1e-3) {
                return true;
            }
        }
        return false;
    }
}
