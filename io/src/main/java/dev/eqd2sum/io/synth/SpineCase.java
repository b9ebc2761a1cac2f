package dev.eqd2sum.io.synth;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.Structure;

import java.time.LocalDate;
import java.util.List;

/**
 * A spine reirradiation case in memory (no files): a prior conventional course and a current SBRT course on
 * their own grids in one frame of reference, and the structures External, SpinalCord, ThecalSac, PTV_High and
 * PTV_Low contoured on the current grid's slice centres. Each course has a hot spot on the cord at a chosen
 * height, so the voxel-wise sum and the sum of per-course maxima can be told apart. {@link SpineCaseWriter}
 * puts it on disk as DICOM and a case file.
 *
 * @param current    physical dose of the current course (Gy, whole course)
 * @param prior      physical dose of the prior course (Gy, whole course)
 * @param structures External, SpinalCord, ThecalSac, PTV_High, PTV_Low (ROI numbers 1..5)
 * @param spec       how it was built
 */
public record SpineCase(DoseGrid current, DoseGrid prior, List<Structure> structures, Spec spec) {
    /**
     * Where the organs lie (patient mm; DICOM +y is posterior when supine): the cord and thecal sac along z
     * behind the vertebral body, which PTV_High (a cylinder) and PTV_Low (an elliptic cylinder) surround, all
     * inside the External (an elliptic cylinder). Lengths are whole structure lengths halved.
     */
    public record Anatomy(double cordYMm, double cordRadiusMm, double thecalSacRadiusMm, double canalHalfLengthMm,
                          double vertebraYMm, double ptvHighRadiusMm, double ptvHighHalfLengthMm,
                          double ptvLowYMm, double ptvLowSemiAxisXMm, double ptvLowSemiAxisYMm,
                          double ptvLowHalfLengthMm, double externalSemiAxisXMm, double externalSemiAxisYMm,
                          double externalHalfLengthMm) {
        /** The benchmarks' trunk: a 200 mm cord, PTV_High 40 mm long. */
        public static final Anatomy TRUNK = new Anatomy(60, 5, 7, 100, 35, 14, 20, 35, 20, 20, 30, 170, 110, 140);
        /** The demo's thoracic segment: a 60 mm cord, PTV_High 32 mm long, PTV_Low an ellipse 24 x 15 mm. */
        public static final Anatomy SEGMENT = new Anatomy(20, 5, 7.5, 30, -6, 14, 16, -7, 24, 15, 20, 75, 50, 48);

        /** Every length times {@code factor} (for grids too small for the real anatomy). */
        public Anatomy scaled(double factor) {
            return new Anatomy(cordYMm * factor, cordRadiusMm * factor, thecalSacRadiusMm * factor,
                    canalHalfLengthMm * factor, vertebraYMm * factor, ptvHighRadiusMm * factor,
                    ptvHighHalfLengthMm * factor, ptvLowYMm * factor, ptvLowSemiAxisXMm * factor,
                    ptvLowSemiAxisYMm * factor, ptvLowHalfLengthMm * factor, externalSemiAxisXMm * factor,
                    externalSemiAxisYMm * factor, externalHalfLengthMm * factor);
        }
    }

    /**
     * One course as planned and exported.
     *
     * @param label          RT Plan label and the case file's course label
     * @param prescriptionGy dose over the treated region (prior) or PTV_High (current)
     * @param hotSpotZMm     height of the course's cord hot spot
     * @param cordMaxGy      dose at the hot spot (prior: on the cord's axis; current: at its anterior edge)
     * @param bitsAllocated  of the exported RT Dose (16 or 32)
     * @param endDate        null when the course has not ended
     */
    public record Course(String label, double prescriptionGy, int fractions, double hotSpotZMm, double cordMaxGy,
                         int bitsAllocated, LocalDate startDate, LocalDate endDate) {
        /** The same course with the dose scaled by {@code factor} and the hot spot moved by {@code dzMm}. */
        public Course varied(double factor, double dzMm) {
            return new Course(label, prescriptionGy * factor, fractions, hotSpotZMm + dzMm, cordMaxGy * factor,
                    bitsAllocated, startDate, endDate);
        }

        public Course withCordMaxGy(double gy) {
            return new Course(label, prescriptionGy, fractions, hotSpotZMm, gy, bitsAllocated, startDate, endDate);
        }
    }

