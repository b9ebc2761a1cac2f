package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.kernel.ScalarDoseKernels;
import java.util.ArrayList;
import java.util.List;

/**
 * One course's physical dose made ready for the kernels: a single grid (BEAM doses already
 * summed), the factor that turns its values into the course's delivered physical dose, and the map
 * from output-grid index to this grid's index.
 *
 * <p>A uniform-dose course becomes a one-voxel grid holding the dose, reached through a map that
 * sends every output point to index (0, 0, 0): the kernels then give every voxel that dose without
 * a full-size array, and no voxel is outside it.
 */
final class CourseDoseSource {
    private static final double IDENTITY_TOLERANCE = 1e-9;

    final ScheduledCourse course;
    final DoseGrid grid;
    /** Values of {@link #grid} times this = the course's delivered physical dose (Gy). */
    final double doseScale;
    final Affine3 outputIndexToSourceIndex;
    /** The course grid is the output grid: the same-grid kernel applies, no resampling. */
    final boolean onOutputGrid;
    final boolean uniform;

    private CourseDoseSource(ScheduledCourse course, DoseGrid grid, double doseScale, Affine3 map,
                             boolean onOutputGrid, boolean uniform) {
        this.course = course;
        this.grid = grid;
        this.doseScale = doseScale;
        this.outputIndexToSourceIndex = map;
        this.onOutputGrid = onOutputGrid;
        this.uniform = uniform;
    }

    static CourseDoseSource prepare(ScheduledCourse sc, GridGeometry output) {
        double delivered = sc.deliveredDoseFactor();
        if (sc.course().dose() instanceof CourseDose.Uniform u) {
            GridGeometry one = GridGeometry.axisAligned(1, 1, 1, 0, 0, 0, 1, 1, 1);
            DoseGrid g = new DoseGrid(one, new float[] {(float) u.doseGy()});
            Affine3 toOrigin = Affine3.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            return new CourseDoseSource(sc, g, delivered, toOrigin, false, true);
        }
        List<DoseComponent> parts = ((CourseDose.Grids) sc.course().dose()).components();
        DoseGrid summed;
        double scale;
        if (parts.size() == 1) {
            summed = parts.get(0).grid();
            scale = parts.get(0).multiplier() * delivered;
        } else {
            summed = sumBeams(parts);
            scale = delivered;
        }
        RigidTransform t = sc.course().transformToCurrent();
        Affine3 map = summed.geometry().patientToIndex()
                .after(t.inverse().asAffine())
                .after(output.indexToPatient());
        boolean same = t.isIdentity(IDENTITY_TOLERANCE) && summed.geometry().sameGridAs(output);
        // On the output grid the plan sum reads the course voxel for voxel (the same-grid pass), so its map is the
        // identity, exactly: the composed map is only within rounding of it (a diagonal of 0.9999999999999999 for
        // 1.2 mm spacings, 1.0000000000000002 for 1.1 mm), which kept the sampler from reading such a grid directly
        // (CourseDoseSampler.OwnGrid wants the exact identity) and let it interpolate where the map reads
        return new CourseDoseSource(sc, summed, scale, same ? Affine3.identity() : map, same, false);
    }

    /**
     * Several BEAM doses of one course, summed physically (EQD2 is non-linear, so the course's
     * dose must be whole before conversion). Doses on one grid are added voxel by voxel. Doses on
     * different grids are resampled (trilinear, the kernels' edge rule) onto a grid on the first
     * dose's lattice extended to cover them all, so no beam loses the part outside the first grid.
     */
    static DoseGrid sumBeams(List<DoseComponent> parts) {
        GridGeometry target = beamCover(parts);
        int n = target.voxelCount();
        int count = parts.size();
        // Voxel by voxel, the beams in order, in double: no full-size double array beside the result
        // (8 bytes a voxel), and the same additions in the same order as beam by beam.
        float[][] doses = new float[count][];
        double[] multipliers = new double[count];
        Affine3[] maps = new Affine3[count]; // null: the beam is on the target grid
        for (int p = 0; p < count; p++) {
            DoseComponent part = parts.get(p);
            doses[p] = part.grid().doseGy();
            multipliers[p] = part.multiplier();
            if (!part.grid().geometry().sameGridAs(target)) {
                maps[p] = part.grid().geometry().patientToIndex().after(target.indexToPatient());
            }
        }
        float[] out = new float[n];
        double[] q = new double[3];
        int v = 0;
        for (int k = 0; k < target.nz(); k++) {
            for (int j = 0; j < target.ny(); j++) {
                for (int i = 0; i < target.nx(); i++, v++) {
                    double sum = 0;
                    for (int p = 0; p < count; p++) {
                        if (maps[p] == null) {
                            sum += multipliers[p] * doses[p][v];
                        } else {
                            maps[p].apply(i, j, k, q);
                            sum += multipliers[p] * ScalarDoseKernels.trilinear(parts.get(p).grid(), q[0], q[1], q[2]);
                        }
                    }
                    out[v] = (float) sum;
                }
            }
        }
        return new DoseGrid(target, out);
    }

    /**
     * The grid a course's doses are summed on: the first dose's grid when all share it, else the
     * first's lattice extended to cover every dose's grid.
     */
    static GridGeometry beamCover(List<DoseComponent> parts) {
        GridGeometry first = parts.get(0).grid().geometry();
        boolean shared = true;
        for (DoseComponent p : parts) {
            shared &= p.grid().geometry().sameGridAs(first);
        }
        if (shared) {
            return first;
        }
        List<OutputGrid.PlacedGrid> placed = new ArrayList<>();
        for (DoseComponent p : parts) {
            placed.add(new OutputGrid.PlacedGrid(p.grid().geometry(), RigidTransform.identity()));
        }
        return OutputGrid.union().resolve(first, placed);
    }

    /** True when continuous source index (x, y, z) counts as inside this course's grid. */
    boolean inside(double x, double y, double z) {
        if (uniform) {
            return true;
        }
        GridGeometry g = grid.geometry();
        double e = DoseKernelSupport.EDGE_TOLERANCE;
        return x >= -e && x <= g.nx() - 1 + e && y >= -e && y <= g.ny() - 1 + e && z >= -e && z <= g.nz() - 1 + e;
    }
}
