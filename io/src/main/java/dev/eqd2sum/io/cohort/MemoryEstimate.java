package dev.eqd2sum.io.cohort;

import dev.eqd2sum.engine.plansum.MemoryNeed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much heap a case needs, estimated from the sizes of its RT Dose files without reading them (the cohort
 * must schedule hundreds of cases before any runs), with {@link MemoryNeed}: the estimate `sum` refuses too large
 * a case with. File size stands in for the grid sizes: a dose file holds 2 or 4 bytes per voxel, so a grid
 * holds at most {@code fileBytes / 2} voxels; the output grid is taken as large as the largest dose file's grid
 * (the current course's, by default).
 *
 * <p>A finer output grid ({@code outputGrid.spacingMm}) or a larger one ({@code union}) needs more: the case
 * reports its real need from its grids once it has read them ({@link dev.eqd2sum.engine.plansum.HeapBudget}),
 * and {@link CohortRun} then waits for the rest of its share, or fails the case as `sum` would when it exceeds
 * the heap. {@link #lowerBoundBytes} is what certainly does not fit: the dose files' bytes themselves.
 */
public final class MemoryEstimate {
    private MemoryEstimate() {
    }

    /**
     * @param noDose unused: without the EQD2 maps, a large structure's statistics on the output grid need about as
     *               much (bench/results/memory.md)
     */
    public static long estimateBytes(CohortCase c, boolean noDose) {
        long sum = 0;
        long largest = 0;
        for (Path f : c.doseFiles()) {
            long size = size(f);
            sum += size;
            largest = Math.max(largest, size);
        }
        return MemoryNeed.bytes(largest / 2, sum / 2);
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