    /**
     * @param currentGrid the current course's (and the contours') grid; axis-aligned, ascending
     * @param priorGrid   the prior course's grid; axis-aligned, ascending
     */
    public record Spec(GridGeometry currentGrid, GridGeometry priorGrid, Anatomy anatomy, Course prior,
                       Course current) {
        /** The prior course of the demo: 30 Gy in 10 fractions ending 2023-03-10, 16-bit dose. */
        static final Course DEMO_PRIOR = new Course("cEBRT", 30.0, 10, 6, 31.5, 16, LocalDate.of(2023, 2, 27),
                LocalDate.of(2023, 3, 10));
        /** The demo's reirradiation: SBRT, 27 Gy in 3 fractions from 2024-05-06, 32-bit dose. */
        static final Course DEMO_CURRENT = new Course("reSBRT", 27.0, 3, -6, 15.7, 32, LocalDate.of(2024, 5, 6),
                null);

        /**
         * The demo's case: 30 Gy in 10 fractions before, SBRT 27 Gy in 3 fractions now, cord hot spots 12 mm
         * apart, on an 80 x 64 x 50 grid of 2 mm and the prior plan's coarser, offset 2.5 x 2.5 x 3 mm grid, as
         * exported. The thecal sac's cumulative EQD2(2) passes Sahgal's 70 Gy voxel-wise (about 69 Gy) and fails
         * it by the summary sum (about 72 Gy) that the limit was derived with.
         */
        public static Spec demo() {
            return new Spec(GridGeometry.axisAligned(80, 64, 50, -79, -63, -49, 2, 2, 2),
                    GridGeometry.axisAligned(65, 53, 41, -80, -65, -60, 2.5, 2.5, 3), Anatomy.SEGMENT, DEMO_PRIOR,
                    DEMO_CURRENT);
        }

        /**
         * The benchmarks' standard case: current 200 x 200 x 150 voxels of 2 mm, prior 180 x 160 x 110 of
         * 2.5 x 2.5 x 3 mm, both centred on the origin; 30 Gy before (cord hot spot 32.8 Gy, as the study's
         * neuropathy patient), 24 Gy SBRT now (cord hot spot 10 Gy), hot spots 12 mm apart along the cord.
         */
        public static Spec standard() {
            return new Spec(centred(200, 200, 150, 2, 2, 2), centred(180, 160, 110, 2.5, 2.5, 3), Anatomy.TRUNK,
                    new Course("cEBRT", 30.0, 10, 6, 32.8, 16, DEMO_PRIOR.startDate(), DEMO_PRIOR.endDate()),
                    new Course("reSBRT", 24.0, 3, -6, 10.0, 32, DEMO_CURRENT.startDate(), null));
        }

        /** A small case for tests: current 48 x 48 x 40 voxels of 2 mm, the demo's anatomy at half size. */
        public static Spec small() {
            return new Spec(centred(48, 48, 40, 2, 2, 2), centred(40, 36, 30, 2.5, 2.5, 3), Anatomy.SEGMENT.scaled(0.5),
                    DEMO_PRIOR, DEMO_CURRENT);
        }

        public Spec withCourses(Course newPrior, Course newCurrent) {
            return new Spec(currentGrid, priorGrid, anatomy, newPrior, newCurrent);
        }

        /** The same with both hot spots at the current course's height. */
        public Spec coLocated() {
            return withCourses(prior.varied(1, current.hotSpotZMm() - prior.hotSpotZMm()), current);
        }

        private static GridGeometry centred(int nx, int ny, int nz, double sx, double sy, double sz) {
            return GridGeometry.axisAligned(nx, ny, nz, -(nx - 1) * sx / 2, -(ny - 1) * sy / 2, -(nz - 1) * sz / 2,
                    sx, sy, sz);
        }
    }

    public static SpineCase build(Spec spec) {
        Anatomy a = spec.anatomy();
        double planeSpacingMm = spec.currentGrid().spacingZ();
        List<Structure> structures = List.of(
                prism(1, "External", "EXTERNAL", 0, a.externalSemiAxisXMm(), a.externalSemiAxisYMm(),
                        a.externalHalfLengthMm(), planeSpacingMm, 2.0),
                prism(2, "SpinalCord", "ORGAN", a.cordYMm(), a.cordRadiusMm(), a.cordRadiusMm(),
                        a.canalHalfLengthMm(), planeSpacingMm, 0.5),
                prism(3, "ThecalSac", "ORGAN", a.cordYMm(), a.thecalSacRadiusMm(), a.thecalSacRadiusMm(),
                        a.canalHalfLengthMm(), planeSpacingMm, 0.5),
                prism(4, "PTV_High", "PTV", a.vertebraYMm(), a.ptvHighRadiusMm(), a.ptvHighRadiusMm(),
                        a.ptvHighHalfLengthMm(), planeSpacingMm, 0.5),
                prism(5, "PTV_Low", "PTV", a.ptvLowYMm(), a.ptvLowSemiAxisXMm(), a.ptvLowSemiAxisYMm(),
                        a.ptvLowHalfLengthMm(), planeSpacingMm, 0.5));
        return new SpineCase(currentDose(spec.currentGrid(), a, spec.current()),
                priorDose(spec.priorGrid(), a, spec.prior()), structures, spec);
    }

