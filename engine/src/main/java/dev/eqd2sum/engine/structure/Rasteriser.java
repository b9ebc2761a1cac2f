package dev.eqd2sum.engine.structure;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Puts a structure's planar contours onto a grid as fractional voxel occupancy, computed once per
 * structure: a {@link StructureMask} of interior runs, boundary partials, the volume outside the
 * grid and the sample points for dose statistics.
 *
 * <p>Geometry. Contours are taken into the grid's continuous index frame
 * ({@link GridGeometry#patientToIndex()}), so axis flips (feet-first, prone), in-plane rotations and
 * non-square pixels need no special case; contour planes must be perpendicular to the grid's frame
 * direction (constant k), anything else is refused. In plane, each pixel's covered area is computed
 * exactly by {@link PlaneRaster} (trapezoid bands, font-rs style area accumulation). Along
 * k, each contour plane owns the slab half-way to its neighbouring planes (uneven spacing allowed);
 * the first and last plane reach half their adjacent spacing further ({@link EndCaps#HALF_SPACING})
 * or stop at the plane ({@link EndCaps#NONE}); a single-plane structure is given the structure set's
 * median contour spacing as its thickness (the grid's slice spacing when the set has none). A
 * structure that skips planes the structure set has (a gap of more than 1.5 times its own median
 * spacing with another structure's plane inside it) is two parts: each side of the gap ends as if
 * the next set plane held an empty contour. Voxel occupancy is the slab-weighted sum of the plane
 * coverages; what lies beyond the grid is summed into {@code outsideGridCc}, never onto edge voxels.
 *
 * <p>Sample points. A voxel wholly inside whose six face neighbours are also wholly inside is
 * represented by its centre. Every other occupied voxel (partial, or on the structure's or the
 * grid's surface) by the centres of n x n sub-cells in plane that lie inside the contour region,
 * repeated at n x part evenly spaced heights (rounded, halves up: {@link #heights}) within each slab part
 * crossing the voxel; each carries
 * an equal share of that slab part's occupied volume (a midpoint rule). Sub-cell centres stay up to
 * half a sub-cell inside the surface, which would pull Dmax down and Dmin up; so samples carrying no volume are
 * added where a dose interpolated trilinearly on this grid can peak or dip on the structure (it is multilinear
 * within each voxel cell, so its extremes over the structure lie on the structure's surface, on cell edges and at
 * nodes): every contour vertex inside the grid, and every point where a contour's edge crosses a grid line (a row
 * or column of voxel centres), each at both ends of its plane's slab and at every voxel-centre height between
 * ({@link #outlineLevels}); a sub-sampled voxel's centre (a node) when it lies inside; and, where a slab ends
 * on the structure's surface over a node the plane holds, the point of that end above or below the node (a cap
 * node). Between these points the dose is linear, or bilinear on a face, except along an edge that runs
 * diagonally through a cell, where it can bulge by a quarter of the cell's twist at most. A course whose own grid
 * is another ({@link RasterOptions#nodeLattices}: a prior's, resampled) peaks at its own nodes: those inside the
 * structure are samples without volume too, and, when that grid lies along this one's axes (flips and other
 * spacings allowed), its lines' crossings with the outline and its nodes on the end caps, as for this grid; for a
 * rotated grid, its lines' crossings with the walls and the end caps and the walls' edges' crossings with its cell
 * planes (its cells meet the surface obliquely, where the dose on a wall between those points can bulge: no finite
 * set of points is exact there); a grid with more
 * than {@link #LATTICE_BUDGET} nodes in the structure's box adds nothing. Where several grids lie along this one's
 * axes, the nodes of their merged lattice (each axis's planes of all of them) inside the structure too: a plan sum of
 * several courses peaks at those inside (it is convex along each axis within a merged cell). Points on the outline
 * count as inside (DOMAIN.md). A structure sampled with n = 1 (a surface too large for
 * {@link #AUTO_SAMPLE_BUDGET}) gets no crossings, cap nodes or other grids' nodes, and its vertices at its slabs'
 * ends only: they would outnumber its boundary samples.
 * A sliver that no sub-sample hits is represented by a point of the outline within it.
 * Thus every sample lies inside the structure (points on any contour's path counting as inside, as DOMAIN.md says:
 * also a hole's edge where it runs inside another, overlapping hole) and the samples add up to the volume inside
 * the grid.
 *
 * <p>Work is split for the common fork-join pool: the slices are walked in chunks of
 * {@value #SLICES_PER_CHUNK} in parallel, each rasterising the planes it reaches (once each, kept only while
 * a chunk needs them), and joined in slice order, so runs and partials come out ascending. Safe to call from
 * several threads at once.
 */
public final class Rasteriser {
    /** Contour points further than this from their plane (mm) make the contour oblique to the grid. */
    static final double PLANARITY_TOLERANCE_MM = 0.05;
    /** Automatic sub-sampling keeps the estimated boundary samples of a structure below this. */
    static final long AUTO_SAMPLE_BUDGET = 250_000;
    private static final float FULL = (float) (1 - PlaneRaster.EPS);
    private static final float EMPTY = (float) PlaneRaster.EPS;

    private Rasteriser() {
    }

    /** Rasterises with half-spacing end caps and the given structure set's planes. */
    public static StructureMask rasterise(Structure structure, GridGeometry grid, List<Structure> structureSet) {
        return rasterise(structure, grid, RasterOptions.forStructureSet(structureSet));
    }

    /**
     * @throws InvalidInputException when a closed contour does not lie in a plane of constant k
     *                               (oblique to the grid, or not planar)
     */
    public static StructureMask rasterise(Structure structure, GridGeometry grid, RasterOptions options) {
        List<Plane> planes = planesOf(structure, grid);
        if (planes.isEmpty()) {
            return new StructureMask(grid, new int[0], new int[0], new int[0], new float[0], 0.0, SamplePoints.empty());
        }
        assignSlabs(planes, grid, options);
        snapSlabEnds(planes);
        int n = options.subSamplesPerAxis() > 0 ? options.subSamplesPerAxis() : automaticSubSamples(planes);
        return assemble(grid, planes, n, options.nodeLattices());
    }

    /**
     * The structure's planes with the slabs they own on {@code grid} (the same rules as {@link #rasterise}: slab
     * ends, skipped-plane gaps, end caps), ordered along k, without rasterising them: for {@link StructureShape}.
     */
    static List<Plane> slabs(Structure structure, GridGeometry grid, RasterOptions options) {
        List<Plane> planes = planesOf(structure, grid);
        if (!planes.isEmpty()) {
            assignSlabs(planes, grid, options);
            snapSlabEnds(planes);
        }
        return planes;
    }

    /** A contour plane of the structure: its k position, its region and the slab [lo, hi] it owns (k units). */
    static final class Plane {
        final double k;
        final PlaneRegion region;
        double lo, hi;
        /** Rasterised when a slice walk first needs it, dropped when the last chunk that needs it is done. */
        private PlaneRaster raster;
        /** Whether the plane's slab overlaps the grid (else only its area counts, as outside the grid). */
        private boolean onGrid;
        /** Chunks of the slice walk that may read the raster and have not finished. */
        private int users;
        private double totalArea, insideArea;
        private boolean areaKnown;

        Plane(double k, PlaneRegion region) {
            this.k = k;
            this.region = region;
        }

        /**
         * The plane's raster, made on first use (the region's scan state is not shared: one thread at a time).
         * Made again if a chunk needs it after its last counted user let it go (only a slower path).
         */
        synchronized PlaneRaster raster(int nx, int ny, int n) {
            if (raster == null) {
                raster = PlaneRaster.of(region, nx, ny, n, onGrid);
                totalArea = raster.totalArea;
                insideArea = raster.insideArea;
                areaKnown = true;
            }
            return raster;
        }

        synchronized void release() {
            if (--users <= 0) {
                raster = null;
            }
        }
    }

    private static List<Plane> planesOf(Structure structure, GridGeometry grid) {
        Affine3 toIndex = grid.patientToIndex();
        double sz = grid.spacingZ();
        List<double[]> xy = new ArrayList<>();
        List<Double> ks = new ArrayList<>();
        List<Boolean> xors = new ArrayList<>();
        double[] out = new double[3];
        int contourNumber = 0;
        for (PlanarContour c : structure.contours()) {
            contourNumber++;
            if (!c.type().enclosesVolume() || c.pointCount() == 0) {
                continue; // POINT and open contours enclose no volume
            }
            double[] p = c.pointsMm();
            int m = c.pointCount();
            double[] poly = new double[2 * m];
            double kMin = Double.POSITIVE_INFINITY, kMax = Double.NEGATIVE_INFINITY, kSum = 0;
            for (int v = 0; v < m; v++) {
                toIndex.apply(p[3 * v], p[3 * v + 1], p[3 * v + 2], out);
                poly[2 * v] = out[0];
                poly[2 * v + 1] = out[1];
                kMin = Math.min(kMin, out[2]);
                kMax = Math.max(kMax, out[2]);
                kSum += out[2];
            }
            if ((kMax - kMin) * sz > PLANARITY_TOLERANCE_MM) {
                throw new InvalidInputException("structure '" + structure.name() + "'", String.format(Locale.ROOT,
                        "contour %d is not perpendicular to the dose grid's frame direction (its points span %.2f mm"
                                + " along it); oblique or non-planar contours are not supported", contourNumber,
                        (kMax - kMin) * sz));
            }
            xy.add(poly);
            ks.add(kSum / m);
            xors.add(c.type() == ContourType.CLOSEDPLANAR_XOR);
        }
        Integer[] order = new Integer[xy.size()];
        for (int q = 0; q < order.length; q++) {
            order[q] = q;
        }
        Arrays.sort(order, (a, b) -> Double.compare(ks.get(a), ks.get(b)));
        List<Plane> planes = new ArrayList<>();
        int start = 0;
        for (int q = 1; q <= order.length; q++) {
            if (q == order.length || !StructureSetPlanes.samePlane((ks.get(order[q]) - ks.get(order[q - 1])) * sz)) {
                List<double[]> polys = new ArrayList<>();
                boolean[] xor = new boolean[q - start];
                double kSum = 0;
                for (int r = start; r < q; r++) {
                    polys.add(xy.get(order[r]));
                    xor[r - start] = xors.get(order[r]);
                    kSum += ks.get(order[r]);
                }
                PlaneRegion region = PlaneRegion.of(polys, xor);
                if (region != null) {
                    planes.add(new Plane(kSum / (q - start), region));
                }
                start = q;
            }
        }
        return planes;
    }

    private static void assignSlabs(List<Plane> planes, GridGeometry grid, RasterOptions options) {
        double sz = grid.spacingZ();
        StructureSetPlanes set = options.structureSetPlanes();
        double[] setK = setPlanesInK(set, grid);
        int count = planes.size();
        if (count == 1) {
            double thicknessMm = Double.isFinite(set.medianSpacingMm()) ? set.medianSpacingMm() : sz;
            Plane p = planes.get(0);
            p.lo = p.k - 0.5 * thicknessMm / sz;
            p.hi = p.k + 0.5 * thicknessMm / sz;
            return;
        }
        double[] gaps = new double[count - 1];
        for (int q = 0; q < count - 1; q++) {
            gaps[q] = planes.get(q + 1).k - planes.get(q).k;
        }
        double[] sortedGaps = gaps.clone();
        Arrays.sort(sortedGaps);
        double medianGap = sortedGaps.length % 2 == 1 ? sortedGaps[sortedGaps.length / 2]
                : 0.5 * (sortedGaps[sortedGaps.length / 2 - 1] + sortedGaps[sortedGaps.length / 2]);
        boolean caps = options.endCaps() == EndCaps.HALF_SPACING;
        for (int q = 0; q < count; q++) {
            Plane p = planes.get(q);
            if (q == 0) {
                p.lo = caps ? p.k - 0.5 * gaps[0] : p.k;
            }
            if (q == count - 1) {
                p.hi = caps ? p.k + 0.5 * gaps[count - 2] : p.k;
                continue;
            }
            Plane next = planes.get(q + 1);
            double above = firstSetPlaneBetween(setK, p.k, next.k, sz);
            if (gaps[q] > 1.5 * medianGap && !Double.isNaN(above)) {
                double below = lastSetPlaneBetween(setK, p.k, next.k, sz);
                p.hi = caps ? 0.5 * (p.k + above) : p.k;
                next.lo = caps ? 0.5 * (below + next.k) : next.k;
            } else {
                p.hi = 0.5 * (p.k + next.k);
                next.lo = p.hi;
            }
        }
    }

    /** n x slab part within this of a half is taken as that half (which rounds up) when choosing the sub-layers. */
    static final double HEIGHTS_SNAP = 1e-9;

    /**
     * How many sub-layers (at least 1) sample a slab part of {@code len} slices: n x len, rounded, halves up.
     * Decimal geometry puts parts on exact eighths of a slice (a slab end at k = 8.125), where n x len is a half
     * and round() followed the last bit of the grid's origin or spacing (-26.845 against -26.845000000000002 from
     * a union grid's arithmetic): 2 or 3 sub-layers, up to 0.14 % of a small structure's D50% (found by the pydicom
     * cross-check). Within HEIGHTS_SNAP of a half it is that half.
     */
    static int heights(int n, double len) {
        return Math.max(1, (int) Math.floor(n * len + 0.5 + HEIGHTS_SNAP));
    }

    /**
     * The heights at which a slab part [zLo, zHi] (k units, within the grid) samples its outline: both ends and, when
     * {@code between}, every voxel centre height strictly between (a trilinear dose is linear in k between them),
     * distinct as floats; none when the part is empty.
     */
    static float[] outlineLevels(double zLo, double zHi, int nz, boolean between) {
        if (zHi - zLo <= 0) {
            return new float[0];
        }
        return levels(zLo, zHi, between ? latticeValues(0, 1, nz, zLo, zHi, false) : new double[0]);
    }

    /** zLo, the heights between (ascending, strictly inside), then zHi, distinct as floats. */
    static float[] levels(double zLo, double zHi, double[] between) {
        float[] levels = new float[between.length + 2];
        int count = 0;
        levels[count++] = (float) zLo;
        for (double k : between) {
            if ((float) k != levels[count - 1]) {
                levels[count++] = (float) k;
            }
        }
        if ((float) zHi != levels[count - 1]) {
            levels[count++] = (float) zHi;
        }
        return Arrays.copyOf(levels, count);
    }

    /**
     * The values origin + step x t, t = 0 .. count - 1, strictly between lo and hi (or from lo to hi, ends included,
     * when {@code closed}), ascending: a lattice's lines or node heights within a range.
     */
    static double[] latticeValues(double origin, double step, int count, double lo, double hi, boolean closed) {
        double a = (lo - origin) / step, b = (hi - origin) / step;
        int from = (int) Math.max(0, Math.floor(Math.min(a, b)) - 1);
        int to = (int) Math.min(count - 1, Math.ceil(Math.max(a, b)) + 1);
        double[] out = new double[Math.max(0, to - from + 1)];
        int n = 0;
        for (int t = from; t <= to; t++) {
            double v = origin + step * t;
            if (closed ? v >= lo && v <= hi : v > lo && v < hi) {
                out[n++] = v;
            }
        }
        out = Arrays.copyOf(out, n);
        if (step < 0) {
            for (int t = 0; t < n / 2; t++) {
                double swap = out[t];
                out[t] = out[n - 1 - t];
                out[n - 1 - t] = swap;
            }
        }
        return out;
    }

    /**
     * A node lattice with more nodes than this in a structure's box (within the grid) adds none to it: a structure
     * large against that grid's spacing (a liver against a 1 mm prior grid), whose nodes would outnumber its other
     * samples many times over.
     */
    static final long LATTICE_BUDGET = 4 * AUTO_SAMPLE_BUDGET;

    /** A node lattice whose map's off-diagonal entries are within this of 0 is along the grid's axes. */
    static final double AXIS_ALIGNED = 1e-9;

    /** Slab ends within this distance (k units) of a slice boundary are put on it. */
    static final double SLAB_SNAP = 1e-9;

    /**
     * Puts the slab ends that lie within {@link #SLAB_SNAP} of a slice boundary (k + 0.5) on it. Contour planes
     * on the grid's slices (a structure set drawn on the dose grid's planes) put their slab ends there up to
     * rounding; a slab reaching 4e-16 into the next slice would give that slice a layer of sub-samples carrying
     * 1e-19 cc each, which the dose-volume rule counts as nodes like any other (up to 3e-4 of D0.03cc in a small
     * box, found by the pydicom cross-check).
     */
    private static void snapSlabEnds(List<Plane> planes) {
        for (Plane p : planes) {
            p.lo = snapToSliceBoundary(p.lo);
            p.hi = snapToSliceBoundary(p.hi);
        }
    }

    private static double snapToSliceBoundary(double k) {
        double boundary = Math.floor(k) + 0.5;
        return Math.abs(k - boundary) <= SLAB_SNAP ? boundary : k;
    }

    /** The structure set's plane positions as k of this grid, ascending; empty when they are not along the grid's frame direction. */
    private static double[] setPlanesInK(StructureSetPlanes set, GridGeometry grid) {
        double[] pos = set.positionsMm();
        if (pos.length == 0) {
            return pos;
        }
        double[] nrm = set.normal();
        double[] w = grid.frameDirection();
        if (Math.abs(Math.abs(nrm[0] * w[0] + nrm[1] * w[1] + nrm[2] * w[2]) - 1) > 1e-4) {
            return new double[0];
        }
        Affine3 toIndex = grid.patientToIndex();
        double[] k = new double[pos.length];
        for (int q = 0; q < pos.length; q++) {
            k[q] = toIndex.apply(pos[q] * nrm[0], pos[q] * nrm[1], pos[q] * nrm[2])[2];
        }
        Arrays.sort(k);
        return k;
    }

    /** The first of the set's planes strictly between {@code lo} and {@code hi} and a plane apart from both; NaN if none. */
    private static double firstSetPlaneBetween(double[] setK, double lo, double hi, double sz) {
        for (double k : setK) {
            if (apartBetween(k, lo, hi, sz)) {
                return k;
            }
        }
        return Double.NaN;
    }

    /** The last of the set's planes strictly between {@code lo} and {@code hi} and a plane apart from both; NaN if none. */
    private static double lastSetPlaneBetween(double[] setK, double lo, double hi, double sz) {
        double found = Double.NaN;
        for (double k : setK) {
            if (apartBetween(k, lo, hi, sz)) {
                found = k;
            }
        }
        return found;
    }

    private static boolean apartBetween(double k, double lo, double hi, double sz) {
        return k > lo && k < hi && !StructureSetPlanes.samePlane((k - lo) * sz)
                && !StructureSetPlanes.samePlane((hi - k) * sz);
    }

    /**
     * 4 sub-samples per axis, fewer (2, then 1) when the structure's surface is so large that its
     * boundary samples would exceed {@link #AUTO_SAMPLE_BUDGET} (a body outline): extremes are
     * sampled at the contour vertices and nodes whatever n is (and, for n above 1, at the outline's grid-line
     * crossings and the cap nodes), so n refines the DVH inside boundary voxels and, from 1 to 2, the extremes.
     */
    private static int automaticSubSamples(List<Plane> planes) {
        double boundaryVoxels = 0;
        for (Plane p : planes) {
            boundaryVoxels += p.region.perimeter * Math.max(1.0, p.hi - p.lo);
        }
        Plane first = planes.get(0), last = planes.get(planes.size() - 1);
        boundaryVoxels += (first.region.maxX - first.region.minX) * (first.region.maxY - first.region.minY)
                + (last.region.maxX - last.region.minX) * (last.region.maxY - last.region.minY);
        return boundaryVoxels * 64 <= AUTO_SAMPLE_BUDGET ? 4 : boundaryVoxels * 8 <= AUTO_SAMPLE_BUDGET ? 2 : 1;
    }

    /** Slices per chunk of the slice walk that runs in parallel. */
    private static final int SLICES_PER_CHUNK = 12;

    /**
     * Rasterises the planes (in parallel), sums what lies outside the grid, walks the slices in
     * chunks (in parallel, each chunk with its own rolling buffers) and joins the chunks' runs,
     * partials and samples in slice order; the outline samples come last.
     */
    private static StructureMask assemble(GridGeometry grid, List<Plane> planes, int n, List<NodeLattice> lattices) {
        int nx = grid.nx(), ny = grid.ny(), nz = grid.nz();
        double gridLo = -0.5, gridHi = nz - 0.5;
        for (Plane p : planes) {
            p.onGrid = Math.min(p.hi, gridHi) - Math.max(p.lo, gridLo) > 0;
        }
        double lo = planes.get(0).lo, hi = planes.get(planes.size() - 1).hi;
        int kFirst = Math.max(0, (int) Math.floor(lo - 0.5) + 1);
        int kLast = Math.min(nz - 1, (int) Math.ceil(hi + 0.5) - 1);
        List<Assembly> chunks = new ArrayList<>();
        for (int k = kFirst; k <= kLast; k += SLICES_PER_CHUNK) {
            chunks.add(new Assembly(grid, planes, n, k, Math.min(kLast, k + SLICES_PER_CHUNK - 1)));
        }
        // Each chunk rasterises the planes its slices (and their neighbours) need, and lets each go when no chunk
        // still needs it: a few dozen plane rasters exist at a time, not one per contour plane (peak memory).
        for (Assembly a : chunks) {
            for (Plane p : a.planesUsed()) {
                p.users++;
            }
        }
        (chunks.size() > 1 ? chunks.parallelStream() : chunks.stream()).forEach(Assembly::run);
        double outsideVoxels = 0;
        for (Plane p : planes) {
            if (!p.areaKnown) {
                p.raster(nx, ny, n); // its area only: a slab beyond the grid, or a plane no slice reached
            }
            double inLen = Math.max(0, Math.min(p.hi, gridHi) - Math.max(p.lo, gridLo));
            outsideVoxels += p.totalArea * (p.hi - p.lo - inLen) + (p.totalArea - p.insideArea) * inLen;
            p.raster = null;
        }
        Assembly outline = new Assembly(grid, planes, n, 0, -1);
        outline.addOutlineSamples();
        if (n > 1) {
            outline.addLatticeNodes(lattices);
        }
        chunks.add(outline);
        return join(grid, chunks, outsideVoxels * grid.voxelVolumeCc());
    }

    private static StructureMask join(GridGeometry grid, List<Assembly> chunks, double outsideCc) {
        int runs = 0, partials = 0;
        // the samples that carry volume in slice order, then those that carry none (the statistics' extremes only)
        List<SampleSet.Builder> samples = new ArrayList<>();
        for (Assembly a : chunks) {
            runs += a.runStart.size;
            partials += a.partialIndex.size;
            samples.add(a.samples);
        }
        for (Assembly a : chunks) {
            samples.add(a.points);
        }
        int[] runStart = new int[runs], runLength = new int[runs], partialIndex = new int[partials];
        float[] partialOcc = new float[partials];
        int r = 0, p = 0;
        for (Assembly a : chunks) {
            System.arraycopy(a.runStart.a, 0, runStart, r, a.runStart.size);
            System.arraycopy(a.runLength.a, 0, runLength, r, a.runStart.size);
            r += a.runStart.size;
            System.arraycopy(a.partialIndex.a, 0, partialIndex, p, a.partialIndex.size);
            System.arraycopy(a.partialOcc.a, 0, partialOcc, p, a.partialIndex.size);
            p += a.partialIndex.size;
        }
        SampleSet set = SampleSet.Builder.join(grid.nx(), grid.ny(), samples);
        for (Assembly a : chunks) {
            a.samples = null;
            a.points = null;
        }
        return new StructureMask(grid, runStart, runLength, partialIndex, partialOcc, outsideCc, null, set);
    }

    /** Walks slices kFrom..kTo, turning plane coverages into runs, partials and samples. */
    private static final class Assembly {
        private final GridGeometry grid;
        private final List<Plane> planes;
        private final int n, nx, ny, nz;
        private final double voxelCc;
        private final IntList runStart = new IntList(), runLength = new IntList(), partialIndex = new IntList();
        private final FloatList partialOcc = new FloatList();
        /** Interior voxel centres as segments, the other samples that carry volume as points. */
        private SampleSet.Builder samples;
        /** The samples that carry no volume (nodes, cap nodes, the outline), which the join puts after all others. */
        private SampleSet.Builder points;
        private final int explicitCapacity;
        /**
         * Whether the outline's grid-line crossings and the cap nodes are sampled: not for a structure with one
         * sub-sample per pixel, whose surface is too large for {@link #AUTO_SAMPLE_BUDGET} (a body outline): they
         * would outnumber its boundary samples several times over, for extremes that lie on its vertices and nodes
         * within a voxel of the outline.
         */
        private final boolean crossings;

        // rolling occupancy of slices k-1, k, k+1; each with the pixel box it touched
        private float[] prev, cur, next;
        private int[] prevBox, curBox, nextBox;
        /** The rasters this chunk has asked for, by plane index (null entries: not asked yet). */
        private PlaneRaster[] rasters;

        private final int kFrom, kTo;

        /** A chunk of slices kFrom..kTo (none when kTo < kFrom: the outline samples). */
        Assembly(GridGeometry grid, List<Plane> planes, int n, int kFrom, int kTo) {
            this.grid = grid;
            this.planes = planes;
            this.n = n;
            this.nx = grid.nx();
            this.ny = grid.ny();
            this.nz = grid.nz();
            this.voxelCc = grid.voxelVolumeCc();
            this.kFrom = kFrom;
            this.kTo = kTo;
            this.crossings = n > 1;
            // boundary voxels get up to n^3 points (interior centres need no storage): size the arrays once
            double boundary = 0, outline = 0;
            for (Plane p : planes) {
                double len = Math.min(p.hi, kTo + 0.5) - Math.max(p.lo, kFrom - 0.5);
                // vertices and grid-line crossings (at most sqrt 2 per pixel of perimeter) at the slab's heights in the
                // grid: its ends, and the voxel centres between for n > 1
                double inGrid = Math.min(p.hi, nz - 0.5) - Math.max(p.lo, -0.5);
                if (inGrid > 0) {
                    outline += (p.region.vertices.length / 2 + (n > 1 ? Math.sqrt(2) * p.region.perimeter : 0))
                            * (n > 1 ? 2 + inGrid : 2);
                }
                if (len <= 0) {
                    continue;
                }
                boundary += (p.region.perimeter + 4) * (len + 1);
            }
            // reserved when the chunk runs: only the chunks in flight hold their estimates at once
            this.explicitCapacity = (int) Math.min(1 << 28, 1024 + (kTo < kFrom ? outline : boundary * n * n * n));
        }

        void run() {
            samples = new SampleSet.Builder(nx, ny, explicitCapacity);
            points = new SampleSet.Builder(nx, ny, 16);
            int size = nx * ny;
            prev = new float[size];
            cur = new float[size];
            next = new float[size];
            // the neighbours below the first slice and above the last come from the planes too
            prevBox = kFrom > 0 ? occupancy(kFrom - 1, prev, emptyBox()) : emptyBox();
            nextBox = emptyBox();
            curBox = occupancy(kFrom, cur, emptyBox());
            for (int k = kFrom; k <= kTo; k++) {
                nextBox = k + 1 < nz ? occupancy(k + 1, next, nextBox) : clear(next, nextBox);
                emitSlice(k);
                float[] t = prev;
                prev = cur;
                cur = next;
                next = t;
                int[] tb = prevBox;
                prevBox = curBox;
                curBox = nextBox;
                nextBox = tb;
            }
            prev = cur = next = null;
            rasters = null;
            samples.trim();
            points.trim();
            for (Plane p : planesUsed()) {
                p.release();
            }
        }

        /** Plane q's raster, asked of the plane once per chunk. */
        private PlaneRaster rasterOf(int q) {
            if (rasters == null) {
                rasters = new PlaneRaster[planes.size()];
            }
            PlaneRaster r = rasters[q];
            if (r == null) {
                r = planes.get(q).raster(nx, ny, n);
                rasters[q] = r;
            }
            return r;
        }

        /** The planes whose slabs reach slices kFrom - 1 .. kTo + 1, which occupancy and sub-sampling read. */
        List<Plane> planesUsed() {
            List<Plane> used = new ArrayList<>();
            for (int q = firstPlaneFor(kFrom - 1); q < planes.size() && planes.get(q).lo < kTo + 1.5; q++) {
                if (planes.get(q).onGrid) {
                    used.add(planes.get(q));
                }
            }
            return used;
        }

        /**
         * Zero-volume samples on the outline, where a trilinear dose restricted to it can peak: every contour vertex
         * and every point where a contour's edge crosses a grid line (a row or column of voxel centres), inside the
         * grid in plane; at both ends of the plane's slab within the grid and at each voxel centre height between.
         * With n = 1 ({@link #crossings} false) the vertices at the slab's ends only.
         */
        private void addOutlineSamples() {
            samples = new SampleSet.Builder(nx, ny, 16);
            points = new SampleSet.Builder(nx, ny, explicitCapacity);
            double zGridLo = -0.5, zGridHi = nz - 0.5;
            for (Plane p : planes) {
                float[] levels = outlineLevels(Math.max(p.lo, zGridLo), Math.min(p.hi, zGridHi), nz, crossings);
                if (levels.length > 0) {
                    // this grid's lines: whole x and y (columns and rows of voxel centres)
                    addOutline(p, levels, crossings ? levels : null, 0, 1, nx, 0, 1, ny);
                }
            }
        }

        /**
         * Zero-volume samples on plane p's outline, inside the grid in plane: each contour vertex at
         * {@code vertexLevels}, and, at {@code crossingLevels} (none when null), each point where a contour's edge
         * crosses one of a lattice's lines strictly between its ends (x = oi + si t, t < ni, and y likewise).
         */
        private void addOutline(Plane p, float[] vertexLevels, float[] crossingLevels, double oi, double si, int ni,
                                double oj, double sj, int nj) {
            p.region.forEachEdge((ax, ay, bx, by) -> {
                if (inGridPlane(ax, ay)) {
                    addAtLevels((float) ax, (float) ay, vertexLevels);
                }
                if (crossingLevels == null) {
                    return;
                }
                if (ax != bx) {
                    for (double x : latticeValues(oi, si, ni, Math.min(ax, bx), Math.max(ax, bx), false)) {
                        double y = ay + (x - ax) * (by - ay) / (bx - ax);
                        if (inGridPlane(x, y)) {
                            addAtLevels((float) x, (float) y, crossingLevels);
                        }
                    }
                }
                if (ay != by) {
                    for (double y : latticeValues(oj, sj, nj, Math.min(ay, by), Math.max(ay, by), false)) {
                        double x = ax + (y - ay) * (bx - ax) / (by - ay);
                        if (inGridPlane(x, y)) {
                            addAtLevels((float) x, (float) y, crossingLevels);
                        }
                    }
                }
            });
        }

        /**
         * Zero-volume samples at the nodes of the courses' own grids ({@link NodeLattice}) that lie in the structure
         * (in or on a plane's region within its slab, ends included) and in the grid: a dose interpolated on such a
         * grid peaks or dips at its nodes, which this grid's samples miss by up to half a voxel. Only for n above 1,
         * as the crossings: a body outline's nodes would be most of a course's grid.
         */
        private void addLatticeNodes(List<NodeLattice> lattices) {
            double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
            double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
            for (Plane p : planes) {
                x0 = Math.min(x0, p.region.minX);
                x1 = Math.max(x1, p.region.maxX);
                y0 = Math.min(y0, p.region.minY);
                y1 = Math.max(y1, p.region.maxY);
            }
            // the structure's box, widened by the inside test's tolerances, within the grid
            double on = PlaneRaster.ON_OUTLINE;
            double[] box = {Math.max(x0 - on, -0.5), Math.min(x1 + on, nx - 0.5), Math.max(y0 - on, -0.5),
                    Math.min(y1 + on, ny - 0.5), Math.max(planes.get(0).lo - SLAB_SNAP, -0.5),
                    Math.min(planes.get(planes.size() - 1).hi + SLAB_SNAP, nz - 0.5)};
            if (box[0] > box[1] || box[2] > box[3] || box[4] > box[5]) {
                return;
            }
            double[] at = new double[3];
            for (NodeLattice lattice : lattices) {
                // the nodes within the box: its corners in the lattice's index, widened by rounding
                Affine3 toNode = lattice.nodeToIndex().inverse();
                double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
                double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
                for (int corner = 0; corner < 8; corner++) {
                    toNode.apply(box[corner & 1], box[2 + (corner >> 1 & 1)], box[4 + (corner >> 2)], at);
                    for (int d = 0; d < 3; d++) {
                        lo[d] = Math.min(lo[d], at[d]);
                        hi[d] = Math.max(hi[d], at[d]);
                    }
                }
                int a0 = Math.max(0, (int) Math.ceil(lo[0] - 1e-6));
                int a1 = Math.min(lattice.na() - 1, (int) Math.floor(hi[0] + 1e-6));
                int b0 = Math.max(0, (int) Math.ceil(lo[1] - 1e-6));
                int b1 = Math.min(lattice.nb() - 1, (int) Math.floor(hi[1] + 1e-6));
                int c0 = Math.max(0, (int) Math.ceil(lo[2] - 1e-6));
                int c1 = Math.min(lattice.nc() - 1, (int) Math.floor(hi[2] + 1e-6));
                // one pass: the nodes inside, kept aside until the box is known to hold no more than the budget
                FloatList inside = new FloatList();
                long candidates = 0;
                for (int c = c0; c <= c1 && candidates <= LATTICE_BUDGET; c++) {
                    for (int b = b0; b <= b1; b++) {
                        for (int a = a0; a <= a1; a++) {
                            lattice.nodeToIndex().apply(a, b, c, at);
                            if (inBox(at, box) && ++candidates <= LATTICE_BUDGET && encloses(at[0], at[1], at[2])) {
                                inside.add((float) at[0]);
                                inside.add((float) at[1]);
                                inside.add((float) at[2]);
                            }
                        }
                    }
                }
                if (candidates > LATTICE_BUDGET) {
                    continue; // a structure large against that grid's spacing: its nodes would swamp the samples
                }
                for (int q = 0; q < inside.size; q += 3) {
                    addSample(inside.a[q], inside.a[q + 1], inside.a[q + 2], 0f);
                }
                if (lattice.nodeToIndex().isAxisAligned(AXIS_ALIGNED)) {
                    addLatticeSurface(lattice);
                } else {
                    addObliqueLatticeSurface(lattice, toNode, box, new int[] {a0, a1, b0, b1, c0, c1});
                }
            }
            addMergedNodes(lattices, box);
        }

        /**
         * Zero-volume samples at the nodes of the merged lattice that lie in the structure: along each axis, the planes
         * of this grid and of every other grid along its axes, crossed (x from one grid, y from another, ...), but for
         * the nodes of one grid (sampled already). A plan sum of several courses is a sum of convex functions (EQD2)
         * of doses each linear along every axis inside a cell of the merged lattice, so it is convex along each axis
         * there and peaks at the cell's corners: over a cell inside the structure, at these points (over a cell the
         * surface cuts, possibly on the surface between the samples). Nothing when they would be more than
         * {@link #LATTICE_BUDGET} in the structure's box.
         */
        private void addMergedNodes(List<NodeLattice> lattices, double[] box) {
            List<NodeLattice> aligned = new ArrayList<>();
            for (NodeLattice lattice : lattices) {
                if (lattice.nodeToIndex().isAxisAligned(AXIS_ALIGNED)) {
                    aligned.add(lattice);
                }
            }
            if (aligned.isEmpty() || aligned.size() > 30) {
                return;
            }
            double[][] values = new double[3][];
            int[][] grids = new int[3][]; // per value, a bit for each grid that has a plane there (bit 0: this grid)
            int[] counts = {nx, ny, nz};
            long candidates = 1;
            for (int d = 0; d < 3; d++) {
                java.util.TreeMap<Double, Integer> planesAt = new java.util.TreeMap<>();
                for (double v : latticeValues(0, 1, counts[d], box[2 * d], box[2 * d + 1], true)) {
                    planesAt.merge(v, 1, (a, b) -> a | b);
                }
                for (int g = 0; g < aligned.size(); g++) {
                    Affine3 m = aligned.get(g).nodeToIndex();
                    int n = d == 0 ? aligned.get(g).na() : d == 1 ? aligned.get(g).nb() : aligned.get(g).nc();
                    for (double v : latticeValues(m.get(d, 3), m.get(d, d), n, box[2 * d], box[2 * d + 1], true)) {
                        planesAt.merge(v, 2 << g, (a, b) -> a | b);
                    }
                }
                values[d] = new double[planesAt.size()];
                grids[d] = new int[planesAt.size()];
                int i = 0;
                for (var e : planesAt.entrySet()) {
                    values[d][i] = e.getKey();
                    grids[d][i++] = e.getValue();
                }
                candidates *= values[d].length;
            }
            if (candidates == 0 || candidates > LATTICE_BUDGET) {
                return;
            }
            for (int c = 0; c < values[2].length; c++) {
                for (int b = 0; b < values[1].length; b++) {
                    int bc = grids[1][b] & grids[2][c];
                    for (int a = 0; a < values[0].length; a++) {
                        if ((bc & grids[0][a]) == 0 && encloses(values[0][a], values[1][b], values[2][c])) {
                            addSample((float) values[0][a], (float) values[1][b], (float) values[2][c], 0f);
                        }
                    }
                }
            }
        }

        /**
         * For a lattice along this grid's axes (a prior in the same frame or translated, flipped or not, and a course
         * on a union or finer output grid), where its dose can peak on the structure's surface, as the output grid's
         * crossings and cap nodes do for this grid: every point where a contour's edge crosses one of the lattice's
         * lines, at both slab ends and at each of the lattice's node heights between; the vertices at those heights
         * too; and, on a slab end that is the structure's surface (no plane with thickness beyond it holds the point)
         * or the grid's end, the lattice's in-plane nodes in the region. A rotated lattice:
         * {@link #addObliqueLatticeSurface}.
         */
        private void addLatticeSurface(NodeLattice lattice) {
            Affine3 m = lattice.nodeToIndex();
            double oi = m.get(0, 3), si = m.get(0, 0), oj = m.get(1, 3), sj = m.get(1, 1);
            double ok = m.get(2, 3), sk = m.get(2, 2);
            for (int q = 0; q < planes.size(); q++) {
                Plane p = planes.get(q);
                double zLo = Math.max(p.lo, -0.5), zHi = Math.min(p.hi, nz - 0.5);
                if (zHi - zLo <= 0) {
                    continue;
                }
                double[] between = latticeValues(ok, sk, lattice.nc(), zLo, zHi, false);
                float[] inner = new float[between.length]; // the vertices at the slab's ends are outline samples
                for (int t = 0; t < between.length; t++) {
                    inner[t] = (float) between[t];
                }
                addOutline(p, inner, levels(zLo, zHi, between), oi, si, lattice.na(), oj, sj, lattice.nb());
                double[] xs = latticeValues(oi, si, lattice.na(), Math.max(p.region.minX, -0.5),
                        Math.min(p.region.maxX, nx - 0.5), true);
                double[] ys = latticeValues(oj, sj, lattice.nb(), Math.max(p.region.minY, -0.5),
                        Math.min(p.region.maxY, ny - 0.5), true);
                for (int side = 0; side < 2; side++) {
                    double end = side == 0 ? zLo : zHi;
                    // the grid's end bounds what is sampled, whatever lies beyond it
                    boolean gridEnd = side == 0 ? zLo <= -0.5 + SLAB_SNAP : zHi >= nz - 0.5 - SLAB_SNAP;
                    for (double y : ys) {
                        for (double x : xs) {
                            if (p.region.containsOrOn(x, y, PlaneRaster.ON_OUTLINE)
                                    && (gridEnd || !heldBeyond(q, side == 1, end, x, y))) {
                                addSample((float) x, (float) y, (float) end, 0f);
                            }
                        }
                    }
                }
            }
        }

        /**
         * For a lattice not along this grid's axes (a prior registered with a rotation), points of the structure's
         * surface where its dose can peak: where the lattice's lines (along which the dose is linear between nodes)
         * cross a plane's walls, or cross an end cap that is the surface or the grid's end; and where the walls'
         * edges (each vertex's vertical edge between the slab's ends, each contour edge at both ends) cross the
         * lattice's cell planes. For a lattice rotated about the k axis these are the points
         * {@link #addLatticeSurface} takes for an aligned one; in general the dose on a wall between them is a
         * polynomial of degree three, whose maxima inside a cell's face are not sought. {@code nodes} is the range
         * of node indices the box holds (a0, a1, b0, b1, c0, c1); {@code toNode} the lattice's map inverted.
         */
        private void addObliqueLatticeSurface(NodeLattice lattice, Affine3 toNode, double[] box, int[] nodes) {
            Affine3 m = lattice.nodeToIndex();
            int[] counts = {lattice.na(), lattice.nb(), lattice.nc()};
            double[] ua = new double[3], ub = new double[3];
            // the walls' edges across the cell planes
            for (Plane p : planes) {
                double zLo = Math.max(p.lo, -0.5), zHi = Math.min(p.hi, nz - 0.5);
                if (zHi - zLo <= 0) {
                    continue;
                }
                p.region.forEachEdge((ax, ay, bx, by) -> {
                    if (inGridPlane(ax, ay)) {
                        toNode.apply(ax, ay, zLo, ua);
                        toNode.apply(ax, ay, zHi, ub);
                        addCellCrossings(ax, ay, zLo, ax, ay, zHi, ua, ub, counts);
                    }
                    for (double end : new double[] {zLo, zHi}) {
                        toNode.apply(ax, ay, end, ua);
                        toNode.apply(bx, by, end, ub);
                        addCellCrossings(ax, ay, end, bx, by, end, ua, ub, counts);
                    }
                });
            }
            // the lattice's lines across the walls and the caps
            double[] p0 = new double[3];
            for (int d = 0; d < 3; d++) {
                int e1 = (d + 1) % 3, e2 = (d + 2) % 3;
                double dx = m.get(0, d), dy = m.get(1, d), dz = m.get(2, d);
                double[] node = new double[3];
                for (int g1 = nodes[2 * e1]; g1 <= nodes[2 * e1 + 1]; g1++) {
                    for (int g2 = nodes[2 * e2]; g2 <= nodes[2 * e2 + 1]; g2++) {
                        node[d] = 0;
                        node[e1] = g1;
                        node[e2] = g2;
                        m.apply(node[0], node[1], node[2], p0);
                        double[] range = {0, counts[d] - 1};
                        if (clip(range, p0[0], dx, box[0], box[1]) && clip(range, p0[1], dy, box[2], box[3])
                                && clip(range, p0[2], dz, box[4], box[5])) {
                            addLineCrossings(p0, dx, dy, dz, range[0], range[1]);
                        }
                    }
                }
            }
        }

        /**
         * The points where the segment from (ax, ay, az) to (bx, by, bz) crosses a cell plane of the lattice (a node
         * index, 0 .. count - 1, of any axis, strictly between its values ua and ub at the ends), inside the grid.
         */
        private void addCellCrossings(double ax, double ay, double az, double bx, double by, double bz,
                                      double[] ua, double[] ub, int[] counts) {
            for (int d = 0; d < 3; d++) {
                if (ua[d] == ub[d]) {
                    continue;
                }
                // the node indices strictly between (latticeValues(0, 1, count, lo, hi, false), without an array)
                double lo = Math.min(ua[d], ub[d]), hi = Math.max(ua[d], ub[d]);
                int to = (int) Math.min(counts[d] - 1, Math.ceil(hi) - 1);
                for (int u = (int) Math.max(0, Math.floor(lo) + 1); u <= to; u++) {
                    double f = (u - ua[d]) / (ub[d] - ua[d]);
                    double x = ax + f * (bx - ax), y = ay + f * (by - ay), z = az + f * (bz - az);
                    if (inGridPlane(x, y)) {
                        addSample((float) x, (float) y, (float) z, 0f);
                    }
                }
            }
        }

        /**
         * The points where the line p0 + t (dx, dy, dz), tLo <= t <= tHi, crosses a plane's walls within its slab, or
         * a slab end that is the structure's surface or the grid's end inside the plane's region; inside the grid.
         */
        private void addLineCrossings(double[] p0, double dx, double dy, double dz, double tLo, double tHi) {
            double x0 = p0[0], y0 = p0[1], z0 = p0[2];
            java.util.function.DoubleConsumer onWall = t -> {
                double x = x0 + t * dx, y = y0 + t * dy;
                if (inGridPlane(x, y)) {
                    addSample((float) x, (float) y, (float) (z0 + t * dz), 0f);
                }
            };
            double[] slab = new double[2];
            for (int q = 0; q < planes.size(); q++) {
                Plane p = planes.get(q);
                double zLo = Math.max(p.lo, -0.5), zHi = Math.min(p.hi, nz - 0.5);
                if (zHi - zLo <= 0) {
                    continue;
                }
                slab[0] = tLo;
                slab[1] = tHi;
                if (!clip(slab, z0, dz, zLo, zHi)) {
                    continue;
                }
                p.region.lineCrossings(x0, y0, dx, dy, slab[0], slab[1], onWall);
                if (dz == 0) {
                    continue;
                }
                for (int side = 0; side < 2; side++) {
                    double end = side == 0 ? zLo : zHi;
                    double t = (end - z0) / dz;
                    if (t < tLo || t > tHi) {
                        continue;
                    }
                    double x = x0 + t * dx, y = y0 + t * dy;
                    boolean gridEnd = side == 0 ? zLo <= -0.5 + SLAB_SNAP : zHi >= nz - 0.5 - SLAB_SNAP;
                    if (inGridPlane(x, y) && p.region.containsOrOn(x, y, PlaneRaster.ON_OUTLINE)
                            && (gridEnd || !heldBeyond(q, side == 1, end, x, y))) {
                        addSample((float) x, (float) y, (float) end, 0f);
                    }
                }
            }
        }

        private boolean inGridPlane(double x, double y) {
            return x >= -0.5 && x <= nx - 0.5 && y >= -0.5 && y <= ny - 0.5;
        }

        /** Whether a plane with thickness beyond plane q's end (above it when {@code above}) holds (x, y) there. */
        private boolean heldBeyond(int q, boolean above, double end, double x, double y) {
            for (int r = above ? q + 1 : q - 1; r >= 0 && r < planes.size(); r += above ? 1 : -1) {
                Plane b = planes.get(r);
                if (above ? b.lo > end + SLAB_SNAP : b.hi < end - SLAB_SNAP) {
                    return false;
                }
                if (b.hi - b.lo > 0 && b.region.containsOrOn(x, y, PlaneRaster.ON_OUTLINE)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Narrows range (t0, t1) to where o + t d lies within [lo, hi] (all of it or none when d is 0); false when
         * nothing is left.
         */
        private static boolean clip(double[] range, double o, double d, double lo, double hi) {
            if (d == 0) {
                return o >= lo && o <= hi && range[0] <= range[1];
            }
            double ta = (lo - o) / d, tb = (hi - o) / d;
            range[0] = Math.max(range[0], Math.min(ta, tb));
            range[1] = Math.min(range[1], Math.max(ta, tb));
            return range[0] <= range[1];
        }

        private static boolean inBox(double[] at, double[] box) {
            return at[0] >= box[0] && at[0] <= box[1] && at[1] >= box[2] && at[1] <= box[3] && at[2] >= box[4]
                    && at[2] <= box[5];
        }

        /**
         * Whether the point lies in the structure's closed solid: on a plane's region or its outline (within
         * {@link PlaneRaster#ON_OUTLINE}) and within its slab, ends included (within {@link #SLAB_SNAP}); a plane
         * whose slab has no thickness (between two gaps, without end caps) holds nothing, as it has no samples.
         */
        private boolean encloses(double x, double y, double z) {
            int a = 0, b = planes.size();
            while (a < b) { // the first plane whose slab reaches z
                int m = (a + b) >>> 1;
                if (planes.get(m).hi < z - SLAB_SNAP) {
                    a = m + 1;
                } else {
                    b = m;
                }
            }
            for (int q = a; q < planes.size() && planes.get(q).lo <= z + SLAB_SNAP; q++) {
                Plane p = planes.get(q);
                if (p.hi > p.lo && p.region.containsOrOn(x, y, PlaneRaster.ON_OUTLINE)) {
                    return true;
                }
            }
            return false;
        }

        private void addAtLevels(float x, float y, float[] levels) {
            for (float z : levels) {
                addSample(x, y, z, 0f);
            }
        }

        private static int[] emptyBox() {
            return new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, -1, -1};
        }

        private int[] clear(float[] slice, int[] box) {
            for (int j = box[1]; j <= box[3]; j++) {
                Arrays.fill(slice, box[0] + nx * j, box[2] + nx * j + 1, 0f);
            }
            box[0] = box[1] = Integer.MAX_VALUE;
            box[2] = box[3] = -1;
            return box;
        }

        /** Index of the first plane whose slab reaches above the bottom of slice k (slabs are ordered and disjoint). */
        private int firstPlaneFor(int k) {
            int a = 0, b = planes.size();
            while (a < b) {
                int m = (a + b) >>> 1;
                if (planes.get(m).hi <= k - 0.5) {
                    a = m + 1;
                } else {
                    b = m;
                }
            }
            return a;
        }

        /** Fills slice k's occupancy (after clearing what the buffer held) and returns its pixel box. */
        private int[] occupancy(int k, float[] slice, int[] box) {
            clear(slice, box);
            for (int q = firstPlaneFor(k); q < planes.size() && planes.get(q).lo < k + 0.5; q++) {
                Plane p = planes.get(q);
                double overlap = Math.min(p.hi, k + 0.5) - Math.max(p.lo, k - 0.5);
                if (overlap <= 0 || !p.onGrid) {
                    continue;
                }
                PlaneRaster r = rasterOf(q);
                if (r.width == 0) {
                    continue;
                }
                float ov = (float) overlap;
                for (int lj = 0; lj < r.height; lj++) {
                    int base = r.i0 + nx * (r.j0 + lj);
                    int rb = lj * r.width;
                    for (int li = 0; li < r.width; li++) {
                        slice[base + li] += r.coverage[rb + li] * ov;
                    }
                }
                box[0] = Math.min(box[0], r.i0);
                box[1] = Math.min(box[1], r.j0);
                box[2] = Math.max(box[2], r.i0 + r.width - 1);
                box[3] = Math.max(box[3], r.j0 + r.height - 1);
            }
            return box;
        }

        private void emitSlice(int k) {
            int[] box = curBox;
            int sliceBase = nx * ny * k;
            float centreCc = (float) voxelCc;
            // Consecutive centre voxels are handed over as one run (a call per voxel was most of this loop's time
            // for a body on a fine grid); the run is closed before any sub-sample, so the order stays the same.
            int centresFrom = -1;
            int centres = 0;
            for (int j = box[1]; j <= box[3]; j++) {
                int runFrom = -1;
                for (int i = box[0]; i <= box[2] + 1; i++) {
                    float f = i <= box[2] ? cur[i + nx * j] : 0f;
                    boolean isFull = f >= FULL;
                    if (isFull && runFrom < 0) {
                        runFrom = i;
                    } else if (!isFull && runFrom >= 0) {
                        runStart.add(sliceBase + runFrom + nx * j);
                        runLength.add(i - runFrom);
                        runFrom = -1;
                    }
                    if (i > box[2]) {
                        break;
                    }
                    if (isFull) {
                        int v = i + nx * j; // the slice buffers hold zeros outside their boxes
                        if (i > 0 && i < nx - 1 && j > 0 && j < ny - 1 && k > 0 && k < nz - 1
                                && cur[v - 1] >= FULL && cur[v + 1] >= FULL && cur[v - nx] >= FULL
                                && cur[v + nx] >= FULL && prev[v] >= FULL && next[v] >= FULL) {
                            if (centres > 0 && centresFrom + centres == v + sliceBase) {
                                centres++;
                            } else {
                                samples.addCentres(centresFrom, centres, centreCc);
                                centresFrom = v + sliceBase;
                                centres = 1;
                            }
                        } else {
                            samples.addCentres(centresFrom, centres, centreCc);
                            centres = 0;
                            subSample(i, j, k);
                        }
                    } else if (f > EMPTY) {
                        samples.addCentres(centresFrom, centres, centreCc);
                        centres = 0;
                        partialIndex.add(sliceBase + i + nx * j);
                        partialOcc.add(f);
                        subSample(i, j, k);
                    }
                }
            }
            samples.addCentres(centresFrom, centres, centreCc);
        }

        /**
         * Whether a sub-sample of this slab part lies on the voxel's centre already (an odd n puts one in plane on
         * it; then one of the part's heights may be k): the centre needs no sample of its own. One sub-sample per
         * pixel (n = 1, the largest structures) over a whole voxel height is the centre: a second sample there
         * would double the structure's boundary samples for nothing.
         */
        private boolean subSampleAtCentre(int k, double zLo, double len) {
            if ((n & 1) == 0) {
                return false;
            }
            int h = heights(n, len);
            long t = Math.round((k - zLo) * h / len - 0.5);
            return t >= 0 && t < h && (float) (zLo + (t + 0.5) * len / h) == (float) k;
        }

        /**
         * Where plane q's slab ends within voxel (i, j, k), off the node's height, and the plane holds the node (i, j):
         * the point (i, j, end) when the end is a surface there, the neighbouring plane sharing that end not holding
         * the node. A trilinear dose along the node's column is linear from the node inside to the next one outside,
         * so it can peak or dip at that point, which no sub-sample reaches (they lie half a sub-layer in).
         */
        private void addCapNodes(int q, int i, int j, int k) {
            Plane p = planes.get(q);
            int v = i + nx * j;
            // an end within rounding beyond this voxel's face leaves the next voxel empty, never sub-sampled: taken here
            boolean hiHere = p.hi <= k + 0.5 || (k + 1 < nz && p.hi < k + 1.5 && next[v] <= EMPTY);
            boolean loHere = p.lo >= k - 0.5 || (k > 0 && p.lo > k - 1.5 && prev[v] <= EMPTY);
            if (hiHere && p.hi != k && surfaceAt(q + 1, true, p.hi, i, j)) {
                addSample(i, j, (float) p.hi, 0f);
            }
            if (loHere && p.lo != k && surfaceAt(q - 1, false, p.lo, i, j)) {
                addSample(i, j, (float) p.lo, 0f);
            }
        }

        /**
         * Whether a slab end at height z is the structure's surface at node (i, j): no plane beyond it (the last, or a
         * skipped-plane gap), or plane {@code beyond} (above or below) starts there without holding the node. A plane
         * beyond the grid's end continues the structure out of the grid: no surface.
         */
        private boolean surfaceAt(int beyond, boolean above, double z, int i, int j) {
            if (beyond < 0 || beyond >= planes.size()) {
                return true;
            }
            Plane b = planes.get(beyond);
            if (Math.abs((above ? b.lo : b.hi) - z) > SLAB_SNAP) {
                return true;
            }
            return b.onGrid && !rasterOf(beyond).centreInside(i, j);
        }

        private void addSample(float i, float j, float k, float volumeCc) {
            (volumeCc > 0f ? samples : points).addPoint(i, j, k, volumeCc);
        }

        /**
         * Sub-samples of voxel (i, j, k) that lie inside the structure, each with its share of the volume; and, carrying
         * no volume, the voxel's centre when it lies inside (a grid node: where a trilinear dose peaks) and the node's
         * column where it meets a slab end on the structure's surface ({@link #addCapNodes}).
         */
        private void subSample(int i, int j, int k) {
            boolean centreDone = false;
            for (int q = firstPlaneFor(k); q < planes.size() && planes.get(q).lo < k + 0.5; q++) {
                Plane p = planes.get(q);
                double zLo = Math.max(p.lo, k - 0.5), zHi = Math.min(p.hi, k + 0.5);
                double len = zHi - zLo;
                if (len <= 0 || !p.onGrid) {
                    continue;
                }
                PlaneRaster raster = rasterOf(q);
                boolean centreHere = !centreDone && p.lo <= k && k <= p.hi;
                boolean nodeInside = (centreHere || crossings) && raster.centreInside(i, j);
                if (centreHere && nodeInside) {
                    if (!subSampleAtCentre(k, zLo, len)) {
                        addSample(i, j, k, 0f);
                    }
                    centreDone = true;
                }
                if (nodeInside && crossings) {
                    addCapNodes(q, i, j, k);
                }
                float c = raster.coverageAt(i, j);
                if (c <= 0f) {
                    continue;
                }
                int heights = heights(n, len);
                int mask;
                float wx = 0, wy = 0;
                if (c >= 1f) {
                    mask = (1 << (n * n)) - 1;
                } else {
                    mask = raster.sampleMask[(i - raster.i0) + raster.width * (j - raster.j0)];
                    if (mask == 0) {
                        continue; // no point of the region found: a coverage of rounding size
                    }
                    if (PlaneRaster.isWitness(mask)) {
                        wx = PlaneRaster.witnessDx(mask);
                        wy = PlaneRaster.witnessDy(mask);
                    }
                }
                boolean witness = PlaneRaster.isWitness(mask);
                int inPlane = witness ? 1 : Integer.bitCount(mask);
                float vol = (float) (c * len * voxelCc / ((double) inPlane * heights));
                for (int t = 0; t < heights; t++) {
                    float z = (float) (zLo + (t + 0.5) * len / heights);
                    if (witness) {
                        addSample(i + wx, j + wy, z, vol);
                        continue;
                    }
                    for (int r = 0; r < n; r++) {
                        for (int s = 0; s < n; s++) {
                            if ((mask & (1 << (r * n + s))) != 0) {
                                addSample((float) (i + PlaneRaster.sampleOffset(s, n)), (float) (j + PlaneRaster.sampleOffset(r, n)), z, vol);
                            }
                        }
                    }
                }
            }
        }
    }

    /** A growable int array; {@link #join} reads {@code a} and {@code size} directly. */
    private static final class IntList {
        private int[] a = new int[256];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }
    }

    /** A growable float array. */
    private static final class FloatList {
        private float[] a = new float[256];
        private int size;

        void add(float v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }
    }
}
