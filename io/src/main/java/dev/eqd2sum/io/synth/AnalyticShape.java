package dev.eqd2sum.io.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * A solid with a closed-form outline, for phantoms with known answers (Nelms et al. 2015, "Methods,
 * software and datasets to verify DVH calculations against analytical values"). Axial sections are
 * polygons with their vertices on the true outline (inscribed), so the contoured shape lies inside
 * the analytic one.
 */
public sealed interface AnalyticShape {
    /** Direction of a cylinder's or cone's axis. */
    enum Axis { X, Z }

    /** Short name, e.g. "Sphere_R12" or "ConeX_R12_H24". */
    String name();

    double volumeMm3();

    /** Bounding box {xmin, ymin, zmin, xmax, ymax, zmax} in patient mm. */
    double[] boundsMm();

    /** Length of the shape's intersection with the line through (., y, z) parallel to x (mm); the shape is convex. */
    double chordAlongXMm(double y, double z);

    /** The axial section at z as polygons (x,y interleaved, mm), segments no longer than maxSegmentMm; empty when none. */
    List<double[]> sectionAtZ(double z, double maxSegmentMm);

    /** A sphere of radius r centred at c. */
    record Sphere(double[] centreMm, double radiusMm) implements AnalyticShape {
        public String name() {
            return "Sphere_R" + fmt(radiusMm);
        }

        public double volumeMm3() {
            return 4.0 / 3.0 * Math.PI * radiusMm * radiusMm * radiusMm;
        }

        public double[] boundsMm() {
            double r = radiusMm;
            return new double[] {centreMm[0] - r, centreMm[1] - r, centreMm[2] - r, centreMm[0] + r, centreMm[1] + r, centreMm[2] + r};
        }

        public double chordAlongXMm(double y, double z) {
            double dy = y - centreMm[1], dz = z - centreMm[2];
            double h2 = radiusMm * radiusMm - dy * dy - dz * dz;
            return h2 > 0 ? 2 * Math.sqrt(h2) : 0;
        }

        public List<double[]> sectionAtZ(double z, double maxSegmentMm) {
            double dz = z - centreMm[2];
            double r2 = radiusMm * radiusMm - dz * dz;
            return r2 > 0 ? List.of(circle(centreMm[0], centreMm[1], Math.sqrt(r2), maxSegmentMm)) : List.of();
        }
    }

    /** An ellipsoid with semi-axes a (x), b (y), c (z) centred at c. */
    record Ellipsoid(double[] centreMm, double aMm, double bMm, double cMm) implements AnalyticShape {
        public String name() {
            return "Ellipsoid_" + fmt(aMm) + "x" + fmt(bMm) + "x" + fmt(cMm);
        }

        public double volumeMm3() {
            return 4.0 / 3.0 * Math.PI * aMm * bMm * cMm;
        }

        public double[] boundsMm() {
            return new double[] {centreMm[0] - aMm, centreMm[1] - bMm, centreMm[2] - cMm,
                    centreMm[0] + aMm, centreMm[1] + bMm, centreMm[2] + cMm};
        }

        public double chordAlongXMm(double y, double z) {
            double dy = (y - centreMm[1]) / bMm, dz = (z - centreMm[2]) / cMm;
            double s = 1 - dy * dy - dz * dz;
            return s > 0 ? 2 * aMm * Math.sqrt(s) : 0;
        }

        public List<double[]> sectionAtZ(double z, double maxSegmentMm) {
            double dz = (z - centreMm[2]) / cMm;
            double s = 1 - dz * dz;
            if (s <= 0) {
                return List.of();
            }
            double f = Math.sqrt(s);
            return List.of(ellipse(centreMm[0], centreMm[1], aMm * f, bMm * f, maxSegmentMm));
        }
    }

    /** A right circular cylinder of radius r and height h along x or z, centred at c. */
    record Cylinder(Axis axis, double[] centreMm, double radiusMm, double heightMm) implements AnalyticShape {
        public String name() {
            return "Cylinder" + axis + "_R" + fmt(radiusMm) + "_H" + fmt(heightMm);
        }

        public double volumeMm3() {
            return Math.PI * radiusMm * radiusMm * heightMm;
        }

        public double[] boundsMm() {
            double r = radiusMm, h = heightMm / 2;
            double ex = axis == Axis.X ? h : r, ez = axis == Axis.Z ? h : r;
            return new double[] {centreMm[0] - ex, centreMm[1] - r, centreMm[2] - ez, centreMm[0] + ex, centreMm[1] + r, centreMm[2] + ez};
        }

        public double chordAlongXMm(double y, double z) {
            double dy = y - centreMm[1], dz = z - centreMm[2];
            if (axis == Axis.X) {
                return dy * dy + dz * dz < radiusMm * radiusMm ? heightMm : 0;
            }
            if (Math.abs(dz) >= heightMm / 2) {
                return 0;
            }
            double h2 = radiusMm * radiusMm - dy * dy;
            return h2 > 0 ? 2 * Math.sqrt(h2) : 0;
        }

        public List<double[]> sectionAtZ(double z, double maxSegmentMm) {
            double dz = z - centreMm[2];
            if (axis == Axis.Z) {
                return Math.abs(dz) < heightMm / 2 ? List.of(circle(centreMm[0], centreMm[1], radiusMm, maxSegmentMm)) : List.of();
            }
            double w2 = radiusMm * radiusMm - dz * dz;
            if (w2 <= 0) {
                return List.of();
            }
            double w = Math.sqrt(w2), x0 = centreMm[0] - heightMm / 2, x1 = centreMm[0] + heightMm / 2;
            return List.of(new double[] {x0, centreMm[1] - w, x1, centreMm[1] - w, x1, centreMm[1] + w, x0, centreMm[1] + w});
        }
    }

    /** A right circular cone of base radius r and height h along +x or +z: base at centre - h/2, apex at centre + h/2. */
    record Cone(Axis axis, double[] centreMm, double radiusMm, double heightMm) implements AnalyticShape {
        public String name() {
            return "Cone" + axis + "_R" + fmt(radiusMm) + "_H" + fmt(heightMm);
        }

        public double volumeMm3() {
            return Math.PI * radiusMm * radiusMm * heightMm / 3;
        }

        public double[] boundsMm() {
            double r = radiusMm, h = heightMm / 2;
            double ex = axis == Axis.X ? h : r, ez = axis == Axis.Z ? h : r;
            return new double[] {centreMm[0] - ex, centreMm[1] - r, centreMm[2] - ez, centreMm[0] + ex, centreMm[1] + r, centreMm[2] + ez};
        }

        public double chordAlongXMm(double y, double z) {
            double dy = y - centreMm[1], dz = z - centreMm[2];
            if (axis == Axis.X) {
                double rho = Math.sqrt(dy * dy + dz * dz);
                return rho < radiusMm ? heightMm * (1 - rho / radiusMm) : 0;
            }
            double t = (dz + heightMm / 2) / heightMm;
            if (t <= 0 || t >= 1) {
                return 0;
            }
            double r = radiusMm * (1 - t);
            double h2 = r * r - dy * dy;
            return h2 > 0 ? 2 * Math.sqrt(h2) : 0;
        }

        public List<double[]> sectionAtZ(double z, double maxSegmentMm) {
            double dz = z - centreMm[2];
            if (axis == Axis.Z) {
                double t = (dz + heightMm / 2) / heightMm;
                return t > 0 && t < 1 ? List.of(circle(centreMm[0], centreMm[1], radiusMm * (1 - t), maxSegmentMm)) : List.of();
            }
            double w2 = radiusMm * radiusMm - dz * dz;
            if (w2 <= 0) {
                return List.of();
            }
            // base edge at x0, then the hyperbolic outline x = x0 + h (1 - sqrt(y^2 + z^2) / r) back down;
            // that outline is concave in y, so chords between its points stay inside
            double w = Math.sqrt(w2), x0 = centreMm[0] - heightMm / 2;
            int m = 2 * Math.max(32, (int) Math.ceil((w + heightMm) / maxSegmentMm));
            List<Double> pts = new ArrayList<>();
            pts.add(x0);
            pts.add(centreMm[1] - w);
            for (int q = m; q >= 0; q--) {
                double dy = -w + 2 * w * q / m;
                if (q == m / 2) {
                    dy = 0; // the tip of the outline at y = 0 when z is on the axis
                }
                pts.add(x0 + heightMm * (1 - Math.sqrt(dy * dy + dz * dz) / radiusMm));
                pts.add(centreMm[1] + dy);
            }
            pts.remove(pts.size() - 1);
            pts.remove(pts.size() - 1); // the last curve point is the first base corner again
            double[] out = new double[pts.size()];
            for (int q = 0; q < out.length; q++) {
                out[q] = pts.get(q);
            }
            return List.of(out);
        }
    }

    private static double[] circle(double cx, double cy, double r, double maxSegmentMm) {
        return ellipse(cx, cy, r, r, maxSegmentMm);
    }

    private static double[] ellipse(double cx, double cy, double a, double b, double maxSegmentMm) {
        double perimeter = Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b))); // Ramanujan
        int n = Math.max(16, (int) Math.ceil(perimeter / maxSegmentMm));
        double[] p = new double[2 * n];
        for (int q = 0; q < n; q++) {
            double t = 2 * Math.PI * q / n;
            p[2 * q] = cx + a * Math.cos(t);
            p[2 * q + 1] = cy + b * Math.sin(t);
        }
        return p;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
