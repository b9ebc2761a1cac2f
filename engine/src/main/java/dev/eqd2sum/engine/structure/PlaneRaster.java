package dev.eqd2sum.engine.structure;

import java.util.HashMap;
import java.util.Map;

/**
 * The in-plane coverage of one contour plane on the grid's pixels: for each pixel the fraction of
 * its area inside the region, plus which of its n x n sub-sample points lie inside.
 *
 * <p>Coverage is accumulated per scanline as anti-aliased font rasterisers do it (signed-area
 * accumulation into a running-sum buffer, as in Raph Levien's font-rs and stb_truetype's v2
 * rasteriser): each inside interval adds its exact horizontal extent to the two pixels holding its
 * ends and a +h/-h pair to a difference buffer for the pixels it spans whole; one prefix sum per row
 * then gives the coverage. Horizontally this is exact; vertically each pixel row is integrated with
 * {@link #SUBSCANLINES} midpoint scanlines, which is exact wherever no vertex lies in a sub-strip
 * (the inside length is linear in y there), so the error is confined to vertices and is far below
 * the 1 % goals. Parts of the region outside the grid count in {@link #totalArea} only.
 */
final class PlaneRaster {
    static final int SUBSCANLINES = 16;
    /** Coverage at or below this is empty, at or above 1 - this full. */
    static final double EPS = 1e-6;

    /** Pixel box inside the grid that the region touches: columns i0..i0+width-1, rows j0..j0+height-1. */
    final int i0, j0, width, height;
    /** Coverage per pixel of the box, row-major. */
    final float[] coverage;
    /** For partially covered pixels: bit r*n+c set when sub-sample (c, r) lies inside. */
    final int[] sampleMask;
    /** For partially covered pixels whose sub-samples all miss the region: a point inside, in pixel offsets. */
    final Map<Integer, float[]> witness;
    /** Area of the whole region and of its part inside the grid, in pixels. */
    final double totalArea, insideArea;

    private PlaneRaster(int i0, int j0, int width, int height, float[] coverage, int[] sampleMask,
                        Map<Integer, float[]> witness, double totalArea, double insideArea) {
        this.i0 = i0;
        this.j0 = j0;
        this.width = width;
        this.height = height;
        this.coverage = coverage;
        this.sampleMask = sampleMask;
        this.witness = witness;
        this.totalArea = totalArea;
        this.insideArea = insideArea;
    }

    /** Coverage of pixel (i, j) of the grid. */
    float coverageAt(int i, int j) {
        int li = i - i0, lj = j - j0;
        if (li < 0 || lj < 0 || li >= width || lj >= height) {
            return 0f;
        }
        return coverage[li + width * lj];
    }

