package dev.eqd2sum.engine.structure;

import java.util.ArrayList;
import java.util.List;

/** Test contours in patient mm. */
final class Contours {
    private Contours() {
    }

    static PlanarContour rectangle(double x0, double y0, double x1, double y1, double z, ContourType type) {
        return new PlanarContour(type, new double[] {x0, y0, z, x1, y0, z, x1, y1, z, x0, y1, z});
    }

    static PlanarContour rectangle(double x0, double y0, double x1, double y1, double z) {
        return rectangle(x0, y0, x1, y1, z, ContourType.CLOSED_PLANAR);
    }

    /** Clockwise when {@code clockwise}, else counter-clockwise (in patient x-y). */
    static PlanarContour circle(double cx, double cy, double r, double z, int points, boolean clockwise) {
        double[] p = new double[3 * points];
        for (int q = 0; q < points; q++) {
            double a = 2 * Math.PI * q / points * (clockwise ? -1 : 1);
            p[3 * q] = cx + r * Math.cos(a);
            p[3 * q + 1] = cy + r * Math.sin(a);
            p[3 * q + 2] = z;
        }
        return new PlanarContour(ContourType.CLOSED_PLANAR, p);
    }

    /** Area of the polygon a circle(...) call makes. */
    static double circleArea(double r, int points) {
        return 0.5 * points * r * r * Math.sin(2 * Math.PI / points);
    }

    static Structure structure(String name, List<PlanarContour> contours) {
        return new Structure(1, name, "ORGAN", null, "1.2.3", contours);
    }

    /** The same contour on planes z0, z0+dz, ... */
    static List<PlanarContour> stack(java.util.function.DoubleFunction<PlanarContour> at, double z0, double dz, int planes) {
        List<PlanarContour> out = new ArrayList<>();
        for (int q = 0; q < planes; q++) {
            out.add(at.apply(z0 + q * dz));
        }
        return out;
    }
}
