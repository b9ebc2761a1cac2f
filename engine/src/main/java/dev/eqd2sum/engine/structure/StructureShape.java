package dev.eqd2sum.engine.structure;

import dev.eqd2sum.engine.geometry.GridGeometry;
import java.util.List;

/**
 * A structure as a solid in one grid's index space, for questions about points: its contour planes and the slabs
 * they own, by the rasteriser's rules ({@link Rasteriser#rasterise}), made on the first question. What the
 * alpha/beta and target maps ask of the few voxels where two structures share a voxel and their occupancies alone
 * cannot tell whether the union covers half of it.
 */
public final class StructureShape {
    private final Structure structure;
    private final GridGeometry grid;
    private final RasterOptions options;
    private List<Rasteriser.Plane> planes;
    private double[] crossX;
    private int[] crossD;

    private StructureShape(Structure structure, GridGeometry grid, RasterOptions options) {
        this.structure = structure;
        this.grid = grid;
        this.options = options;
    }

    /** Made on the first question: creating one costs nothing. */
    public static StructureShape of(Structure structure, GridGeometry grid, RasterOptions options) {
        return new StructureShape(structure, grid, options);
    }

    /**
     * Marks, in {@code inside}, the points of an m x m x m lattice over voxel (i, j, k) that lie inside the
     * structure (point (a, b, c) at index a + m * (b + m * c), at the centres of the lattice's cells).
     */
    public synchronized void markInside(int i, int j, int k, int m, boolean[] inside) {
        if (planes == null) {
            planes = Rasteriser.slabs(structure, grid, options);
            int edges = 0;
            for (Rasteriser.Plane p : planes) {
                edges = Math.max(edges, p.region.edgeCount());
            }
            crossX = new double[edges + 1];
            crossD = new int[edges + 1];
        }
        double[] xs = new double[m];
        for (int a = 0; a < m; a++) {
            xs[a] = i - 0.5 + (a + 0.5) / m;
        }
        for (int c = 0; c < m; c++) {
            PlaneRegion region = regionAt(k - 0.5 + (c + 0.5) / m);
            if (region == null) {
                continue;
            }
            for (int b = 0; b < m; b++) {
                region.markInside(j - 0.5 + (b + 0.5) / m, xs, m, inside, m * (b + m * c), crossX, crossD);
            }
        }
    }

    /** The region of the plane whose slab [lo, hi) holds z, or null (beyond the ends, or in a skipped-plane gap). */
    private PlaneRegion regionAt(double z) {
        for (Rasteriser.Plane p : planes) {
            if (p.lo <= z && z < p.hi) {
                return p.region;
            }
        }
        return null;
    }
}
