package dev.eqd2sum.engine.plansum;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import java.util.Arrays;
import java.util.List;

/**
 * Which grid the plan sum is computed on (CONTRACT, outputGrid). All three share the current
 * course's orientation; the plan sum lives in the current course's patient coordinates.
 */
public sealed interface OutputGrid {
    /** Index slack when snapping a covering range to whole voxels: float noise must not add a slice. */
    double SNAP = 1e-6;

    /** The current course's grid, as it is. */
    record Current() implements OutputGrid {
        @Override
        public GridGeometry resolve(GridGeometry current, List<PlacedGrid> courseGrids) {
            return current;
        }
    }

    /**
     * A grid on the current grid's lattice (same spacing, orientation and voxel centres) extended
     * to cover every course's grid (all voxel centres of every course, mapped into the current
     * patient coordinates through its transform).
     */
    record Union() implements OutputGrid {
        @Override
        public GridGeometry resolve(GridGeometry current, List<PlacedGrid> courseGrids) {
            Affine3 toCurrentIndex = current.patientToIndex();
            double[] lo = {0, 0, 0};
            double[] hi = {current.nx() - 1, current.ny() - 1, current.nz() - 1};
            double[] p = new double[3];
            for (PlacedGrid g : courseGrids) {
                Affine3 map = toCurrentIndex.after(g.toCurrent().asAffine()).after(g.grid().indexToPatient());
                GridGeometry gg = g.grid();
                for (int corner = 0; corner < 8; corner++) {
                    double ci = (corner & 1) == 0 ? 0 : gg.nx() - 1;
                    double cj = (corner & 2) == 0 ? 0 : gg.ny() - 1;
                    double ck = (corner & 4) == 0 ? 0 : gg.nz() - 1;
                    map.apply(ci, cj, ck, p);
                    for (int a = 0; a < 3; a++) {
                        lo[a] = Math.min(lo[a], p[a]);
                        hi[a] = Math.max(hi[a], p[a]);
                    }
                }
            }
            int[] first = new int[3];
            int[] size = new int[3];
            for (int a = 0; a < 3; a++) {
                first[a] = (int) Math.floor(lo[a] + SNAP);
                long last = (long) Math.ceil(hi[a] - SNAP);
                size[a] = checkedSize(last - first[a] + 1);
            }
            double[] origin = current.indexToPatient().apply(first[0], first[1], first[2]);
            return newGrid(current, size, origin, current.spacingMm());
        }
    }

    /**
     * A grid with the given spacing (mm, along the current grid's row, column and frame
     * directions), its first voxel centre on the current grid's first, covering every voxel centre
     * of the current grid.
     */
    record Spacing(double[] spacingMm) implements OutputGrid {
        public Spacing {
            if (spacingMm.length != 3) {
                throw new InvalidInputException("outputGrid.spacingMm", "needs 3 values (x, y, z), got " + spacingMm.length);
            }
            for (double s : spacingMm) {
                if (!(s >= GridGeometry.MIN_SPACING_MM && s <= GridGeometry.MAX_SPACING_MM)) {
                    throw new InvalidInputException("outputGrid.spacingMm", "each spacing must lie between "
                            + GridGeometry.MIN_SPACING_MM + " and " + GridGeometry.MAX_SPACING_MM + " mm, got " + Arrays.toString(spacingMm));
                }
            }
            spacingMm = spacingMm.clone();
        }

        @Override
        public GridGeometry resolve(GridGeometry current, List<PlacedGrid> courseGrids) {
            int[] n = {current.nx(), current.ny(), current.nz()};
            double[] s = current.spacingMm();
            int[] size = new int[3];
            for (int a = 0; a < 3; a++) {
                double extent = (n[a] - 1) * s[a];
                size[a] = checkedSize((long) Math.ceil(extent / spacingMm[a] - SNAP) + 1);
            }
            return newGrid(current, size, current.originMm(), spacingMm);
        }
    }

    /** A course grid with the transform into the current course's patient coordinates. */
    record PlacedGrid(GridGeometry grid, RigidTransform toCurrent) {
    }

    /** The output grid for this choice, given the current course's grid and every course's grid. */
    GridGeometry resolve(GridGeometry current, List<PlacedGrid> courseGrids);

    static OutputGrid current() {
        return new Current();
    }

    static OutputGrid union() {
        return new Union();
    }

    static OutputGrid spacing(double sx, double sy, double sz) {
        return new Spacing(new double[] {sx, sy, sz});
    }

    private static int checkedSize(long n) {
        if (n > 100_000) {
            throw new InvalidInputException("outputGrid", "the output grid would need " + n
                    + " voxels along one axis; check the spacing and the registrations");
        }
        return (int) n;
    }

    private static GridGeometry newGrid(GridGeometry current, int[] size, double[] origin, double[] spacing) {
        long voxels = (long) size[0] * size[1] * size[2];
        if (voxels > GridGeometry.MAX_VOXELS) {
            throw new InvalidInputException("outputGrid", "the output grid would have " + size[0] + "x" + size[1]
                    + "x" + size[2] + " voxels, more than one array can hold");
        }
        return new GridGeometry(size[0], size[1], size[2], origin, spacing,
                current.rowDirection(), current.columnDirection(), current.frameDirection());
    }
}
