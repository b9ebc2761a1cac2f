package dev.eqd2sum.engine.structure;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * The region one contour plane encloses, in the grid's in-plane index coordinates (x = i, y = j),
 * answered as horizontal intervals along scanlines.
 *
 * <p>DOMAIN.md's rules for several contours on a plane: CLOSED_PLANAR contours are oriented by
 * nesting depth (even depth counter-clockwise, odd depth, a hole, clockwise), so that the winding
 * number counts "outer contours around a point minus holes around it"; a point is inside where that
 * number is positive. Partial overlaps of outer contours thereby unite (winding 2), a hole cuts only
 * what contains it, and two overlapping holes do not create material (winding -1). CLOSEDPLANAR_XOR
 * contours toggle inside/outside wherever they lie (a true XOR with the rest). Intervals are closed:
 * points on the path count as inside.
 */
final class PlaneRegion {
    private final int edgeCount;
    private final double[] ex0, ey0, ey1, slope; // edges stored upwards: ey0 < ey1, x at y = ex0 + (y - ey0) * slope
    private final double[] ex1;                  // x at ey1, exactly (the vertex)
    private final int[] delta;                  // winding change when a scanline crosses left to right; 0 = XOR toggle
    private final int[] byYMin;                 // edge indices sorted by ey0
    final double minX, maxX, minY, maxY;
    final double perimeter;
    /** Vertices of the contours that enclose area, x,y interleaved. */
    final double[] vertices;
    /**
     * Where each of those contours starts in {@link #vertices} (index of its first x), with one more entry at the
     * end: contour c is {@code vertices[contourStarts[c] .. contourStarts[c + 1])}, implicitly closed.
     */
    final int[] contourStarts;

    // scan state: edges whose y-range meets the current row band
    private int nextEdge;
    private int[] active;
    private int activeCount;
    private double[] crossX;
    private double[] crossS;
    private int[] crossD;
    private int[] crossE;
    private double[] bandLo = new double[0], bandHi = new double[0];
    private int[] bandOrder = new int[0];

    private PlaneRegion(int edgeCount, double[] ex0, double[] ex1, double[] ey0, double[] ey1, double[] slope,
                        int[] delta, double minX, double maxX, double minY, double maxY, double perimeter,
                        double[] vertices, int[] contourStarts) {
        this.edgeCount = edgeCount;
        this.ex0 = ex0;
        this.ex1 = ex1;
        this.ey0 = ey0;
        this.ey1 = ey1;
        this.slope = slope;
        this.delta = delta;
        this.minX = minX;
        this.maxX = maxX;
        this.minY = minY;
        this.maxY = maxY;
        this.perimeter = perimeter;
        this.vertices = vertices;
        this.contourStarts = contourStarts;
        this.byYMin = sortedByKey(ey0, edgeCount);
        this.active = new int[edgeCount];
        this.crossX = new double[edgeCount];
        this.crossS = new double[edgeCount];
        this.crossD = new int[edgeCount];
        this.crossE = new int[edgeCount];
    }