    /**
     * @param nx, ny     grid size in plane
     * @param n          sub-samples per pixel edge (1..4)
     * @param onGrid     false when only the total area is wanted (the plane's slab misses the grid)
     */
    static PlaneRaster of(PlaneRegion region, int nx, int ny, int n, boolean onGrid) {
        int rowFirst = (int) Math.floor(region.minY + 0.5);
        int rowLast = (int) Math.floor(region.maxY + 0.5);
        int ci0 = Math.max(0, (int) Math.floor(region.minX + 0.5));
        int ci1 = Math.min(nx - 1, (int) Math.floor(region.maxX + 0.5));
        int cj0 = Math.max(0, rowFirst);
        int cj1 = Math.min(ny - 1, rowLast);
        boolean any = onGrid && ci0 <= ci1 && cj0 <= cj1;
        int w = any ? ci1 - ci0 + 1 : 0;
        int h = any ? cj1 - cj0 + 1 : 0;
        float[] cov = new float[w * h];
        int[] masks = new int[w * h];
        Map<Integer, float[]> witness = new HashMap<>();
        double[] diff = new double[w + 1];
        double[] part = new double[w];
        double[] iv = new double[region.maxIntervalValues()];
        double[][] sampleRows = new double[n][region.maxIntervalValues()];
        int[] sampleRowCount = new int[n];
        double hStep = 1.0 / SUBSCANLINES;
        double left = ci0 - 0.5, right = ci1 + 0.5;
        double total = 0, inside = 0;
        region.resetScan();
        for (int j = rowFirst; j <= rowLast; j++) {
            region.advanceTo(j - 0.5, j + 0.5);
            boolean rowOnGrid = any && j >= cj0 && j <= cj1;
            for (int m = 0; m < SUBSCANLINES; m++) {
                double y = j - 0.5 + (m + 0.5) * hStep;
                int cnt = region.intervalsAt(y, iv);
                for (int q = 0; q < cnt; q += 2) {
                    double a = iv[q], b = iv[q + 1];
                    total += (b - a) * hStep;
                    if (!rowOnGrid) {
                        continue;
                    }
                    a = Math.max(a, left) - left;
                    b = Math.min(b, right) - left;
                    if (b <= a) {
                        continue;
                    }
                    int pa = Math.min((int) a, w - 1);
                    int pb = Math.min((int) b, w - 1);
                    if (pa == pb) {
                        part[pa] += hStep * (b - a);
                    } else {
                        part[pa] += hStep * (pa + 1 - a);
                        part[pb] += hStep * (b - pb);
                        diff[pa + 1] += hStep;
                        diff[pb] -= hStep;
                    }
                }
            }
            if (!rowOnGrid) {
                continue;
            }
            int rowBase = (j - cj0) * w;
            double run = 0;
            boolean partialInRow = false;
            for (int p = 0; p < w; p++) {
                run += diff[p];
                double c = run + part[p];
                if (c <= EPS) {
                    c = 0;
                } else if (c >= 1 - EPS) {
                    c = 1;
                } else {
                    partialInRow = true;
                }
                cov[rowBase + p] = (float) c;
                inside += c;
                diff[p] = 0;
                part[p] = 0;
            }
            diff[w] = 0;
            if (partialInRow) {
                for (int r = 0; r < n; r++) {
                    sampleRowCount[r] = region.intervalsAt(j - 0.5 + (r + 0.5) / n, sampleRows[r]);
                }
                for (int p = 0; p < w; p++) {
                    float c = cov[rowBase + p];
                    if (c > 0f && c < 1f) {
                        int i = ci0 + p;
                        int mask = 0;
                        for (int r = 0; r < n; r++) {
                            for (int s = 0; s < n; s++) {
                                if (within(i - 0.5 + (s + 0.5) / n, sampleRows[r], sampleRowCount[r])) {
                                    mask |= 1 << (r * n + s);
                                }
                            }
                        }
                        masks[rowBase + p] = mask;
                        if (mask == 0) {
                            witness.put(rowBase + p, findWitness(region, i, j, iv));
                        }
                    }
                }
            }
        }
        return new PlaneRaster(ci0, cj0, w, h, cov, masks, witness, total, inside);
    }

    private static boolean within(double x, double[] intervals, int count) {
        for (int q = 0; q < count; q += 2) {
            if (x >= intervals[q] && x <= intervals[q + 1]) {
                return true;
            }
        }
        return false;
    }

    /** A point inside the region within pixel (i, j): the middle of the widest inside piece on its sub-scanlines. */
    private static float[] findWitness(PlaneRegion region, int i, int j, double[] iv) {
        double best = -1, bx = i, by = j;
        for (int m = 0; m < SUBSCANLINES; m++) {
            double y = j - 0.5 + (m + 0.5) / SUBSCANLINES;
            int cnt = region.intervalsAt(y, iv);
            for (int q = 0; q < cnt; q += 2) {
                double a = Math.max(iv[q], i - 0.5), b = Math.min(iv[q + 1], i + 0.5);
                if (b - a > best) {
                    best = b - a;
                    bx = 0.5 * (a + b);
                    by = y;
                }
            }
        }
        return new float[] {(float) (bx - i), (float) (by - j)};
    }
}
