package dev.eqd2sum.io.synth;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.Structure;

import java.util.List;

/**
 * A spine reirradiation case in memory (no files), the size of the benchmarks' standard case: the
 * current (SBRT) course on 200 x 200 x 150 voxels of 2 mm, the prior (conventional) course on
 * 180 x 160 x 110 voxels of 2.5 x 2.5 x 3 mm, both centred on the origin in one frame of reference,
 * and the structures External, SpinalCord, ThecalSac, PTV_High and PTV_Low contoured every 2 mm
 * on the current grid's slice centres. Each course has a hot spot on the cord at a chosen height,
 * so the voxel-wise sum and the sum of per-course maxima can be told apart.
 *
 * @param current    physical dose of the current course (Gy, whole course)
 * @param prior      physical dose of the prior course (Gy, whole course)
 * @param structures External, SpinalCord, ThecalSac, PTV_High, PTV_Low (ROI numbers 1..5)
 * @param spec       how it was built
 */
public record SpineCase(DoseGrid current, DoseGrid prior, List<Structure> structures, Spec spec) {
    /** Patient y of the cord's axis (posterior of the vertebral body; DICOM +y is posterior when supine). */
    public static final double CORD_Y_MM = 60;
    public static final double CORD_RADIUS_MM = 5;
    public static final double THECAL_SAC_RADIUS_MM = 7;
    /** Centre of the vertebral body, which the PTVs surround. */
    public static final double VERTEBRA_Y_MM = 35;
    public static final double PTV_HIGH_RADIUS_MM = 14;
    public static final double PTV_LOW_RADIUS_MM = 20;

    /**
     * @param priorHotSpotZMm       height of the prior course's cord hot spot
     * @param currentHotSpotZMm     height of the current course's cord hot spot
     * @param priorCordMaxGy        prior course's dose at its hot spot (at the cord's axis)
     * @param currentCordMaxGy      current course's dose at its hot spot (at the cord's anterior edge)
     * @param priorPrescriptionGy   prior course's dose over the treated region
     * @param currentPrescriptionGy current course's dose over PTV_High
     */
    public record Spec(double priorHotSpotZMm, double currentHotSpotZMm, double priorCordMaxGy, double currentCordMaxGy,
                       double priorPrescriptionGy, double currentPrescriptionGy) {
        /**
         * The demo's case: 30 Gy before (cord hot spot 32.8 Gy, as the study's neuropathy patient),
         * 24 Gy SBRT now (cord hot spot 10 Gy), hot spots 12 mm apart along the cord.
         */
        public static Spec demo() {
            return new Spec(6, -6, 32.8, 10.0, 30.0, 24.0);
        }

        /** The same with both hot spots at one height. */
        public Spec coLocated() {
            return new Spec(currentHotSpotZMm, currentHotSpotZMm, priorCordMaxGy, currentCordMaxGy,
                    priorPrescriptionGy, currentPrescriptionGy);
        }
    }

    private static final double PLANE_SPACING_MM = 2;

    public static SpineCase build(Spec spec) {
        GridGeometry cur = GridGeometry.axisAligned(200, 200, 150, -199, -199, -149, 2, 2, 2);
        GridGeometry pri = GridGeometry.axisAligned(180, 160, 110, -223.75, -198.75, -163.5, 2.5, 2.5, 3);
        List<Structure> structures = List.of(
                NelmsPhantoms.contour(1, "External", "EXTERNAL",
                        new AnalyticShape.Ellipsoid(new double[] {0, 0, 0}, 170, 110, 1e9), PLANE_SPACING_MM, 2.0,
                        -140, 140),
                cylinder(2, "SpinalCord", "ORGAN", CORD_Y_MM, CORD_RADIUS_MM, 200),
                cylinder(3, "ThecalSac", "ORGAN", CORD_Y_MM, THECAL_SAC_RADIUS_MM, 200),
                cylinder(4, "PTV_High", "PTV", VERTEBRA_Y_MM, PTV_HIGH_RADIUS_MM, 40),
                cylinder(5, "PTV_Low", "PTV", VERTEBRA_Y_MM, PTV_LOW_RADIUS_MM, 60));
        return new SpineCase(currentDose(cur, spec), priorDose(pri, spec), structures, spec);
    }

