package dev.eqd2sum.engine.structure;

import java.util.Arrays;

/**
 * The in-plane coverage of one contour plane on the grid's pixels: for each pixel the exact fraction
 * of its area inside the region, plus which of its n x n sub-sample points ({@link #sampleOffset})
 * lie inside.
 *
 * <p>Each pixel row is cut into bands at the heights where the inside intervals stop changing
 * linearly (edge ends, and edge crossings where contours overlap). Within a band every inside
 * interval is a trapezoid between two edges, and its area per pixel is accumulated the way
 * anti-aliased font rasterisers do it (signed-area accumulation into a running-sum buffer, as in
 * Raph Levien's font-rs and stb_truetype's v2 rasteriser): the left edge adds, the right edge
 * subtracts, the area right of an edge inside the column it crosses goes to {@code part}, the full
 * height to a difference buffer for the columns beyond; one prefix sum per row gives the coverage.
 * The result is exact up to rounding, whatever the union, hole or XOR rule made of the contours.
 * Parts of the region outside the grid count in {@link #totalArea} only.
 */
final class PlaneRaster {
    /** Coverage at or below this is empty, at or above 1 - this full. */
    static final double EPS = 1e-6;
    /**
     * A sub-sample this close to the outline (pixels) is on it, hence inside. Decimal geometry puts edges exactly
     * on sub-sample centres (which lie on eighths of a pixel: a 2.5 mm grid and contour points on 0.3125 mm
     * multiples); the transform into grid indices leaves them a few ulps either side, and without this margin the
     * last bit of the grid's origin decided whether such a point, and its share of the volume, was counted.
     */
    static final double ON_OUTLINE = 1e-9;

    /** Pixel box inside the grid that the region touches: columns i0..i0+width-1, rows j0..j0+height-1. */
    final int i0, j0, width, height;
    /** Coverage per pixel of the box, row-major. */
    final float[] coverage;
    /**
     * For partially covered pixels: bit r*n+c set when sub-sample (c, r) lies inside; or, when all
     * miss the region (a sliver), a point of the outline within the pixel ({@link #isWitness},
     * {@link #witnessDx}, {@link #witnessDy}: points on the outline count as inside, DOMAIN.md);
     * 0 when there is neither (coverage of rounding size).
     */
    final int[] sampleMask;
    /**
     * For partially covered pixels, one bit per pixel of the box (row-major): the pixel's centre lies inside or on
     * the outline, by the sub-samples' rule. A trilinear dose's extremes lie on grid nodes, which are these centres.
     */
    private final long[] centreInside;
    /** Area of the whole region and of its part inside the grid, in pixels. */
    final double totalArea, insideArea;

    private PlaneRaster(int i0, int j0, int width, int height, float[] coverage, int[] sampleMask,
                        long[] centreInside, double totalArea, double insideArea) {
        this.i0 = i0;
        this.j0 = j0;
        this.width = width;
        this.height = height;
        this.coverage = coverage;
        this.sampleMask = sampleMask;
        this.centreInside = centreInside;
        this.totalArea = totalArea;
        this.insideArea = insideArea;
    }