    /**
     * @param polygons x,y interleaved vertex lists (implicitly closed), in index units
     * @param xor      per polygon: CLOSEDPLANAR_XOR (true) or CLOSED_PLANAR (false)
     * @return the region, or null when no polygon has an area
     */
    static PlaneRegion of(List<double[]> polygons, boolean[] xor) {
        int n = polygons.size();
        double[] area = new double[n];
        boolean[] usable = new boolean[n];
        for (int a = 0; a < n; a++) {
            area[a] = signedArea(polygons.get(a));
            usable[a] = polygons.get(a).length >= 6 && Math.abs(area[a]) > 1e-12;
        }
        int[] depth = nestingDepths(polygons, xor, usable);
        int edges = 0;
        for (int a = 0; a < n; a++) {
            if (usable[a]) {
                edges += polygons.get(a).length / 2;
            }
        }
        double[] ex0 = new double[edges], ex1 = new double[edges], ey0 = new double[edges], ey1 = new double[edges];
        double[] slope = new double[edges];
        int[] delta = new int[edges];
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        double perimeter = 0;
        int e = 0;
        for (int a = 0; a < n; a++) {
            if (!usable[a]) {
                continue;
            }
            double[] p = polygons.get(a);
            int m = p.length / 2;
            // orient by depth: entering an even-depth contour adds +1, entering a hole -1
            int entering = xor[a] ? 0 : ((depth[a] % 2 == 0) ? 1 : -1) * (area[a] > 0 ? 1 : -1);
            for (int v = 0; v < m; v++) {
                int w = (v + 1) % m;
                double ax = p[2 * v], ay = p[2 * v + 1], bx = p[2 * w], by = p[2 * w + 1];
                minX = Math.min(minX, ax);
                maxX = Math.max(maxX, ax);
                minY = Math.min(minY, ay);
                maxY = Math.max(maxY, ay);
                perimeter += Math.sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
                if (ay == by) {
                    continue; // horizontal edges never cross a scanline under the half-open rule
                }
                boolean down = by < ay;
                double lx = down ? bx : ax, ly = down ? by : ay, ux = down ? ax : bx, uy = down ? ay : by;
                ex0[e] = lx;
                ex1[e] = ux;
                ey0[e] = ly;
                ey1[e] = uy;
                slope[e] = (ux - lx) / (uy - ly);
                // a counter-clockwise contour is entered (from the left) across an edge that runs downwards
                delta[e] = down ? entering : -entering;
                e++;
            }
        }
        if (e == 0) {
            return null;
        }
        double[] vertices = new double[2 * edges];
        int[] starts = new int[n + 1];
        int vc = 0, contours = 0;
        for (int a = 0; a < n; a++) {
            if (usable[a]) {
                double[] p = polygons.get(a);
                starts[contours++] = vc;
                System.arraycopy(p, 0, vertices, vc, p.length - p.length % 2);
                vc += p.length - p.length % 2;
            }
        }
        starts[contours] = vc;
        return new PlaneRegion(e, ex0, ex1, ey0, ey1, slope, delta, minX, maxX, minY, maxY, perimeter,
                java.util.Arrays.copyOf(vertices, vc), java.util.Arrays.copyOf(starts, contours + 1));
    }

    /** Indices 0..n-1 ordered by key (primitive sort of (key, index) pairs packed as sortable longs, then stable by index). */
    private static int[] sortedByKey(double[] key, int n) {
        // sort on the key's float image (order-preserving), then fix ties and float rounding by insertion
        long[] packed = new long[n];
        for (int e = 0; e < n; e++) {
            int bits = Float.floatToIntBits((float) key[e]);
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
            packed[e] = ((long) sortable << 32) | e;
        }
        Arrays.sort(packed);
        int[] order = new int[n];
        for (int e = 0; e < n; e++) {
            order[e] = (int) packed[e];
        }
        for (int e = 1; e < n; e++) { // nearly sorted: exact order on the double keys
            int v = order[e];
            int r = e - 1;
            while (r >= 0 && key[order[r]] > key[v]) {
                order[r + 1] = order[r];
                r--;
            }
            order[r + 1] = v;
        }
        return order;
    }

    /** Starts a new bottom-to-top pass over the rows. */
    void resetScan() {
        nextEdge = 0;
        activeCount = 0;
    }

    /** Moves the pass to the row band [yLo, yHi]; bands must come in ascending order. */
    void advanceTo(double yLo, double yHi) {
        int keep = 0;
        for (int q = 0; q < activeCount; q++) {
            int ed = active[q];
            if (ey1[ed] >= yLo) {
                active[keep++] = ed;
            }
        }
        activeCount = keep;
        while (nextEdge < edgeCount && ey0[byYMin[nextEdge]] <= yHi) {
            int ed = byYMin[nextEdge++];
            if (ey1[ed] >= yLo) {
                active[activeCount++] = ed;
            }
        }
    }