    /** The structure of that name (case-insensitive). */
    public Structure structure(String name) {
        return structures.stream().filter(s -> s.hasName(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no structure " + name));
    }

    private static Structure cylinder(int roi, String name, String type, double cy, double r, double lengthMm) {
        // planes on the current grid's slice centres (odd mm), the cylinder ending on slice faces
        return NelmsPhantoms.contour(roi, name, type,
                new AnalyticShape.Cylinder(AnalyticShape.Axis.Z, new double[] {0, cy, 0}, r, lengthMm),
                PLANE_SPACING_MM, 0.5, -lengthMm / 2, lengthMm / 2);
    }

    /**
     * SBRT: the prescription over PTV_High (radius 14 mm around the vertebral body, |z| <= 20 mm),
     * falling off by 1/e per 5 mm outside it, plus a Gaussian hot spot (sigma 3 mm) on the cord's
     * anterior edge that lifts the dose there to {@code currentCordMaxGy}.
     */
    static DoseGrid currentDose(GridGeometry g, Spec spec) {
        double rx = spec.currentPrescriptionGy();
        double zHot = spec.currentHotSpotZMm();
        double yHot = CORD_Y_MM - CORD_RADIUS_MM;
        double base = rx * radialFalloff(yHot - VERTEBRA_Y_MM) * axialFalloff(zHot);
        double amplitude = Math.max(0, spec.currentCordMaxGy() - base);
        float[] d = new float[g.voxelCount()];
        double[] bx = gaussian(g, 0, 0, 3), by = gaussian(g, 1, yHot, 3), bz = gaussian(g, 2, zHot, 3);
        double[] hz = new double[g.nz()];
        for (int k = 0; k < g.nz(); k++) {
            hz[k] = axialFalloff(coordinate(g, 2, k));
        }
        double[] fxy = new double[g.nx() * g.ny()];
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                double x = coordinate(g, 0, i), y = coordinate(g, 1, j) - VERTEBRA_Y_MM;
                fxy[i + g.nx() * j] = radialFalloff(Math.sqrt(x * x + y * y));
            }
        }
        int q = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    d[q++] = (float) (rx * fxy[i + g.nx() * j] * hz[k] + amplitude * bx[i] * by[j] * bz[k]);
                }
            }
        }
        return new DoseGrid(g, d);
    }

    /**
     * Conventional course: the prescription over a box around the vertebra and the canal (|x| <= 40,
     * -10 <= y <= 90, |z| <= 60 mm) with 4 mm sigmoid penumbrae, plus a Gaussian hot spot (sigma
     * 4 mm) on the cord's axis that lifts the dose there to {@code priorCordMaxGy}.
     */
    static DoseGrid priorDose(GridGeometry g, Spec spec) {
        double rx = spec.priorPrescriptionGy();
        double zHot = spec.priorHotSpotZMm();
        double base = rx * window(0, 0, 40) * window(CORD_Y_MM, 40, 50) * window(zHot, 0, 60);
        double amplitude = Math.max(0, spec.priorCordMaxGy() - base);
        double[] sx = new double[g.nx()], sy = new double[g.ny()], sz = new double[g.nz()];
        for (int i = 0; i < g.nx(); i++) {
            sx[i] = window(coordinate(g, 0, i), 0, 40);
        }
        for (int j = 0; j < g.ny(); j++) {
            sy[j] = window(coordinate(g, 1, j), 40, 50);
        }
        for (int k = 0; k < g.nz(); k++) {
            sz[k] = window(coordinate(g, 2, k), 0, 60);
        }
        double[] bx = gaussian(g, 0, 0, 4), by = gaussian(g, 1, CORD_Y_MM, 4), bz = gaussian(g, 2, zHot, 4);
        float[] d = new float[g.voxelCount()];
        int q = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    d[q++] = (float) (rx * sx[i] * sy[j] * sz[k] + amplitude * bx[i] * by[j] * bz[k]);
                }
            }
        }
        return new DoseGrid(g, d);
    }

    private static double radialFalloff(double rho) {
        return rho <= PTV_HIGH_RADIUS_MM ? 1 : Math.exp(-(rho - PTV_HIGH_RADIUS_MM) / 5);
    }

    private static double axialFalloff(double z) {
        return Math.abs(z) <= 20 ? 1 : Math.exp(-(Math.abs(z) - 20) / 5);
    }

    /** 1 well inside |c - centre| <= half, falling to 1/2 at the edge over a 4 mm sigmoid. */
    private static double window(double c, double centre, double half) {
        return 1 / (1 + Math.exp((Math.abs(c - centre) - half) / 4));
    }

    private static double[] gaussian(GridGeometry g, int axis, double centre, double sigma) {
        int n = axis == 0 ? g.nx() : axis == 1 ? g.ny() : g.nz();
        double[] out = new double[n];
        for (int q = 0; q < n; q++) {
            double d = coordinate(g, axis, q) - centre;
            out[q] = Math.exp(-d * d / (2 * sigma * sigma));
        }
        return out;
    }

    /** Patient coordinate of index q along an axis of an axis-aligned, ascending grid. */
    private static double coordinate(GridGeometry g, int axis, int q) {
        return g.originMm()[axis] + q * g.spacingMm()[axis];
    }
}