    /** The structure of that name (case-insensitive). */
    public Structure structure(String name) {
        return structures.stream().filter(s -> s.hasName(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no structure " + name));
    }

    /** An elliptic cylinder along z at x = 0, contoured on the planes within halfLengthMm (slice centres). */
    private static Structure prism(int roi, String name, String type, double cy, double aMm, double bMm,
                                   double halfLengthMm, double planeSpacingMm, double maxSegmentMm) {
        return NelmsPhantoms.contour(roi, name, type,
                new AnalyticShape.Ellipsoid(new double[] {0, cy, 0}, aMm, bMm, 1e9), planeSpacingMm, maxSegmentMm,
                -halfLengthMm, halfLengthMm);
    }

    /**
     * SBRT: the prescription over PTV_High (its radius around the vertebral body, its length along z), falling
     * off by 1/e per 5 mm outside it, plus a Gaussian hot spot (sigma 3 mm) on the cord's anterior edge that
     * lifts the dose there to the course's cord maximum.
     */
    static DoseGrid currentDose(GridGeometry g, Anatomy a, Course c) {
        double rx = c.prescriptionGy();
        double zHot = c.hotSpotZMm();
        double yHot = a.cordYMm() - a.cordRadiusMm();
        double base = rx * radialFalloff(a, yHot - a.vertebraYMm()) * axialFalloff(a, zHot);
        double amplitude = Math.max(0, c.cordMaxGy() - base);
        double[] bx = gaussian(g, 0, 0, 3), by = gaussian(g, 1, yHot, 3), bz = gaussian(g, 2, zHot, 3);
        double[] hz = new double[g.nz()];
        for (int k = 0; k < g.nz(); k++) {
            hz[k] = axialFalloff(a, coordinate(g, 2, k));
        }
        double[] fxy = new double[g.nx() * g.ny()];
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                double x = coordinate(g, 0, i), y = coordinate(g, 1, j) - a.vertebraYMm();
                fxy[i + g.nx() * j] = radialFalloff(a, Math.sqrt(x * x + y * y));
            }
        }
        float[] d = new float[g.voxelCount()];
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
     * Conventional course: the prescription over a box around the vertebra and the canal (|x| <= 40 mm, 50 mm
     * either side of 20 mm anterior of the cord, |z| <= 60 mm) with 4 mm sigmoid penumbrae, plus a Gaussian hot
     * spot (sigma 4 mm) on the cord's axis that lifts the dose there to the course's cord maximum.
     */
    static DoseGrid priorDose(GridGeometry g, Anatomy a, Course c) {
        double rx = c.prescriptionGy();
        double zHot = c.hotSpotZMm();
        double yBox = a.cordYMm() - 20;
        double base = rx * window(0, 0, 40) * window(a.cordYMm(), yBox, 50) * window(zHot, 0, 60);
        double amplitude = Math.max(0, c.cordMaxGy() - base);
        double[] sx = new double[g.nx()], sy = new double[g.ny()], sz = new double[g.nz()];
        for (int i = 0; i < g.nx(); i++) {
            sx[i] = window(coordinate(g, 0, i), 0, 40);
        }
        for (int j = 0; j < g.ny(); j++) {
            sy[j] = window(coordinate(g, 1, j), yBox, 50);
        }
        for (int k = 0; k < g.nz(); k++) {
            sz[k] = window(coordinate(g, 2, k), 0, 60);
        }
        double[] bx = gaussian(g, 0, 0, 4), by = gaussian(g, 1, a.cordYMm(), 4), bz = gaussian(g, 2, zHot, 4);
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

    private static double radialFalloff(Anatomy a, double rho) {
        return rho <= a.ptvHighRadiusMm() ? 1 : Math.exp(-(rho - a.ptvHighRadiusMm()) / 5);
    }

    private static double axialFalloff(Anatomy a, double z) {
        double half = a.ptvHighHalfLengthMm();
        return Math.abs(z) <= half ? 1 : Math.exp(-(Math.abs(z) - half) / 5);
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
