package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.StructureMask;
import dev.eqd2sum.engine.structure.StructureShape;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Per-output-voxel tissue properties for the EQD2 map: the alpha/beta of each voxel and whether
 * it is target (never forgiven). Built from structure occupancies (CONTRACT, alphaBeta map):
 * <ul>
 *   <li>a voxel whose union of structures with an alpha/beta covers at least 50 % of it takes
 *       the lowest alpha/beta among those structures that occupy it; otherwise the default;</li>
 *   <li>a voxel covered at least 50 % by the union of target structures is target.</li>
 * </ul>
 * Occupancies come per structure. The union's coverage lies between the largest occupancy (structures nested)
 * and their sum (disjoint), so it is decided by them wherever the largest reaches the threshold or the sum stays
 * below it: every voxel one structure reaches into alone or covers wholly, and most shared ones. In the few voxels
 * left, where two or more structures each cover less than half and together at least half (two organs meeting
 * inside a voxel, a CTV inside a PTV's edge), the structures' shapes give the union's coverage
 * ({@link StructureShape#unionCoverage}: exact along the slabs and across each line, the lines read between the
 * outlines' vertex heights). Without shapes such a voxel keeps the estimate {@code 1 - prod(1 - f_s)} (structures
 * placed independently within it).
 *
 * <p>The alpha/beta map holds a handful of values (the default and one per structure with its own), so
 * {@link #fromStructures} gives it as one byte per voxel indexing a table of them: a quarter of the
 * memory of a float per voxel (52 MB instead of 210 MB on a 52 M-voxel grid).
 *
 * @param defaultAlphaBetaGy alpha/beta where no map entry applies (Gy)
 * @param alphaBetaGy        per-voxel alpha/beta (Gy), or null (uniform default, or the index below)
 * @param target             per-voxel 1 for target voxels, or null for none
 * @param alphaBetaIndex     per-voxel index (unsigned byte) into alphaBetaTableGy, or null; not together
 *                           with alphaBetaGy
 * @param alphaBetaTableGy   the values alphaBetaIndex points at (Gy), at most 256
 */
public record TissueMap(float defaultAlphaBetaGy, float[] alphaBetaGy, byte[] target, byte[] alphaBetaIndex,
                        float[] alphaBetaTableGy) {
    public static final double COVERAGE_THRESHOLD = 0.5;

    public TissueMap {
        if (!(defaultAlphaBetaGy > 0)) {
            throw new IllegalArgumentException("alpha/beta must be positive: " + defaultAlphaBetaGy);
        }
        if (alphaBetaIndex != null && (alphaBetaGy != null || alphaBetaTableGy == null
                || alphaBetaTableGy.length == 0 || alphaBetaTableGy.length > 256)) {
            throw new IllegalArgumentException("an alpha/beta index needs a table of 1 to 256 values and no float map");
        }
    }

    /** A map with per-voxel alpha/beta as floats (or none). */
    public TissueMap(float defaultAlphaBetaGy, float[] alphaBetaGy, byte[] target) {
        this(defaultAlphaBetaGy, alphaBetaGy, target, null, null);
    }

    /**
     * A structure's occupancy of the output grid with the alpha/beta it carries, and its shape (null: unknown) for
     * the voxels it shares.
     */
    public record StructureAlphaBeta(StructureMask mask, double alphaBetaGy, StructureShape shape) {
        public StructureAlphaBeta {
            if (!(alphaBetaGy > 0)) {
                throw new IllegalArgumentException("alpha/beta must be positive: " + alphaBetaGy);
            }
        }

        public StructureAlphaBeta(StructureMask mask, double alphaBetaGy) {
            this(mask, alphaBetaGy, null);
        }
    }



    /** The same alpha/beta everywhere and no targets (e.g. the {@code exportAlphaBeta} maps). */
    public static TissueMap uniform(double alphaBetaGy) {
        return new TissueMap((float) alphaBetaGy, null, null);
    }

    /** This map with uniform alpha/beta, keeping the target voxels (never forgiven). */
    public TissueMap withUniformAlphaBeta(double alphaBetaGy) {
        return new TissueMap((float) alphaBetaGy, null, target);
    }

    /** Number of voxels the alpha/beta map covers, or -1 without a map. */
    public int alphaBetaMapLength() {
        return alphaBetaIndex != null ? alphaBetaIndex.length : alphaBetaGy != null ? alphaBetaGy.length : -1;
    }

    /**
     * The map for {@code grid} from structures with an alpha/beta and the target structures' masks.
     * Every mask must be on {@code grid}.
     */
    public static TissueMap fromStructures(GridGeometry grid, double defaultAlphaBetaGy,
                                           List<StructureAlphaBeta> withAlphaBeta, List<StructureMask> targets) {
        return fromStructures(grid, defaultAlphaBetaGy, withAlphaBeta, targets, null);
    }

    /**
     * As {@link #fromStructures(GridGeometry, double, List, List)}, with the target structures' shapes
     * ({@code targetShapes}, in the order of {@code targets}; null or null entries: unknown) for the voxels they share.
     */
    public static TissueMap fromStructures(GridGeometry grid, double defaultAlphaBetaGy,
                                           List<StructureAlphaBeta> withAlphaBeta, List<StructureMask> targets,
                                           List<StructureShape> targetShapes) {
        TissueMap estimated = estimated(grid, defaultAlphaBetaGy, withAlphaBeta, targets);
        settleSharedVoxels(grid, withAlphaBeta, estimated, targets, targetShapes);
        return estimated;
    }

    private static TissueMap estimated(GridGeometry grid, double defaultAlphaBetaGy,
                                       List<StructureAlphaBeta> withAlphaBeta, List<StructureMask> targets) {
        int n = grid.voxelCount();
        for (StructureAlphaBeta s : withAlphaBeta) {
            checkGrid(grid, s.mask());
        }
        for (StructureMask m : targets) {
            checkGrid(grid, m);
        }
        // Only the voxels the structures occupy are visited (a cord or a PTV is a tiny part of the
        // grid). Per touched voxel, scratch holds ~floatBits(prod(1 - f)), 0 meaning untouched, so
        // the products are the same float operations in the same order as a dense array of ones.
        float[] table = null;
        if (!withAlphaBeta.isEmpty()) {
            // Index 0 is the default; the structures' values follow, each once. Comparing table values
            // keeps the lowest alpha/beta exactly as with floats per voxel.
            table = alphaBetaTable((float) defaultAlphaBetaGy, withAlphaBeta);
            if (table == null) {
                return fromStructuresAsFloats(grid, defaultAlphaBetaGy, withAlphaBeta, targets);
            }
        }
        long abTouched = 0;
        for (StructureAlphaBeta s : withAlphaBeta) {
            abTouched += voxelsTouched(s.mask());
        }
        long targetTouched = 0;
        for (StructureMask m : targets) {
            targetTouched += voxelsTouched(m);
        }
        byte[] ab = null;
        byte[] target;
        if (!withAlphaBeta.isEmpty() && !targets.isEmpty() && abTouched * 4 < n && targetTouched * 4 < n) {
            // The two maps do not depend on each other: the target map is made on the common pool meanwhile, each
            // with a scratch table of its own voxels (a one-case run's second core is idle here). Not when either
            // table would be a full-size array: then one scratch, shared in turn (peak memory).
            UncoveredFractions targetScratch = UncoveredFractions.forVoxels(n, targetTouched);
            ForkJoinTask<byte[]> targetMap = ForkJoinPool.commonPool().submit(
                    () -> targetMap(n, targets, targetScratch));
            ab = alphaBetaIndex(n, withAlphaBeta, table, UncoveredFractions.forVoxels(n, abTouched));
            target = targetMap.join();
        } else {
            UncoveredFractions scratch = UncoveredFractions.forVoxels(n, abTouched + targetTouched);
            if (!withAlphaBeta.isEmpty()) {
                ab = alphaBetaIndex(n, withAlphaBeta, table, scratch);
            }
            target = targets.isEmpty() ? null : targetMap(n, targets, scratch);
        }
        return ab == null ? new TissueMap((float) defaultAlphaBetaGy, null, target)
                : new TissueMap((float) defaultAlphaBetaGy, null, target, ab, table);
    }

    /**
     * Per voxel the index into {@code table} of its alpha/beta (0: the default). Leaves {@code scratch} as it
     * found it: every voxel it touched back to 0.
     */
    private static byte[] alphaBetaIndex(int n, List<StructureAlphaBeta> withAlphaBeta, float[] table,
                                         UncoveredFractions scratch) {
        byte[] ab = new byte[n];
        for (StructureAlphaBeta s : withAlphaBeta) {
            float value = (float) s.alphaBetaGy();
            byte index = (byte) indexOf(table, value);
            StructureMask m = s.mask();
            for (int r = 0; r < m.runStart().length; r++) {
                for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                    ab[v] = cover(scratch, v, 1f) || value < table[ab[v] & 0xFF] ? index : ab[v];
                }
            }
            for (int p = 0; p < m.partialIndex().length; p++) {
                int v = m.partialIndex()[p];
                float f = m.partialOccupancy()[p];
                if (f > 0) {
                    ab[v] = cover(scratch, v, f) || value < table[ab[v] & 0xFF] ? index : ab[v];
                }
            }
        }
        for (StructureAlphaBeta s : withAlphaBeta) {
            StructureMask m = s.mask();
            for (int r = 0; r < m.runStart().length; r++) {
                for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                    if (scratch.get(v) != 0 && !coveredEnough(scratch, v)) {
                        ab[v] = 0;
                    }
                    scratch.put(v, 0);
                }
            }
            for (int v : m.partialIndex()) {
                if (scratch.get(v) != 0 && !coveredEnough(scratch, v)) {
                    ab[v] = 0;
                }
                scratch.put(v, 0);
            }
        }
        return ab;
    }

    /** Per voxel 1 where the union of the target structures covers enough of it. */
    private static byte[] targetMap(int n, List<StructureMask> targets, UncoveredFractions scratch) {
        byte[] target = new byte[n];
        for (StructureMask m : targets) {
            for (int r = 0; r < m.runStart().length; r++) {
                for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                    cover(scratch, v, 1f);
                }
            }
            for (int p = 0; p < m.partialIndex().length; p++) {
                cover(scratch, m.partialIndex()[p], m.partialOccupancy()[p]);
            }
        }
        for (StructureMask m : targets) {
            for (int r = 0; r < m.runStart().length; r++) {
                for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                    if (scratch.get(v) != 0) {
                        target[v] = (byte) (coveredEnough(scratch, v) ? 1 : 0);
                        scratch.put(v, 0);
                    }
                }
            }
            for (int v : m.partialIndex()) {
                if (scratch.get(v) != 0) {
                    target[v] = (byte) (coveredEnough(scratch, v) ? 1 : 0);
                    scratch.put(v, 0);
                }
            }
        }
        return target;
    }

    /** Decides the shared voxels of both maps by the structures' shapes (see the class comment), in place. */
    private static void settleSharedVoxels(GridGeometry grid, List<StructureAlphaBeta> withAlphaBeta, TissueMap map,
                                           List<StructureMask> targets, List<StructureShape> targetShapes) {
        if (withAlphaBeta.size() >= 2 && (map.alphaBetaIndex != null || map.alphaBetaGy != null)) {
            List<StructureMask> masks = new java.util.ArrayList<>();
            List<StructureShape> shapes = new java.util.ArrayList<>();
            for (StructureAlphaBeta s : withAlphaBeta) {
                masks.add(s.mask());
                shapes.add(s.shape());
            }
            SharedVoxels shared = SharedVoxels.find(grid, masks, shapes);
            for (int t = 0; t < shared.voxels.length; t++) {
                int v = shared.voxels[t];
                // covered: the lowest alpha/beta of the structures in the voxel (all partial there); else the default
                float lowest = Float.POSITIVE_INFINITY;
                if (shared.covered[t]) {
                    for (StructureAlphaBeta s : withAlphaBeta) {
                        if (SharedVoxels.isPartial(s.mask(), v) && (float) s.alphaBetaGy() < lowest) {
                            lowest = (float) s.alphaBetaGy();
                        }
                    }
                }
                if (map.alphaBetaIndex != null) {
                    map.alphaBetaIndex[v] = (byte) (shared.covered[t] ? Math.max(0, indexOf(map.alphaBetaTableGy, lowest)) : 0);
                } else {
                    map.alphaBetaGy[v] = shared.covered[t] ? lowest : map.defaultAlphaBetaGy;
                }
            }
        }
        if (targets.size() >= 2 && targetShapes != null && map.target != null) {
            SharedVoxels shared = SharedVoxels.find(grid, targets, targetShapes);
            for (int t = 0; t < shared.voxels.length; t++) {
                map.target[shared.voxels[t]] = (byte) (shared.covered[t] ? 1 : 0);
            }
        }
    }

    /**
     * The voxels whose union coverage the occupancies leave open (each structure there partial and below the
     * threshold, their sum at or above it, none covering the voxel wholly), with whether the union covers at least
     * half of the voxel ({@link StructureShape#unionCoverage}). Voxels with a structure of unknown shape are left out.
     */
    static final class SharedVoxels {
        final int[] voxels;
        final boolean[] covered;

        private SharedVoxels(int[] voxels, boolean[] covered) {
            this.voxels = voxels;
            this.covered = covered;
        }

        static SharedVoxels find(GridGeometry grid, List<StructureMask> masks, List<StructureShape> shapes) {
            if (masks.size() < 2) {
                return new SharedVoxels(new int[0], new boolean[0]);
            }
            // voxels partial in two structures or more: merges of the sorted partial lists, pair by pair (a few
            // structures; sequential scans, cheap even before the JIT), then each one's sum and largest occupancy
            float threshold = (float) COVERAGE_THRESHOLD - 1e-6f; // as coveredEnough
            int[] open = new int[16];
            int count = 0;
            for (int s1 = 0; s1 < masks.size(); s1++) {
                int[] a1 = masks.get(s1).partialIndex();
                for (int s2 = s1 + 1; s2 < masks.size(); s2++) {
                    int[] a2 = masks.get(s2).partialIndex();
                    for (int p = 0, q = 0; p < a1.length && q < a2.length; ) {
                        if (a1[p] < a2[q]) {
                            p++;
                        } else if (a1[p] > a2[q]) {
                            q++;
                        } else {
                            int v = a1[p];
                            p++;
                            q++;
                            if (firstPartialPair(masks, v) != s1 * masks.size() + s2) {
                                continue; // met by an earlier pair
                            }
                            float sum = 0, max = 0;
                            for (StructureMask m : masks) {
                                int at = java.util.Arrays.binarySearch(m.partialIndex(), v);
                                if (at >= 0) {
                                    float f = m.partialOccupancy()[at];
                                    sum += f;
                                    max = Math.max(max, f);
                                }
                            }
                            if (max < threshold && sum >= threshold && !isInterior(masks, v)
                                    && shapesKnown(masks, shapes, v)) {
                                if (count == open.length) {
                                    open = java.util.Arrays.copyOf(open, 2 * count);
                                }
                                open[count++] = v;
                            }
                        }
                    }
                }
            }
            int[] voxels = java.util.Arrays.copyOf(open, count);
            java.util.Arrays.sort(voxels);
            boolean[] covered = new boolean[count];
            int nx = grid.nx(), ny = grid.ny();
            List<StructureShape> present = new java.util.ArrayList<>();
            for (int t = 0; t < count; t++) {
                int v = voxels[t];
                present.clear();
                for (int s = 0; s < masks.size(); s++) {
                    if (isPartial(masks.get(s), v)) {
                        present.add(shapes.get(s));
                    }
                }
                covered[t] = StructureShape.unionCoverage(present, v % nx, (v / nx) % ny, v / nx / ny) >= threshold;
            }
            return new SharedVoxels(voxels, covered);
        }

        /** The first pair (s1 * n + s2, s1 < s2) of structures partial in voxel v. */
        private static int firstPartialPair(List<StructureMask> masks, int v) {
            int first = -1;
            for (int s = 0; s < masks.size(); s++) {
                if (java.util.Arrays.binarySearch(masks.get(s).partialIndex(), v) >= 0) {
                    if (first < 0) {
                        first = s;
                    } else {
                        return first * masks.size() + s;
                    }
                }
            }
            return -1;
        }

        private static boolean shapesKnown(List<StructureMask> masks, List<StructureShape> shapes, int v) {
            for (int s = 0; s < masks.size(); s++) {
                if (isPartial(masks.get(s), v) && (shapes == null || s >= shapes.size() || shapes.get(s) == null)) {
                    return false;
                }
            }
            return true;
        }

        static boolean isPartial(StructureMask m, int v) {
            return java.util.Arrays.binarySearch(m.partialIndex(), v) >= 0;
        }

        private static boolean isInterior(List<StructureMask> masks, int v) {
            for (StructureMask m : masks) {
                int r = java.util.Arrays.binarySearch(m.runStart(), v);
                if (r >= 0) {
                    return true;
                }
                r = -r - 2; // the last run starting before v
                if (r >= 0 && v < m.runStart()[r] + m.runLength()[r]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The default, then each structure's alpha/beta once; null when more than 256 values. */
    private static float[] alphaBetaTable(float dflt, List<StructureAlphaBeta> withAlphaBeta) {
        float[] values = new float[257];
        int count = 0;
        values[count++] = dflt;
        for (StructureAlphaBeta s : withAlphaBeta) {
            float value = (float) s.alphaBetaGy();
            if (indexOf(java.util.Arrays.copyOf(values, count), value) < 0) {
                if (count == 256) {
                    return null;
                }
                values[count++] = value;
            }
        }
        return java.util.Arrays.copyOf(values, count);
    }

    private static int indexOf(float[] table, float value) {
        for (int i = 0; i < table.length; i++) {
            if (Float.floatToIntBits(table[i]) == Float.floatToIntBits(value)) {
                return i;
            }
        }
        return -1;
    }

    /** More than 256 distinct alpha/beta values (no real case has them): the map as floats, per voxel. */
    private static TissueMap fromStructuresAsFloats(GridGeometry grid, double defaultAlphaBetaGy,
                                                    List<StructureAlphaBeta> withAlphaBeta, List<StructureMask> targets) {
        int n = grid.voxelCount();
        long targetTouched = 0;
        for (StructureMask m : targets) {
            targetTouched += voxelsTouched(m);
        }
        byte[] target = targets.isEmpty() ? null
                : targetMap(n, targets, UncoveredFractions.forVoxels(n, targetTouched));
        float[] ab = new float[n];
        float dflt = (float) defaultAlphaBetaGy;
        java.util.Arrays.fill(ab, dflt);
        UncoveredFractions scratch = UncoveredFractions.forVoxels(n, n);
        for (StructureAlphaBeta s : withAlphaBeta) {
            float value = (float) s.alphaBetaGy();
            StructureMask m = s.mask();
            for (int r = 0; r < m.runStart().length; r++) {
                for (int v = m.runStart()[r], end = v + m.runLength()[r]; v < end; v++) {
                    ab[v] = cover(scratch, v, 1f) ? value : Math.min(ab[v], value);
                }
            }
            for (int p = 0; p < m.partialIndex().length; p++) {
                int v = m.partialIndex()[p];
                float f = m.partialOccupancy()[p];
                if (f > 0) {
                    ab[v] = cover(scratch, v, f) ? value : Math.min(ab[v], value);
                }
            }
        }
        for (int v = 0; v < n; v++) {
            if (scratch.get(v) != 0 && !coveredEnough(scratch, v)) {
                ab[v] = dflt;
            }
        }
        return new TissueMap(dflt, ab, target);
    }

    /** Multiplies voxel v's uncovered fraction by 1 - f; true when v was untouched before. */
    private static boolean cover(UncoveredFractions scratch, int v, float f) {
        int bits = scratch.get(v);
        boolean first = bits == 0;
        float uncovered = first ? 1f : Float.intBitsToFloat(~bits);
        scratch.put(v, ~Float.floatToRawIntBits(uncovered * (1f - f)));
        return first;
    }

    private static boolean coveredEnough(UncoveredFractions scratch, int v) {
        return 1f - Float.intBitsToFloat(~scratch.get(v)) >= COVERAGE_THRESHOLD - 1e-6f;
    }

    /** Voxels a mask's runs and partials name (an upper bound on those it touches). */
    private static long voxelsTouched(StructureMask m) {
        long t = m.partialIndex().length;
        for (int len : m.runLength()) {
            t += len;
        }
        return t;
    }

    /**
     * Per voxel an int, 0 for untouched: a full-size array when the structures touch much of the grid, else an
     * open-addressing table of the touched voxels only (a cord and a PTV are a tiny part of the grid: a few
     * hundred kilobytes instead of 4 bytes per voxel, 24 MB on a 6 M-voxel grid).
     */
    static final class UncoveredFractions {
        private final int[] dense;
        private final int[] keys;   // voxel + 1; 0 marks an empty slot
        private final int[] values;
        private final int mask;
        /** 32 - log2(capacity): the slot is the top bits of the hash (the low bits repeat along a grid's slices). */
        private final int shift;

        private UncoveredFractions(int[] dense, int[] keys, int[] values) {
            this.dense = dense;
            this.keys = keys;
            this.values = values;
            this.mask = keys == null ? 0 : keys.length - 1;
            this.shift = keys == null ? 0 : 32 - Integer.numberOfTrailingZeros(keys.length);
        }

        /** For a grid of {@code voxels}, of which the structures name at most {@code touched} (with repeats). */
        static UncoveredFractions forVoxels(int voxels, long touched) {
            // two int arrays at most half full cost 16 B per touched voxel against 4 B per voxel
            if (touched * 4 >= voxels) {
                return new UncoveredFractions(new int[voxels], null, null);
            }
            int capacity = Integer.highestOneBit((int) Math.max(8, touched * 2 - 1)) << 1;
            return new UncoveredFractions(null, new int[capacity], new int[capacity]);
        }

        int get(int v) {
            if (dense != null) {
                return dense[v];
            }
            int h = slot(v);
            return keys[h] == 0 ? 0 : values[h];
        }

        void put(int v, int bits) {
            if (dense != null) {
                dense[v] = bits;
                return;
            }
            int h = slot(v);
            keys[h] = v + 1;
            values[h] = bits;
        }

        /** The slot of voxel v, or the empty slot where it would go (the table never fills: see forVoxels). */
        private int slot(int v) {
            int key = v + 1;
            int h = (key * 0x9E3779B9) >>> shift;
            while (keys[h] != 0 && keys[h] != key) {
                h = (h + 1) & mask;
            }
            return h;
        }
    }

    /** Alpha/beta of voxel v. */
    public float alphaBetaAt(int v) {
        if (alphaBetaIndex != null) {
            return alphaBetaTableGy[alphaBetaIndex[v] & 0xFF];
        }
        return alphaBetaGy == null ? defaultAlphaBetaGy : alphaBetaGy[v];
    }

    public boolean isTarget(int v) {
        return target != null && target[v] != 0;
    }

    private static void checkGrid(GridGeometry grid, StructureMask m) {
        if (!m.grid().sameGridAs(grid)) {
            throw new IllegalArgumentException("structure mask is on " + m.grid() + ", not on the output grid " + grid);
        }
    }
}
