package dev.eqd2sum.engine.structure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The contour planes of a whole structure set (in practice the CT slices it was drawn on): their
 * positions along the common plane normal and their median spacing. The rasteriser needs them for
 * two rules: a single-plane structure is given the median spacing as its thickness (CONTRACT,
 * {@code endCaps}), and a structure that skips planes the set has (two separate parts of one
 * structure) is not stretched across the gap.
 *
 * @param normal           unit normal of the contour planes (patient axes), largest component positive
 * @param positionsMm      distinct plane positions along {@code normal} (mm), ascending
 * @param medianSpacingMm  median gap between consecutive positions, NaN when there are fewer than two
 */
public record StructureSetPlanes(double[] normal, double[] positionsMm, double medianSpacingMm) {
    /** Planes closer than this are the same plane (DICOM decimal strings round to ~0.01 mm). */
    public static final double SAME_PLANE_MM = 0.05;
    /**
     * Decimal positions exactly SAME_PLANE_MM apart (-7.209 and -7.159) differ by 0.05 only up to rounding, which
     * went either way with how a contour's mean was summed; such planes are two, by this margin.
     */
    static final double ROUNDING_MM = 1e-9;

    /** Whether planes {@code gapMm} apart are one plane: closer than SAME_PLANE_MM, rounding aside. */
    public static boolean samePlane(double gapMm) {
        return Math.abs(gapMm) < SAME_PLANE_MM - ROUNDING_MM;
    }

    public StructureSetPlanes {
        normal = normal.clone();
        positionsMm = positionsMm.clone();
    }

    /** No structure-set information: single-plane structures then get the output grid's slice spacing. */
    public static StructureSetPlanes none() {
        return new StructureSetPlanes(new double[] {0, 0, 1}, new double[0], Double.NaN);
    }

    /** Collects the closed contours' planes of all structures. The normal is that of the first contour with an area. */
    public static StructureSetPlanes of(List<Structure> structures) {
        double[] normal = null;
        for (Structure s : structures) {
            for (PlanarContour c : s.contours()) {
                if (c.type().enclosesVolume()) {
                    normal = newellNormal(c.pointsMm());
                    if (normal != null) {
                        break;
                    }
                }
            }
            if (normal != null) {
                break;
            }
        }
        if (normal == null) {
            return none();
        }
        List<Double> positions = new ArrayList<>();
        for (Structure s : structures) {
            for (PlanarContour c : s.contours()) {
                if (c.type().enclosesVolume() && c.pointCount() > 0) {
                    double[] p = c.pointsMm();
                    double sum = 0;
                    for (int q = 0; q < p.length; q += 3) {
                        sum += p[q] * normal[0] + p[q + 1] * normal[1] + p[q + 2] * normal[2];
                    }
                    positions.add(sum / c.pointCount());
                }
            }
        }
        double[] sorted = positions.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] distinct = distinct(sorted);
        return new StructureSetPlanes(normal, distinct, medianGap(distinct));
    }

    static double[] distinct(double[] sorted) {
        double[] out = new double[sorted.length];
        int n = 0;
        int groupStart = 0;
        for (int q = 1; q <= sorted.length; q++) {
            if (q == sorted.length || !samePlane(sorted[q] - sorted[q - 1])) {
                double sum = 0;
                for (int r = groupStart; r < q; r++) {
                    sum += sorted[r];
                }
                out[n++] = sum / (q - groupStart);
                groupStart = q;
            }
        }
        return Arrays.copyOf(out, n);
    }

    static double medianGap(double[] distinctSorted) {
        if (distinctSorted.length < 2) {
            return Double.NaN;
        }
        double[] gaps = new double[distinctSorted.length - 1];
        for (int q = 0; q < gaps.length; q++) {
            gaps[q] = distinctSorted[q + 1] - distinctSorted[q];
        }
        Arrays.sort(gaps);
        int m = gaps.length / 2;
        return gaps.length % 2 == 1 ? gaps[m] : 0.5 * (gaps[m - 1] + gaps[m]);
    }

    /** Newell's method: a robust normal of a possibly non-convex planar polygon; null when it has no area. */
    static double[] newellNormal(double[] p) {
        int n = p.length / 3;
        double nx = 0, ny = 0, nz = 0;
        for (int a = 0; a < n; a++) {
            int b = (a + 1) % n;
            double ax = p[3 * a], ay = p[3 * a + 1], az = p[3 * a + 2];
            double bx = p[3 * b], by = p[3 * b + 1], bz = p[3 * b + 2];
            nx += (ay - by) * (az + bz);
            ny += (az - bz) * (ax + bx);
            nz += (ax - bx) * (ay + by);
        }
        double len = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (!(len > 1e-9)) {
            return null;
        }
        double[] v = {nx / len, ny / len, nz / len};
        int big = Math.abs(v[0]) >= Math.abs(v[1]) ? (Math.abs(v[0]) >= Math.abs(v[2]) ? 0 : 2)
                : (Math.abs(v[1]) >= Math.abs(v[2]) ? 1 : 2);
        if (v[big] < 0) {
            v[0] = -v[0];
            v[1] = -v[1];
            v[2] = -v[2];
        }
        return v;
    }
}
