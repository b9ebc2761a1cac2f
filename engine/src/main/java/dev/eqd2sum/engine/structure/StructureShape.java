package dev.eqd2sum.engine.structure;

import dev.eqd2sum.engine.geometry.GridGeometry;
import java.util.Arrays;
import java.util.List;

/**
 * A structure as a solid in one grid's index space: its contour planes and the slabs they own, by the rasteriser's
 * rules ({@link Rasteriser#rasterise}), made on the first question. What the alpha/beta and target maps ask of the
 * few voxels two structures share where their occupancies alone cannot tell whether the union covers half of them
 * ({@link #unionCoverage}).
 */
public final class StructureShape {
    /** Each band between neighbouring vertex heights is read at the middles of this many equal parts. */
    static final int PARTS_PER_BAND = 4;

    private final Structure structure;
    private final GridGeometry grid;
    private final RasterOptions options;
    private volatile List<Rasteriser.Plane> planes;

    private StructureShape(Structure structure, GridGeometry grid, RasterOptions options) {
        this.structure = structure;
        this.grid = grid;
        this.options = options;
    }

    /** Made on the first question: creating one costs nothing. */
    public static StructureShape of(Structure structure, GridGeometry grid, RasterOptions options) {
        return new StructureShape(structure, grid, options);
    }

    private List<Rasteriser.Plane> planes() {
        List<Rasteriser.Plane> p = planes;
        if (p == null) {
            synchronized (this) {
                if (planes == null) {
                    planes = Rasteriser.slabs(structure, grid, options);
                }
                p = planes;
            }
        }
        return p;
    }

    /**
     * The fraction of voxel (i, j, k) that lies in at least one of the shapes. Along k it is exact: the voxel is cut
     * at every slab end of the shapes inside it, and each part has one region per shape. In a part, the union's
     * width along i is exact on every line (the regions' crossings cut it, and each piece is tested at its middle);
     * along j the pixel is cut at every vertex height of the regions, and each band is read at the middles of
     * {@value #PARTS_PER_BAND} equal parts (exact where the width changes linearly within a band, as it does
     * unless two outlines cross inside it).
     */
    public static double unionCoverage(List<StructureShape> shapes, int i, int j, int k) {
        double z0 = k - 0.5, z1 = k + 0.5;
        double[] cuts = new double[2];
        int n = 0;
        cuts[n++] = z0;
        cuts[n++] = z1;
        for (StructureShape s : shapes) {
            for (Rasteriser.Plane p : s.planes()) {
                for (double end : new double[] {p.lo, p.hi}) {
                    if (end > z0 && end < z1) {
                        cuts = n == cuts.length ? Arrays.copyOf(cuts, 2 * n) : cuts;
                        cuts[n++] = end;
                    }
                }
            }
        }
        Arrays.sort(cuts, 0, n);
        PlaneRegion[] regions = new PlaneRegion[shapes.size()];
        double covered = 0;
        for (int c = 0; c + 1 < n; c++) {
            double length = cuts[c + 1] - cuts[c];
            if (length <= 0) {
                continue;
            }
            double zm = 0.5 * (cuts[c] + cuts[c + 1]);
            int count = 0;
            for (StructureShape s : shapes) {
                PlaneRegion r = s.regionAt(zm);
                if (r != null) {
                    regions[count++] = r;
                }
            }
            if (count > 0) {
                covered += length * inPlaneUnion(regions, count, i, j);
            }
        }
        return covered;
    }

    /** The fraction of pixel (i, j) in at least one of the regions (see {@link #unionCoverage}). */
    private static double inPlaneUnion(PlaneRegion[] regions, int count, int i, int j) {
        double x0 = i - 0.5, x1 = i + 0.5, y0 = j - 0.5, y1 = j + 0.5;
        int vertices = 2;
        int edges = 2;
        for (int r = 0; r < count; r++) {
            vertices += regions[r].vertices.length / 2;
            edges += regions[r].edgeCount();
        }
        double[] heights = new double[vertices];
        int h = 0;
        heights[h++] = y0;
        heights[h++] = y1;
        for (int r = 0; r < count; r++) {
            double[] v = regions[r].vertices;
            for (int q = 1; q < v.length; q += 2) {
                if (v[q] > y0 && v[q] < y1) {
                    heights[h++] = v[q];
                }
            }
        }
        Arrays.sort(heights, 0, h);
        double[] xs = new double[edges];
        double area = 0;
        for (int b = 0; b + 1 < h; b++) {
            double band = heights[b + 1] - heights[b];
            if (band <= 0) {
                continue;
            }
            for (int part = 0; part < PARTS_PER_BAND; part++) {
                double y = heights[b] + (part + 0.5) * band / PARTS_PER_BAND;
                int m = 0;
                xs[m++] = x0;
                xs[m++] = x1;
                for (int r = 0; r < count; r++) {
                    m = regions[r].crossingsWithin(y, x0, x1, xs, m);
                }
                Arrays.sort(xs, 0, m);
                double width = 0;
                for (int q = 0; q + 1 < m; q++) {
                    double xm = 0.5 * (xs[q] + xs[q + 1]);
                    for (int r = 0; r < count; r++) {
                        if (regions[r].contains(xm, y)) {
                            width += xs[q + 1] - xs[q];
                            break;
                        }
                    }
                }
                area += width * band / PARTS_PER_BAND;
            }
        }
        return area;
    }

    /** The region of the plane whose slab [lo, hi) holds z, or null (beyond the ends, or in a skipped-plane gap). */
    private PlaneRegion regionAt(double z) {
        for (Rasteriser.Plane p : planes()) {
            if (p.lo <= z && z < p.hi) {
                return p.region;
            }
        }
        return null;
    }
}
