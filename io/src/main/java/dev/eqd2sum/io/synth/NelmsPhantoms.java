package dev.eqd2sum.io.synth;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Analytic phantoms after Nelms et al. 2015 (Med Phys 42:4435): a sphere of radius 12 mm, cylinders
 * and cones of radius 12 mm and height 24 mm along z and along x, each in a dose field of 30 Gy plus
 * 1 Gy/mm along z or along y, on 1, 2 and 3 mm grids with contour planes at the centres of the voxel
 * slabs. Shapes are centred at the origin, where four voxels meet, so their extreme planes coincide
 * with voxel faces on all three grids. Everything is built in memory; no files.
 */
public final class NelmsPhantoms {
    /** Frame of reference of all synthetic cases. */
    public static final String FRAME_OF_REFERENCE_UID = "2.25.314159265358979323846264338327950288";
    /** Longest contour segment (mm): the inscribed polygons then lose less than 0.01 % of area. */
    public static final double MAX_SEGMENT_MM = 0.25;
    private static final double[] ORIGIN = {0, 0, 0};
    private static final Map<String, DvhTruth> TRUTHS = new ConcurrentHashMap<>();

    /** The phantom shapes. */
    public enum Shape {
        SPHERE, CYLINDER_Z, CYLINDER_X, CONE_Z, CONE_X;

        public AnalyticShape solid() {
            return switch (this) {
                case SPHERE -> new AnalyticShape.Sphere(ORIGIN, 12);
                case CYLINDER_Z -> new AnalyticShape.Cylinder(AnalyticShape.Axis.Z, ORIGIN, 12, 24);
                case CYLINDER_X -> new AnalyticShape.Cylinder(AnalyticShape.Axis.X, ORIGIN, 12, 24);
                case CONE_Z -> new AnalyticShape.Cone(AnalyticShape.Axis.Z, ORIGIN, 12, 24);
                case CONE_X -> new AnalyticShape.Cone(AnalyticShape.Axis.X, ORIGIN, 12, 24);
            };
        }
    }

    public static final double[] GRID_SPACINGS_MM = {1, 2, 3};

    private NelmsPhantoms() {
    }

    /** All 30 phantoms: 5 shapes x 2 dose directions x 3 grids. */
    public static List<PhantomCase> all() {
        List<PhantomCase> out = new ArrayList<>();
        for (Shape s : Shape.values()) {
            for (LinearDoseField.Axis a : LinearDoseField.Axis.values()) {
                for (double g : GRID_SPACINGS_MM) {
                    out.add(of(s, a, g));
                }
            }
        }
        return out;
    }

    /** One phantom; contour planes every {@code gridSpacingMm} at the voxel slab centres. */
    public static PhantomCase of(Shape shape, LinearDoseField.Axis doseAxis, double gridSpacingMm) {
        return build(shape.solid(), LinearDoseField.nelms(doseAxis), gridSpacingMm, gridSpacingMm, 3);
    }

    /** A sphere of radius 3 mm contoured every 1 mm on a 2 mm grid (the small-structure case), dose along z. */
    public static PhantomCase smallSphere() {
        return build(new AnalyticShape.Sphere(ORIGIN, 3), LinearDoseField.nelms(LinearDoseField.Axis.Z), 2, 1, 3);
    }

    /**
     * A 15-litre Body-like ellipsoid (semi-axes 200 x 143.24 x 125 mm) contoured on 100 planes every
     * 2.5 mm with a point every 1 mm or less (up to ~1100 points a plane, like a planning system's
     * body outline), on a 2.5 mm grid, in 30 Gy + 0.1 Gy/mm along z.
     */
    public static PhantomCase bodyEllipsoid() {
        double c = 125, a = 200, b = 15e6 * 3 / (4 * Math.PI * a * c);
        return build(new AnalyticShape.Ellipsoid(ORIGIN, a, b, c),
                new LinearDoseField(LinearDoseField.Axis.Z, 30, 0.1, 0), 2.5, 2.5, 2, 1.0);
    }