    /** Largest number of values {@link #intervalsAt} can write. */
    int maxIntervalValues() {
        return edgeCount + 2;
    }

    /**
     * The inside intervals on the scanline at y (which must lie in the band of the last
     * {@link #advanceTo}), written as start,end pairs in ascending order.
     *
     * @return the number of values written (twice the number of intervals)
     */
    int intervalsAt(double y, double[] out) {
        return sweep(y, out, null, false);
    }

    /**
     * Like {@link #intervalsAt}, with edges counted on (ey0, ey1] instead of [ey0, ey1): the intervals of the
     * region just below y. Their union with {@link #intervalsAt}'s holds every point of the closed region on the
     * scanline, top edges and top vertices included (points on the path count as inside).
     */
    int upperIntervalsAt(double y, double[] out) {
        return sweep(y, out, null, true);
    }

    /**
     * Like {@link #intervalsAt}, but writes the edges bounding each inside interval (left edge,
     * right edge) into {@code edges}; the returned count is again two per interval.
     */
    int intervalEdgesAt(double y, double[] out, int[] edges) {
        return sweep(y, out, edges, false);
    }

    /**
     * Finds a point of an active edge (a point of the outline) inside the box [x0, x1] x [y0, y1],
     * which must lie within the current row band; writes it into {@code out} (x, y).
     */
    boolean pointOnOutlineWithin(double x0, double x1, double y0, double y1, double[] out) {
        for (int q = 0; q < activeCount; q++) {
            int e = active[q];
            double ya = Math.max(y0, ey0[e]), yb = Math.min(y1, ey1[e]);
            if (yb < ya) {
                continue;
            }
            // the part of the edge between heights ya and yb, clipped to the columns x0..x1
            double xa = xAt(e, ya), xb = xAt(e, yb);
            double ta = 0, tb = 1;
            if (xa != xb) {
                double u0 = (x0 - xa) / (xb - xa), u1 = (x1 - xa) / (xb - xa);
                ta = Math.max(ta, Math.min(u0, u1));
                tb = Math.min(tb, Math.max(u0, u1));
            } else if (xa < x0 || xa > x1) {
                continue;
            }
            if (tb >= ta) {
                double t = 0.5 * (ta + tb);
                out[0] = xa + t * (xb - xa);
                out[1] = ya + t * (yb - ya);
                return true;
            }
        }
        return false;
    }

    /** x of edge e at height y. */
    double xAt(int e, double y) {
        return ex0[e] + (y - ey0[e]) * slope[e];
    }

    /**
     * Heights strictly inside (yLo, yHi) where the inside intervals stop changing linearly: ends of
     * active edges and crossings of two active edges. Written unsorted; returns the count.
     */
    int eventsWithin(double yLo, double yHi, double[] out) {
        int n = 0;
        for (int q = 0; q < activeCount; q++) {
            int e = active[q];
            if (ey0[e] > yLo && ey0[e] < yHi) {
                n = add(out, n, ey0[e]);
            }
            if (ey1[e] > yLo && ey1[e] < yHi) {
                n = add(out, n, ey1[e]);
            }
        }
        if (activeCount > 2) {
            // two edges can only cross where contours overlap or one crosses itself; test the pairs
            // whose x-ranges within the band overlap (neighbours in a chain of edges, mostly)
            if (bandLo.length < activeCount) {
                bandLo = new double[edgeCount];
                bandHi = new double[edgeCount];
                bandOrder = new int[edgeCount];
            }
            for (int q = 0; q < activeCount; q++) {
                int e = active[q];
                double xa = xAt(e, Math.max(yLo, ey0[e])), xb = xAt(e, Math.min(yHi, ey1[e]));
                bandLo[q] = Math.min(xa, xb);
                bandHi[q] = Math.max(xa, xb);
                int r = q - 1;
                while (r >= 0 && bandLo[bandOrder[r]] > bandLo[q]) {
                    bandOrder[r + 1] = bandOrder[r];
                    r--;
                }
                bandOrder[r + 1] = q;
            }
            for (int q = 0; q < activeCount; q++) {
                int qa = bandOrder[q];
                int a = active[qa];
                for (int r = q + 1; r < activeCount && bandLo[bandOrder[r]] <= bandHi[qa]; r++) {
                    int b = active[bandOrder[r]];
                    double ds = slope[a] - slope[b];
                    if (ds == 0) {
                        continue;
                    }
                    // x_a(y) = x_b(y)
                    double y = (ex0[b] - ey0[b] * slope[b] - ex0[a] + ey0[a] * slope[a]) / ds;
                    if (y > yLo && y < yHi && y > Math.max(ey0[a], ey0[b]) && y < Math.min(ey1[a], ey1[b])) {
                        n = add(out, n, y);
                    }
                }
            }
        }
        return n;
    }

