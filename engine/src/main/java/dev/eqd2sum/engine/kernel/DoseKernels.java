package dev.eqd2sum.engine.kernel;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Whole-grid operations on one backend, split into contiguous slabs over a small fixed pool of
 * threads (the caller's thread takes the first slab). What the engine and the benchmarks call;
 * which backend does the work ({@link KernelProvider}) is decided once, at start-up. OpenCL gets
 * every range whole: the device parallelises by itself and its queue is serialised anyway.
 */
public final class DoseKernels implements AutoCloseable {
    /** Slab boundaries of same-grid passes are multiples of this many voxels (whole cache lines). */
    private static final int ALIGN = 64;

    private final DoseKernelSupport kernels;
    private final int threads;
    private final ExecutorService pool;

    /** {@code threads} >= 1; with 1 everything runs on the caller's thread. */
    public DoseKernels(DoseKernelSupport kernels, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.kernels = kernels;
        this.threads = kernels.parallelisesItself() ? 1 : threads;
        this.pool = this.threads == 1 ? null : Executors.newFixedThreadPool(this.threads - 1, r -> {
            Thread t = new Thread(r, "eqd2sum-kernel");
            t.setDaemon(true);
            return t;
        });
    }

    public DoseKernelSupport kernels() {
        return kernels;
    }

    public int threads() {
        return threads;
    }

    /** {@code acc[v] += w(v) * EQD2(doseScale * dose[v])} over the whole grid. */
    public void eqd2Accumulate(float[] dose, VoxelConversion c, float[] acc) {
        int n = acc.length;
        if (dose.length != n) {
            throw new IllegalArgumentException("dose has " + dose.length + " voxels, accumulator " + n);
        }
        split(n, ALIGN, (from, to) -> kernels.eqd2Accumulate(dose, c, acc, from, to));
    }

    /** The fused resample + EQD2 + accumulate pass of one course onto the whole output grid. */
    public void resampleEqd2Accumulate(DoseGrid source, Affine3 outputIndexToSourceIndex, GridGeometry output,
                                       VoxelConversion c, float[] acc) {
        if (acc.length != output.voxelCount()) {
            throw new IllegalArgumentException("accumulator has " + acc.length + " voxels, output grid "
                    + output.voxelCount());
        }
        split(output.nz(), 1, (kFrom, kTo) ->
                kernels.resampleEqd2Accumulate(source, outputIndexToSourceIndex, output, c, acc, kFrom, kTo));
    }

    /** {@link DoseKernelSupport#gather} over points [from, to). */
    public void gather(DoseGrid source, Affine3 pointToSourceIndex, float[] pi, float[] pj, float[] pk,
                       float doseScale, float[] out, int from, int to) {
        int n = to - from;
        split(n, ALIGN, (a, b) -> kernels.gather(source, pointToSourceIndex, pi, pj, pk, doseScale, out,
                from + a, from + b));
    }

    private interface Range {
        void run(int from, int to);
    }

    private void split(int n, int align, Range body) {
        if (n <= 0) {
            return;
        }
        int parts = Math.min(threads, Math.max(1, n / Math.max(align, 1)));
        if (parts == 1) {
            body.run(0, n);
            return;
        }
        int[] bounds = new int[parts + 1];
        for (int p = 1; p < parts; p++) {
            long at = (long) n * p / parts;
            bounds[p] = (int) (at / align * align);
        }
        bounds[parts] = n;
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = bounds[p];
            int to = bounds[p + 1];
            futures.add(pool.submit(() -> body.run(from, to)));
        }
        body.run(bounds[0], bounds[1]);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a kernel slab", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    /** Stops the pool's threads; the backend itself stays open (the provider owns it). */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