    /**
     * A phantom of any shape: grid of isotropic spacing with voxel faces on multiples of it, reaching
     * {@code marginVoxels} beyond the shape; contour planes at z = (q + 1/2) * contourSpacingMm.
     */
    public static PhantomCase build(AnalyticShape shape, LinearDoseField field, double gridSpacingMm,
                                    double contourSpacingMm, int marginVoxels) {
        return build(shape, field, gridSpacingMm, contourSpacingMm, marginVoxels, MAX_SEGMENT_MM);
    }

    /** As {@link #build(AnalyticShape, LinearDoseField, double, double, int)} with a chosen contour point spacing. */
    public static PhantomCase build(AnalyticShape shape, LinearDoseField field, double gridSpacingMm,
                                    double contourSpacingMm, int marginVoxels, double maxSegmentMm) {
        double s = gridSpacingMm;
        double[] b = shape.boundsMm();
        int[] first = new int[3], count = new int[3];
        for (int a = 0; a < 3; a++) {
            first[a] = (int) Math.floor(b[a] / s - 1e-9) - marginVoxels;
            count[a] = (int) Math.ceil(b[a + 3] / s + 1e-9) + marginVoxels - first[a];
        }
        GridGeometry grid = GridGeometry.axisAligned(count[0], count[1], count[2],
                (first[0] + 0.5) * s, (first[1] + 0.5) * s, (first[2] + 0.5) * s, s, s, s);
        DoseGrid dose = field.onGrid(grid);
        Structure structure = contour(1, shape.name(), "ORGAN", shape, contourSpacingMm, maxSegmentMm);
        String key = shape.name() + java.util.Arrays.toString(shape.boundsMm()) + field;
        DvhTruth truth = TRUTHS.computeIfAbsent(key, k -> DvhTruth.of(shape, field));
        String name = String.format(Locale.ROOT, "%s %s %smm", shape.name(), field.label(), fmt(gridSpacingMm));
        DvhTruth contoured = TRUTHS.computeIfAbsent(key + "|contoured" + contourSpacingMm,
                k -> DvhTruth.ofContouredShape(structure, contourSpacingMm, field));
        return new PhantomCase(name, shape, field, gridSpacingMm, contourSpacingMm, dose, structure, truth, contoured);
    }

    /** The shape's axial sections on planes z = (q + 1/2) * spacing, as one structure. */
    public static Structure contour(int roiNumber, String name, String interpretedType, AnalyticShape shape, double spacingMm) {
        return contour(roiNumber, name, interpretedType, shape, spacingMm, MAX_SEGMENT_MM);
    }

    /** As {@link #contour(int, String, String, AnalyticShape, double)} with a chosen contour point spacing. */
    public static Structure contour(int roiNumber, String name, String interpretedType, AnalyticShape shape,
                                    double spacingMm, double maxSegmentMm) {
        double[] b = shape.boundsMm();
        return contour(roiNumber, name, interpretedType, shape, spacingMm, maxSegmentMm, b[2], b[5]);
    }

    /** Sections on the planes z = (q + 1/2) * spacing between zFromMm and zToMm only. */
    public static Structure contour(int roiNumber, String name, String interpretedType, AnalyticShape shape,
                                    double spacingMm, double maxSegmentMm, double zFromMm, double zToMm) {
        List<PlanarContour> contours = new ArrayList<>();
        for (int q = (int) Math.floor(zFromMm / spacingMm) - 1; (q + 0.5) * spacingMm <= zToMm + spacingMm; q++) {
            double z = (q + 0.5) * spacingMm;
            if (z < zFromMm || z > zToMm) {
                continue;
            }
            for (double[] xy : shape.sectionAtZ(z, maxSegmentMm)) {
                contours.add(toContour(xy, z));
            }
        }
        return new Structure(roiNumber, name, interpretedType, new int[] {255, 0, 0}, FRAME_OF_REFERENCE_UID, contours);
    }

    static PlanarContour toContour(double[] xy, double z) {
        int n = xy.length / 2;
        double[] p = new double[3 * n];
        for (int q = 0; q < n; q++) {
            p[3 * q] = xy[2 * q];
            p[3 * q + 1] = xy[2 * q + 1];
            p[3 * q + 2] = z;
        }
        return new PlanarContour(ContourType.CLOSED_PLANAR, p);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
