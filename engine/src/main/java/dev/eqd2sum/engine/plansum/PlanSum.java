package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import dev.eqd2sum.engine.kernel.VoxelConversion;
import dev.eqd2sum.engine.structure.NodeLattice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The voxel-wise EQD2 plan sum of a case (DOMAIN.md): per output voxel x,
 * {@code S(x) = sum_i w_i(x) * EQD2(D_i(x), n_i, ab(x))}, where D_i is course i's delivered
 * physical dose trilinearly interpolated at x through its rigid transform (0 outside its grid),
 * n_i its delivered fractions, and w_i = 1 - reduction_i for a prior course in normal tissue, 1 for
 * the current course and in target voxels.
 *
 * <p>Each course is one fused pass (resample + convert + weight + accumulate in place) through a
 * {@link DoseKernelSupport}, with no intermediate full-size grid. With one thread each course is
 * one kernel call over the whole grid; with several the output grid is cut into slabs of whole
 * slices that threads take in turn. Within a slab the courses are added in the case's order, so
 * every voxel sees the same additions in the same order whatever the thread count, and the result
 * does not depend on it. A backend that parallelises by itself
 * ({@link DoseKernelSupport#parallelisesItself()}, OpenCL) always gets one thread.
 *
 * <p>Preparing a PlanSum sums BEAM doses of a course (a course-grid-sized array) and fixes the
 * output grid; {@link #eqd2} then runs as often as maps are needed (the case's map and any
 * {@code exportAlphaBeta} maps), and {@link #sampler()} serves the dose statistics.
 */
public final class PlanSum {
    /** A slab holds at least this many voxels so a task outweighs its scheduling. */
    private static final int MIN_SLAB_VOXELS = 1 << 16;
    /** Slabs per thread when several threads share the grid. */
    private static final int SLABS_PER_THREAD = 4;

    private final CourseTimeline timeline;
    private final GridGeometry output;
    private final DoseKernelSupport kernels;
    private final int threads;
    private final List<CourseDoseSource> sources;

    /**
     * @param timeline the case's courses with dates and forgiveness
     * @param output   the grid to sum on, in the current course's patient coordinates
     * @param kernels  the kernel implementation (the engine never asks which)
     * @param threads  worker threads, at least 1 (1 for a backend that parallelises itself)
     */
    public PlanSum(CourseTimeline timeline, GridGeometry output, DoseKernelSupport kernels, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.timeline = timeline;
        this.output = output;
        this.kernels = kernels;
        // A device backend gets whole ranges from one thread (few, large launches).
        this.threads = kernels.parallelisesItself() ? 1 : threads;
        List<CourseDoseSource> s = new ArrayList<>();
        for (ScheduledCourse c : timeline.courses()) {
            s.add(CourseDoseSource.prepare(c, output));
        }
        this.sources = List.copyOf(s);
    }

    /**
     * The courses' own grids that the output grid is not (a prior's, or the current course's on a finer grid), as
     * node lattices in the output grid's index space: the rasteriser samples their nodes inside each structure,
     * where those courses' interpolated doses peak ({@link dev.eqd2sum.engine.structure.RasterOptions#nodeLattices});
     * not a grid whose nodes are output voxel centres (the current course's on a union grid).
     */
    public List<NodeLattice> courseNodeLattices() {
        List<NodeLattice> lattices = new ArrayList<>();
        for (CourseDoseSource s : sources) {
            if (!s.uniform && !s.onOutputGrid) {
                GridGeometry g = s.grid.geometry();
                Affine3 toIndex = s.outputIndexToSourceIndex.inverse();
                if (!onOutputLattice(toIndex)) { // a union grid's current course: its nodes are voxel centres
                    lattices.add(new NodeLattice(toIndex, g.nx(), g.ny(), g.nz()));
                }
            }
        }
        return lattices;
    }

    /** Whether a node lattice's nodes are output voxel centres: the identity up to a whole-voxel shift (1e-9). */
    static boolean onOutputLattice(Affine3 nodeToIndex) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                double v = nodeToIndex.get(r, c);
                double want = c == 3 ? Math.rint(v) : r == c ? 1 : 0;
                if (Math.abs(v - want) > 1e-9) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Prepares with the output grid chosen as the case says (current, union or given spacing). */
    public static PlanSum prepare(CourseTimeline timeline, OutputGrid choice, DoseKernelSupport kernels, int threads) {
        return new PlanSum(timeline, resolveOutputGrid(timeline, choice), kernels, threads);
    }

    /** The scalar reference kernels, one thread. */
    public static PlanSum prepare(CourseTimeline timeline, OutputGrid choice) {
        return prepare(timeline, choice, ScalarDoseKernels.INSTANCE, 1);
    }

    /**
     * The output grid for {@code choice}. The current course must have a dose grid (a uniform dose
     * is only for prior courses). With several BEAM doses on different grids, the current grid is
     * the one they are summed on: the first dose's lattice extended to cover them all.
     */
    public static GridGeometry resolveOutputGrid(CourseTimeline timeline, OutputGrid choice) {
        ScheduledCourse current = timeline.current();
        if (!(current.course().dose() instanceof CourseDose.Grids currentGrids)) {
            throw new InvalidInputException("courses[" + current.index() + "].uniformDoseGy",
                    "the current course \"" + current.label() + "\" needs a dose grid; a uniform dose is only for prior courses");
        }
        GridGeometry currentGrid = CourseDoseSource.beamCover(currentGrids.components());
        List<OutputGrid.PlacedGrid> placed = new ArrayList<>();
        for (ScheduledCourse c : timeline.courses()) {
            if (c.course().dose() instanceof CourseDose.Grids g) {
                for (DoseComponent part : g.components()) {
                    placed.add(new OutputGrid.PlacedGrid(part.grid().geometry(), c.course().transformToCurrent()));
                }
            }
        }
        return choice.resolve(currentGrid, placed);
    }

    public GridGeometry outputGrid() {
        return output;
    }

    public CourseTimeline timeline() {
        return timeline;
    }

    public List<ScheduledCourse> courses() {
        return timeline.courses();
    }

    public DoseKernelSupport kernels() {
        return kernels;
    }

    public int threads() {
        return threads;
    }

    /** The forgiven EQD2 plan sum on the output grid (the exported map). */
    public DoseGrid eqd2(TissueMap tissue) {
        return eqd2(tissue, true);
    }

    /**
     * The EQD2 plan sum on the output grid.
     *
     * @param forgiven true: prior courses weighted 1 - reduction in non-target voxels; false: all
     *                 courses weighted 1 (the unforgiven sum)
     */
    public DoseGrid eqd2(TissueMap tissue, boolean forgiven) {
        float[] acc = new float[output.voxelCount()];
        accumulateEqd2(tissue, forgiven, acc);
        return new DoseGrid(output, acc);
    }

    /** Adds the EQD2 plan sum into {@code acc} (laid out on the output grid), in place. */
    public void accumulateEqd2(TissueMap tissue, boolean forgiven, float[] acc) {
        int n = output.voxelCount();
        if (acc.length != n) {
            throw new IllegalArgumentException("accumulator has " + acc.length + " values for " + n + " voxels");
        }
        checkLength(tissue.alphaBetaMapLength(), n, "alpha/beta map");
        checkLength(tissue.target() == null ? -1 : tissue.target().length, n, "target map");
        VoxelConversion[] conversions = new VoxelConversion[sources.size()];
        for (int c = 0; c < conversions.length; c++) {
            conversions[c] = conversion(sources.get(c), tissue, forgiven);
        }
        int slice = output.nx() * output.ny();
        int slicesPerSlab = slicesPerSlab(output, threads);
        int slabs = (output.nz() + slicesPerSlab - 1) / slicesPerSlab;
        runSlabs(slabs, slab -> {
            int kFrom = slab * slicesPerSlab;
            int kTo = Math.min(output.nz(), kFrom + slicesPerSlab);
            for (int c = 0; c < conversions.length; c++) {
                CourseDoseSource s = sources.get(c);
                if (s.onOutputGrid) {
                    kernels.eqd2Accumulate(s.grid.doseGy(), conversions[c], acc, kFrom * slice, kTo * slice);
                } else {
                    kernels.resampleEqd2Accumulate(s.grid, s.outputIndexToSourceIndex, output, conversions[c],
                            acc, kFrom, kTo);
                }
            }
        });
    }

    /**
     * One thread gets the whole grid in one kernel call per course (what a device backend such as
     * OpenCL wants: few, large launches). Several threads get {@link #SLABS_PER_THREAD} slabs each,
     * so a thread slowed by a busy machine does not hold up the others, and never fewer than
     * {@link #MIN_SLAB_VOXELS} voxels per slab.
     */
    static int slicesPerSlab(GridGeometry output, int threads) {
        int nz = output.nz();
        if (threads == 1) {
            return nz;
        }
        int slice = output.nx() * output.ny();
        int minSlices = Math.max(1, (MIN_SLAB_VOXELS + slice - 1) / slice);
        int bySlabCount = (nz + threads * SLABS_PER_THREAD - 1) / (threads * SLABS_PER_THREAD);
        return Math.max(minSlices, bySlabCount);
    }

    private static VoxelConversion conversion(CourseDoseSource s, TissueMap tissue, boolean forgiven) {
        float weight = forgiven ? (float) s.course.normalTissueWeight() : 1f;
        // Weight 1 everywhere needs no target map: the same result, one array fewer to read.
        byte[] target = weight == 1f ? null : tissue.target();
        return new VoxelConversion(s.course.conversionFractions(), (float) s.doseScale, tissue.defaultAlphaBetaGy(),
                tissue.alphaBetaGy(), weight, target, tissue.alphaBetaIndex(), tissue.alphaBetaTableGy());
    }

    /** The per-course physical doses at sample points, for dose statistics. */
    public CourseDoseSampler sampler() {
        return new CourseDoseSampler(this, sources);
    }

    interface SlabTask {
        void run(int slab);
    }

    /** Runs task(0..count-1) on {@link #threads} threads, each taking the next undone index. */
    void runSlabs(int count, SlabTask task) {
        int workers = Math.min(threads, count);
        if (workers <= 1) {
            for (int s = 0; s < count; s++) {
                task.run(s);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int s = next.getAndIncrement(); s < count; s = next.getAndIncrement()) {
                task.run(s);
            }
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(workers - 1, r -> {
            Thread t = new Thread(r, "eqd2sum-plansum");
            t.setDaemon(true);
            return t;
        })) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 1; w < workers; w++) {
                futures.add(pool.submit(worker));
            }
            worker.run();
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("plan sum interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static void checkLength(int length, int n, String what) {
        if (length >= 0 && length != n) {
            throw new IllegalArgumentException(what + " has " + length + " values for " + n + " voxels");
        }
    }
}
