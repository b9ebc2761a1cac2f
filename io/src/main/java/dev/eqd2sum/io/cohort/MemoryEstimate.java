package dev.eqd2sum.io.cohort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much heap a case needs, estimated from the sizes of its RT Dose files without reading them (the cohort
 * must schedule hundreds of cases before any runs). File size stands in for the grid size: a dose file holds
 * 2 or 4 bytes per voxel, so a grid holds at most {@code fileBytes / 2} voxels, i.e. at most
 * {@code 2 * fileBytes} as a float[] in Gy.
 *
 * <p>The estimate (upper bound for "current" output grids):
 * <pre>
 *   BASE                                  structures, masks, sample points, DVHs, JSON
 * + sum over dose files of 2 * bytes      every course grid decoded to float[] (BEAM files each)
 * + largest dose file bytes               the file's bytes while it is decoded
 * + K * 2 * largest dose file bytes       full-size grids on the output grid: the EQD2 map,
 *                                         alpha/beta and target maps, the RT Dose writer's
 *                                         buffers (K = 5); under --no-dose no map is built and
 *                                         K = 1 covers the structures' sample points and doses
 * </pre>
 * Output grids finer or larger than the current course's ({@code union}, {@code spacingMm}) can exceed it; a
 * case that then runs out of memory is retried alone and fails alone (see {@link CohortRun}).
 * {@link #lowerBoundBytes} is what certainly does not fit: the dose files' bytes themselves.
 */
public final class MemoryEstimate {
    static final long BASE_BYTES = 32L << 20;
    static final int FULL_GRIDS = 5;

    private MemoryEstimate() {
    }

    public static long estimateBytes(CohortCase c, boolean noDose) {
        long sum = 0;
        long largest = 0;
        for (Path f : c.doseFiles()) {
            long size = size(f);
            sum += size;
            largest = Math.max(largest, size);
        }
        return BASE_BYTES + 2 * sum + largest + (noDose ? 1 : FULL_GRIDS) * 2 * largest;
    }

    /** Bytes the case certainly needs: its dose files decoded take at least their size (at most 4 bytes per voxel). */
    public static long lowerBoundBytes(CohortCase c) {
        long sum = 0;
        for (Path f : c.doseFiles()) {
            sum += size(f);
        }
        return sum;
    }

    /**
     * Output voxels times passes the case will push through the kernels, at least: the current course's
     * largest dose file at 4 bytes per voxel (the output grid is the current course's by default; a 16-bit
     * file holds twice as many) times one pass per course. Exported alpha/beta maps are left out. For
     * {@code KernelProvider.planRun}, so a lower bound: {@code auto} then takes the Vector API only for a
     * cohort that certainly pays for its warm-up.
     */
    public static long voxelPasses(CohortCase c) {
        long largest = 0;
        for (Path f : c.currentDoseFiles()) {
            largest = Math.max(largest, size(f));
        }
        return largest / Float.BYTES * c.courseCount();
    }

    /** {@link #voxelPasses(CohortCase)} summed over a cohort. */
    public static long voxelPasses(List<CohortCase> cases) {
        long sum = 0;
        for (CohortCase c : cases) {
            sum += voxelPasses(c);
        }
        return sum;
    }

    private static long size(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