    private static int add(double[] out, int n, double v) {
        if (n < out.length) {
            out[n++] = v;
        }
        return n;
    }

    /** Most events {@link #eventsWithin} can report for the current row band. */
    int maxEventsInBand() {
        return 2 * activeCount + activeCount * (activeCount - 1) / 2;
    }

    private int sweep(double y, double[] out, int[] edges, boolean upper) {
        int n = 0;
        for (int q = 0; q < activeCount; q++) {
            int ed = active[q];
            if (upper ? ey0[ed] < y && y <= ey1[ed] : ey0[ed] <= y && y < ey1[ed]) {
                double x = y == ey1[ed] ? ex1[ed] : ex0[ed] + (y - ey0[ed]) * slope[ed];
                int d = delta[ed];
                int r = n - 1;
                // insertion sort (few crossings per scanline); at equal x, in their order just beyond the scanline on
                // the side the rule counts (above for [ey0, ey1), below for (ey0, ey1]), so that a tip of the region
                // on the scanline gives the interval [x, x] instead of cancelling out
                double s = upper ? -slope[ed] : slope[ed];
                while (r >= 0 && (crossX[r] > x || (crossX[r] == x && crossS[r] > s))) {
                    crossX[r + 1] = crossX[r];
                    crossS[r + 1] = crossS[r];
                    crossD[r + 1] = crossD[r];
                    crossE[r + 1] = crossE[r];
                    r--;
                }
                crossX[r + 1] = x;
                crossS[r + 1] = s;
                crossD[r + 1] = d;
                crossE[r + 1] = ed;
                n++;
            }
        }
        int winding = 0;
        boolean parity = false;
        boolean in = false;
        double start = 0;
        int startEdge = -1;
        int written = 0;
        for (int c = 0; c < n; c++) {
            if (crossD[c] == 0) {
                parity = !parity;
            } else {
                winding += crossD[c];
            }
            boolean nowIn = (winding > 0) ^ parity;
            if (nowIn && !in) {
                start = crossX[c];
                startEdge = crossE[c];
            } else if (!nowIn && in) {
                if (edges != null) {
                    edges[written] = startEdge;
                    edges[written + 1] = crossE[c];
                }
                out[written++] = start;
                out[written++] = crossX[c];
            }
            in = nowIn;
        }
        return written;
    }

    static double signedArea(double[] p) {
        int m = p.length / 2;
        double s = 0;
        for (int v = 0; v < m; v++) {
            int w = (v + 1) % m;
            s += p[2 * v] * p[2 * w + 1] - p[2 * w] * p[2 * v + 1];
        }
        return 0.5 * s;
    }