    /** Whether the centre of pixel (i, j) of the grid lies inside the region or on its outline. */
    boolean centreInside(int i, int j) {
        float c = coverageAt(i, j);
        if (c >= 1f) {
            return true;
        }
        if (c <= 0f) {
            return false;
        }
        int b = (i - i0) + width * (j - j0);
        return (centreInside[b >>> 6] & (1L << b)) != 0;
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
        long[] centres = new long[(w * h + 63) >>> 6];
        double[] point = new double[2];
        double[] diff = new double[w + 1];
        double[] part = new double[w];
        double[] iv = new double[region.maxIntervalValues()];
        // per sample row: the closed region's intervals at its height, and ON_OUTLINE above and below it
        double[][][] sampleRows = new double[4][n][region.maxIntervalValues()];
        int[][] sampleRowCount = new int[4][n];
        // the same four lists at the pixel centres' height (a row of its own: no sub-sample row is there when n is even)
        double[][][] centreRow = new double[4][1][(n & 1) == 1 ? 0 : region.maxIntervalValues()];
        int[][] centreRowCount = new int[4][1];
        double left = ci0 - 0.5, right = ci1 + 0.5;
        double total = 0, inside = 0;
        int[] ivEdges = new int[region.maxIntervalValues()];
        double[] events = new double[16];
        region.resetScan();
        for (int j = rowFirst; j <= rowLast; j++) {
            double yLo = j - 0.5, yHi = j + 0.5;
            region.advanceTo(yLo, yHi);
            boolean rowOnGrid = any && j >= cj0 && j <= cj1;
            if (events.length < region.maxEventsInBand() + 2) {
                events = new double[region.maxEventsInBand() + 2];
            }
            int ne = region.eventsWithin(yLo, yHi, events);
            events[ne++] = yLo;
            events[ne++] = yHi;
            Arrays.sort(events, 0, ne);
            // between consecutive events every inside interval is a trapezoid bounded by two fixed edges
            for (int b = 0; b + 1 < ne; b++) {
                double ya = events[b], yb = events[b + 1];
                if (yb - ya <= 1e-12) {
                    continue;
                }
                int cnt = region.intervalEdgesAt(0.5 * (ya + yb), iv, ivEdges);
                for (int q = 0; q < cnt; q += 2) {
                    total += (iv[q + 1] - iv[q]) * (yb - ya);
                    if (rowOnGrid) {
                        accumulateEdge(region, ivEdges[q], ya, yb, 1.0, left, right, part, diff, w);
                        accumulateEdge(region, ivEdges[q + 1], ya, yb, -1.0, left, right, part, diff, w);
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
                    double y = j + sampleOffset(r, n);
                    sampleRowCount[0][r] = region.intervalsAt(y, sampleRows[0][r]);
                    sampleRowCount[1][r] = region.upperIntervalsAt(y, sampleRows[1][r]);
                    sampleRowCount[2][r] = region.intervalsAt(y + ON_OUTLINE, sampleRows[2][r]);
                    sampleRowCount[3][r] = region.upperIntervalsAt(y - ON_OUTLINE, sampleRows[3][r]);
                }
                if ((n & 1) == 1) {
                    // an odd n has a sample row at the centres' height: the same four lists
                    for (int v = 0; v < 4; v++) {
                        centreRow[v][0] = sampleRows[v][(n - 1) / 2];
                        centreRowCount[v][0] = sampleRowCount[v][(n - 1) / 2];
                    }
                } else {
                    centreRowCount[0][0] = region.intervalsAt(j, centreRow[0][0]);
                    centreRowCount[1][0] = region.upperIntervalsAt(j, centreRow[1][0]);
                    centreRowCount[2][0] = region.intervalsAt(j + ON_OUTLINE, centreRow[2][0]);
                    centreRowCount[3][0] = region.upperIntervalsAt(j - ON_OUTLINE, centreRow[3][0]);
                }
                for (int p = 0; p < w; p++) {
                    float c = cov[rowBase + p];
                    if (c > 0f && c < 1f) {
                        int i = ci0 + p;
                        int mask = 0;
                        for (int r = 0; r < n; r++) {
                            for (int s = 0; s < n; s++) {
                                double x = i + sampleOffset(s, n);
                                if (insideOrOnOutline(x, sampleRows, sampleRowCount, r)) {
                                    mask |= 1 << (r * n + s);
                                }
                            }
                        }
                        masks[rowBase + p] = mask;
                        if (insideOrOnOutline(i, centreRow, centreRowCount, 0)) {
                            int b = rowBase + p;
                            centres[b >>> 6] |= 1L << b;
                        }
                        if (mask == 0) {
                            // a sliver between the sub-samples: a point of the outline inside the pixel
                            if (region.pointOnOutlineWithin(i - 0.5, i + 0.5, j - 0.5, j + 0.5, point)
                                    || pointInBandsWithin(region, i, j, iv, point)) {
                                masks[rowBase + p] = encodeWitness(point[0] - i, point[1] - j);
                            } // else: a coverage of rounding size, left without samples
                        }
                    }
                }
            }
        }
        return new PlaneRaster(ci0, cj0, w, h, cov, masks, centres, total, inside);
    }

    /**
     * Adds the area to the right of one edge, between heights ya and yb, to the row's buffers:
     * the part inside the column the edge passes through to {@code part}, and the full height to
     * {@code diff} for every column further right (font-rs's accumulation). The edge is clamped to
     * the grid's columns, which clips the trapezoids it bounds exactly.
     */
    private static void accumulateEdge(PlaneRegion region, int e, double ya, double yb, double sign,
                                       double left, double right, double[] part, double[] diff, int w) {
        double xa = region.xAt(e, ya) - left, xb = region.xAt(e, yb) - left;
        double span = right - left;
        double dyAll = (yb - ya) * sign;
        if (xa >= 0 && xb >= 0 && xa <= span && xb <= span) {
            segment(xa, xb, dyAll, part, diff, w); // the usual case: within the grid's columns
            return;
        }
        // split where the edge leaves the grid's column range, so each piece is linear after clamping
        double t1 = 2, t2 = 2;
        if ((xa < 0) != (xb < 0)) {
            t1 = -xa / (xb - xa);
        }
        if ((xa > span) != (xb > span)) {
            t2 = (span - xa) / (xb - xa);
        }
        double ta = Math.min(t1, t2), tb = Math.max(t1, t2);
        double prev = 0;
        for (double t : new double[] {ta, tb, 1}) {
            if (t > 1 || t <= prev) {
                continue;
            }
            double x0 = Math.min(span, Math.max(0, xa + prev * (xb - xa)));
            double x1 = Math.min(span, Math.max(0, xa + t * (xb - xa)));
            segment(x0, x1, (t - prev) * dyAll, part, diff, w);
            prev = t;
        }
    }

    /** One linear piece from x0 to x1 (local column units, within [0, w]) covering height dy. */
    private static void segment(double x0, double x1, double dy, double[] part, double[] diff, int w) {
        double lo = Math.min(x0, x1), hi = Math.max(x0, x1);
        int c0 = Math.min((int) lo, w - 1), c1 = Math.min((int) hi, w - 1);
        if (c0 == c1 || hi - lo < 1e-15) {
            part[c0] += dy * (c0 + 1 - 0.5 * (lo + hi));
            diff[c0 + 1] += dy;
            return;
        }
        double perX = dy / (hi - lo);
        for (int c = c0; c <= c1; c++) {
            double a = Math.max(lo, c), b = Math.min(hi, c + 1);
            if (b <= a) {
                continue;
            }
            double d = perX * (b - a);
            part[c] += d * (c + 1 - 0.5 * (a + b));
            diff[c + 1] += d;
        }
    }

    /**
     * A point inside the region within pixel (i, j), for the pixels no sloped edge crosses (the
     * region enters them across a horizontal edge): the middle of an inside interval's part within
     * the pixel, at the middle height of a band of the row.
     */
    private static boolean pointInBandsWithin(PlaneRegion region, int i, int j, double[] iv, double[] out) {
        double[] events = new double[region.maxEventsInBand() + 2];
        int ne = region.eventsWithin(j - 0.5, j + 0.5, events);
        events[ne++] = j - 0.5;
        events[ne++] = j + 0.5;
        Arrays.sort(events, 0, ne);
        for (int b = 0; b + 1 < ne; b++) {
            double y = 0.5 * (events[b] + events[b + 1]);
            int cnt = region.intervalsAt(y, iv);
            for (int q = 0; q < cnt; q += 2) {
                double a = Math.max(iv[q], i - 0.5), c = Math.min(iv[q + 1], i + 0.5);
                if (c > a) {
                    out[0] = 0.5 * (a + c);
                    out[1] = y;
                    return true;
                }
            }
        }
        return false;
    }

    /** A witness point's offsets from the pixel centre, quantised to 1/32767 pixel, in a mask word with its sign bit set. */
    static int encodeWitness(double dx, double dy) {
        int qx = (int) Math.round((Math.max(-0.5, Math.min(0.5, dx)) + 0.5) * 32767);
        int qy = (int) Math.round((Math.max(-0.5, Math.min(0.5, dy)) + 0.5) * 32767);
        return Integer.MIN_VALUE | (qx << 15) | qy;
    }

    static boolean isWitness(int mask) {
        return mask < 0;
    }

    static float witnessDx(int mask) {
        return (float) (((mask >>> 15) & 0x7FFF) / 32767.0 - 0.5);
    }

    static float witnessDy(int mask) {
        return (float) ((mask & 0x7FFF) / 32767.0 - 0.5);
    }

    /** Position of sub-sample c of n along a voxel edge, as an offset from the voxel centre: the centres of n equal cells. */
    static double sampleOffset(int c, int n) {
        return (c + 0.5) / n - 0.5;
    }

    /**
     * Whether a sub-sample at x on sample row r lies in the region or within ON_OUTLINE of its outline (points on
     * the outline count as inside, DOMAIN.md), from the row's four interval lists.
     */
    private static boolean insideOrOnOutline(double x, double[][][] rows, int[][] counts, int r) {
        for (int v = 0; v < rows.length; v++) {
            if (within(x, rows[v][r], counts[v][r])) {
                return true;
            }
        }
        return false;
    }

    private static boolean within(double x, double[] intervals, int count) {
        for (int q = 0; q < count; q += 2) {
            if (x >= intervals[q] - ON_OUTLINE && x <= intervals[q + 1] + ON_OUTLINE) {
                return true;
            }
        }
        return false;
    }
}