    /**
     * Depth of each closed contour: how many other closed contours wholly contain it. Two contours
     * containing each other are the same outline drawn twice; the later one is ignored.
     */
    private static int[] nestingDepths(List<double[]> polygons, boolean[] xor, boolean[] usable) {
        int n = polygons.size();
        int[] depth = new int[n];
        if (n < 2) {
            return depth;
        }
        double[][] box = new double[n][];
        for (int a = 0; a < n; a++) {
            box[a] = bounds(polygons.get(a));
        }
        boolean[][] inside = new boolean[n][n]; // inside[a][b]: a lies within b
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (a != b && usable[a] && usable[b] && !xor[a] && !xor[b] && boxWithin(box[a], box[b])) {
                    inside[a][b] = allVerticesInsideOrOn(polygons.get(a), polygons.get(b));
                }
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (inside[a][b] && inside[b][a] && a > b) {
                    usable[a] = false; // a duplicate of an earlier contour
                }
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (usable[a] && usable[b] && inside[a][b] && !inside[b][a]) {
                    depth[a]++;
                }
            }
        }
        return depth;
    }

    private static double[] bounds(double[] p) {
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int v = 0; v < p.length; v += 2) {
            b[0] = Math.min(b[0], p[v]);
            b[1] = Math.min(b[1], p[v + 1]);
            b[2] = Math.max(b[2], p[v]);
            b[3] = Math.max(b[3], p[v + 1]);
        }
        return b;
    }

    private static boolean boxWithin(double[] a, double[] b) {
        double tol = 1e-7;
        return a[0] >= b[0] - tol && a[1] >= b[1] - tol && a[2] <= b[2] + tol && a[3] <= b[3] + tol;
    }

    private static boolean allVerticesInsideOrOn(double[] a, double[] b) {
        for (int v = 0; v < a.length; v += 2) {
            if (!insideOrOn(a[v], a[v + 1], b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Adds to {@code out} (from index n; returns the new count) the x of every edge crossing the line at y strictly
     * between x0 and x1, under the scan's half-open rule [ey0, ey1). Stateless: safe on any thread.
     */
    int crossingsWithin(double y, double x0, double x1, double[] out, int n) {
        if (y < minY || y > maxY) {
            return n;
        }
        for (int e = 0; e < edgeCount; e++) {
            if (ey0[e] <= y && y < ey1[e]) {
                double x = ex0[e] + (y - ey0[e]) * slope[e];
                if (x > x0 && x < x1) {
                    out[n++] = x;
                }
            }
        }
        return n;
    }

    /**
     * Whether (x, y) is inside by the scan's rule (winding of outer contours minus holes positive, XOR contours
     * toggling, edges half-open [ey0, ey1)), reading only the edges of its height's band ({@link Bands}, made on the
     * first question): safe on any thread. Meant for points between crossings ({@link #crossingsWithin}); a point
     * on the outline may count either way.
     */
    boolean contains(double x, double y) {
        if (y < minY || y > maxY || x < minX || x > maxX) {
            return false;
        }
        Bands bands = bands();
        int band = bands.of(y);
        int winding = 0;
        boolean parity = false;
        for (int q = bands.edgeStart[band]; q < bands.edgeStart[band + 1]; q++) {
            int e = bands.edges[q];
            if (ey0[e] <= y && y < ey1[e] && ex0[e] + (y - ey0[e]) * slope[e] <= x) {
                if (delta[e] == 0) {
                    parity = !parity;
                } else {
                    winding += delta[e];
                }
            }
        }
        return (winding > 0) ^ parity;
    }

    /**
     * Whether (x, y) is inside or on the outline: {@link #contains}, or within {@code onOutline} (at most
     * {@value #MAX_ON_OUTLINE}) of a contour's edge (so a point on the path counts as inside whichever way the scan's
     * half-open rule takes it). Safe on any thread; like {@link #contains} it reads only its height's band, with the
     * same answer as asking every edge.
     */
    boolean containsOrOn(double x, double y, double onOutline) {
        if (y < minY - onOutline || y > maxY + onOutline || x < minX - onOutline || x > maxX + onOutline) {
            return false;
        }
        if (!(onOutline <= MAX_ON_OUTLINE)) {
            throw new IllegalArgumentException("onOutline above " + MAX_ON_OUTLINE + ": " + onOutline);
        }
        if (contains(x, y)) {
            return true;
        }
        Bands bands = bands();
        int band = bands.of(y);
        for (int q = bands.segmentStart[band]; q < bands.segmentStart[band + 1]; q++) {
            int v = bands.segments[q], w = bands.segmentEnds[q];
            double ax = vertices[v], ay = vertices[v + 1], dx = vertices[w] - ax, dy = vertices[w + 1] - ay;
            double len2 = dx * dx + dy * dy;
            double t = len2 > 0 ? Math.clamp(((x - ax) * dx + (y - ay) * dy) / len2, 0.0, 1.0) : 0.0;
            if (Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= onOutline) {
                return true;
            }
        }
        return false;
    }

    /** What {@link #forEachEdge} calls: a contour edge from (ax, ay) to (bx, by). */
    @FunctionalInterface
    interface EdgeVisitor {
        void edge(double ax, double ay, double bx, double by);
    }

    /** Each contour's edges in order, the last from its last vertex back to its first. */
    void forEachEdge(EdgeVisitor visitor) {
        for (int c = 0; c + 1 < contourStarts.length; c++) {
            for (int e = contourStarts[c]; e < contourStarts[c + 1]; e += 2) {
                int w = e + 2 < contourStarts[c + 1] ? e + 2 : contourStarts[c];
                visitor.edge(vertices[e], vertices[e + 1], vertices[w], vertices[w + 1]);
            }
        }
    }

    /**
     * Each point where the line (x0, y0) + t (dx, dy), tLo <= t <= tHi, meets a contour edge (both closed; an edge
     * parallel to the line is skipped): its t, to {@code out}, each edge once. Reads only the bands the line's
     * stretch spans.
     */
    void lineCrossings(double x0, double y0, double dx, double dy, double tLo, double tHi, DoubleConsumer out) {
        double ya = y0 + dy * tLo, yb = y0 + dy * tHi;
        if (Math.max(ya, yb) < minY - MAX_ON_OUTLINE || Math.min(ya, yb) > maxY + MAX_ON_OUTLINE) {
            return;
        }
        double xa = x0 + dx * tLo, xb = x0 + dx * tHi;
        if (Math.max(xa, xb) < minX || Math.min(xa, xb) > maxX) {
            return;
        }
        Bands bands = bands();
        int bLo = bands.of(Math.min(ya, yb)), bHi = bands.of(Math.max(ya, yb));
        double dLen2 = dx * dx + dy * dy;
        for (int band = bLo; band <= bHi; band++) {
            for (int q = bands.segmentStart[band]; q < bands.segmentStart[band + 1]; q++) {
                int v = bands.segments[q], w = bands.segmentEnds[q];
                double ax = vertices[v], ay = vertices[v + 1], ex = vertices[w] - ax, ey = vertices[w + 1] - ay;
                // x0 + t dx = ax + s ex (and y): t = (w x e) / (d x e), s = (w x d) / (d x e), w = a - (x0, y0);
                // parallel when |d x e| <= 1e-12 |d| |e|
                double denom = dx * ey - dy * ex;
                if (denom * denom <= 1e-24 * dLen2 * (ex * ex + ey * ey)) {
                    continue;
                }
                double wx = ax - x0, wy = ay - y0;
                double t = (wx * ey - wy * ex) / denom, s = (wx * dy - wy * dx) / denom;
                // an edge listed in several bands counts in the band of the crossing's height
                if (t >= tLo && t <= tHi && s >= 0 && s <= 1
                        && Math.clamp(bands.of(y0 + dy * t), bLo, bHi) == band) {
                    out.accept(t);
                }
            }
        }
    }

    /** The largest {@code onOutline} that {@link #containsOrOn} takes (its bands are widened by this). */
    static final double MAX_ON_OUTLINE = 1e-6;

    private volatile Bands bands;

    private Bands bands() {
        Bands b = bands;
        if (b == null) {
            synchronized (this) {
                if (bands == null) {
                    bands = new Bands();
                }
                b = bands;
            }
        }
        return b;
    }

    /**
     * The region's height split into equal bands, each listing the scan edges whose [ey0, ey1] meets it and the
     * contour edges within {@link #MAX_ON_OUTLINE} of it: a point's question reads one band's lists (a bucket grid
     * along y; a point in band b meets only edges listed in b, as band numbers grow with y).
     */
    private final class Bands {
        final double y0, height;
        final int count;
        final int[] edgeStart, edges, segmentStart, segments, segmentEnds;

        Bands() {
            y0 = minY - MAX_ON_OUTLINE;
            count = Math.max(1, Math.min(4096, edgeCount / 2));
            height = Math.max((maxY + MAX_ON_OUTLINE - y0) / count, Double.MIN_NORMAL);
            int[] first = new int[edgeCount], last = new int[edgeCount];
            edgeStart = new int[count + 1];
            for (int e = 0; e < edgeCount; e++) {
                first[e] = of(ey0[e]);
                last[e] = of(ey1[e]);
                for (int b = first[e]; b <= last[e]; b++) {
                    edgeStart[b + 1]++;
                }
            }
            for (int b = 0; b < count; b++) {
                edgeStart[b + 1] += edgeStart[b];
            }
            edges = new int[edgeStart[count]];
            int[] at = java.util.Arrays.copyOf(edgeStart, count);
            for (int e = 0; e < edgeCount; e++) {
                for (int b = first[e]; b <= last[e]; b++) {
                    edges[at[b]++] = e;
                }
            }
            int n = vertices.length / 2;
            int[] segFirst = new int[n], segLast = new int[n], segEnd = new int[n];
            segmentStart = new int[count + 1];
            for (int c = 0; c + 1 < contourStarts.length; c++) {
                for (int q = contourStarts[c]; q < contourStarts[c + 1]; q += 2) {
                    int w = q + 2 < contourStarts[c + 1] ? q + 2 : contourStarts[c];
                    int s = q / 2;
                    segEnd[s] = w;
                    segFirst[s] = of(Math.min(vertices[q + 1], vertices[w + 1]) - MAX_ON_OUTLINE);
                    segLast[s] = of(Math.max(vertices[q + 1], vertices[w + 1]) + MAX_ON_OUTLINE);
                    for (int b = segFirst[s]; b <= segLast[s]; b++) {
                        segmentStart[b + 1]++;
                    }
                }
            }
            for (int b = 0; b < count; b++) {
                segmentStart[b + 1] += segmentStart[b];
            }
            segments = new int[segmentStart[count]];
            segmentEnds = new int[segmentStart[count]];
            at = java.util.Arrays.copyOf(segmentStart, count);
            for (int s = 0; s < n; s++) {
                for (int b = segFirst[s]; b <= segLast[s]; b++) {
                    segments[at[b]] = 2 * s;
                    segmentEnds[at[b]++] = segEnd[s];
                }
            }
        }

        /** The band of height y, clamped to the bands (monotone in y). */
        int of(double y) {
            double b = Math.floor((y - y0) / height);
            return b < 0 ? 0 : b >= count ? count - 1 : (int) b;
        }
    }

    int edgeCount() {
        return edgeCount;
    }

    /** Crossing-number test, with points on the outline counting as inside. */
    static boolean insideOrOn(double px, double py, double[] poly) {
        int m = poly.length / 2;
        boolean in = false;
        for (int v = 0; v < m; v++) {
            int w = (v + 1) % m;
            double ax = poly[2 * v], ay = poly[2 * v + 1], bx = poly[2 * w], by = poly[2 * w + 1];
            double ex = bx - ax, ey = by - ay;
            double len2 = ex * ex + ey * ey;
            double cross = ex * (py - ay) - ey * (px - ax);
            double dot = ex * (px - ax) + ey * (py - ay);
            if (Math.abs(cross) <= 1e-9 * Math.sqrt(len2) + 1e-12 && dot >= -1e-12 && dot <= len2 + 1e-12) {
                return true;
            }
            if ((ay > py) != (by > py)) {
                double x = ax + (py - ay) * ex / ey;
                if (px < x) {
                    in = !in;
                }
            }
        }
        return in;
    }
}
