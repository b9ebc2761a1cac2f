package dev.eqd2sum.io.synth;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDoseWriter;
import dev.eqd2sum.io.rt.RtPlanWriter;
import dev.eqd2sum.io.rt.RtStructureSetWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's spine reirradiation case, written as DICOM files and a case file: a thoracic vertebra treated
 * with 30 Gy in 10 fractions (ended 2023-03-10) and re-treated with SBRT, 27 Gy in 3 fractions from
 * 2024-05-06. Structures (TG-263 names): External, SpinalCord, ThecalSac, PTV_High (vertebral body), PTV_Low.
 * Each course has a hot spot at the spinal canal, 12 mm apart along the cord (prior at z = +6 mm,
 * reirradiation at z = -6 mm), so the voxel-wise maxima are below the sums of the per-course maxima: the
 * thecal sac's cumulative EQD2(2) passes Sahgal's 70 Gy voxel-wise (about 69.3 Gy) and fails it by the
 * summary sum (about 71.9 Gy) that the limit was derived with.
 */
public final class DemoSpineCase {
    public static final String FRAME_OF_REFERENCE_UID = "2.25.271828182845904523536028747135266249775";
    /** Where the hot spots lie along the cord (z, mm). */
    public static final double PRIOR_HOT_SPOT_Z_MM = 6.0;
    public static final double CURRENT_HOT_SPOT_Z_MM = -6.0;

    static final double CORD_X = 0;
    static final double CORD_Y = 20;
    static final double CORD_RADIUS = 5.0;
    static final double SAC_RADIUS = 7.5;
    static final double VERTEBRA_X = 0;
    static final double VERTEBRA_Y = -4;
    static final double PTV_HIGH_RADIUS = 14.0;
    /** PTV_Low: an ellipse around the vertebral body, 24 x 15 mm semi-axes, centred 1 mm anterior of it. */
    static final double PTV_LOW_A = 24.0;
    static final double PTV_LOW_B = 15.0;
    static final double PTV_LOW_Y = -5.0;

    private DemoSpineCase() {
    }

    /** Writes RS.dcm, prior/RP.dcm, prior/RD.dcm, current/RP.dcm, current/RD.dcm and case.json into dir. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("prior"));
        Files.createDirectories(dir.resolve("current"));
        PatientStudy patient = PatientStudy.synthetic("Demo^Spine", "EQD2SUM-DEMO", "20240506");

        // Current (planning) grid: 2 mm voxels; the prior plan's grid is coarser and offset, as exported.
        GridGeometry current = GridGeometry.axisAligned(80, 64, 50, -79, -63, -49, 2, 2, 2);
        GridGeometry prior = GridGeometry.axisAligned(65, 53, 41, -80, -65, -60, 2.5, 2.5, 3);

        List<Structure> structures = new ArrayList<>();
        structures.add(structure(1, "External", "EXTERNAL", ellipses(0, 0, 75, 50, -47, 47)));
        structures.add(structure(2, "SpinalCord", "ORGAN", circles(CORD_X, CORD_Y, CORD_RADIUS, -29, 29)));
        structures.add(structure(3, "ThecalSac", "ORGAN", circles(CORD_X, CORD_Y, SAC_RADIUS, -29, 29)));
        structures.add(structure(4, "PTV_High", "PTV", circles(VERTEBRA_X, VERTEBRA_Y, PTV_HIGH_RADIUS, -15, 15)));
        structures.add(structure(5, "PTV_Low", "PTV", ellipses(VERTEBRA_X, PTV_LOW_Y, PTV_LOW_A, PTV_LOW_B, -19, 19)));
        String rs = RtStructureSetWriter.write(dir.resolve("RS.dcm"), structures, patient, FRAME_OF_REFERENCE_UID);

        String rpPrior = RtPlanWriter.write(dir.resolve("prior/RP.dcm"), patient, FRAME_OF_REFERENCE_UID, "cEBRT", 10,
                30.0, rs);
        RtDoseWriter.writePhysical(dir.resolve("prior/RD.dcm"), onGrid(prior, DemoSpineCase::priorDoseGy), patient,
                FRAME_OF_REFERENCE_UID, rpPrior, 16);
        String rpCurrent = RtPlanWriter.write(dir.resolve("current/RP.dcm"), patient, FRAME_OF_REFERENCE_UID,
                "reSBRT", 3, 27.0, rs);
        RtDoseWriter.writePhysical(dir.resolve("current/RD.dcm"), onGrid(current, DemoSpineCase::currentDoseGy),
                patient, FRAME_OF_REFERENCE_UID, rpCurrent, 32);

        Path caseFile = dir.resolve("case.json");
        Files.writeString(caseFile, """
                {
                  "caseId": "demo-spine",
                  "structureSet": "RS.dcm",
                  "courses": [
                    { "label": "cEBRT", "dose": "prior/RD.dcm", "plan": "prior/RP.dcm",
                      "startDate": "2023-02-27", "endDate": "2023-03-10" },
                    { "label": "reSBRT", "dose": "current/RD.dcm", "plan": "current/RP.dcm", "fractions": 3,
                      "startDate": "2024-05-06" }
                  ],
                  "alphaBeta": { "default": 3.0,
                                 "byStructure": { "SpinalCord": 2.0, "ThecalSac": 2.0, "PTV_High": 10.0,
                                                  "PTV_Low": 10.0 } },
                  "forgiveness": "nelson2009",
                  "outputGrid": "current",
                  "statistics": ["Dmax", "D0.03cc", "D0.1cc", "D1cc", "Dmean", "Dmin", "V20Gy", "D95%"],
                  "constraints": "spine-reirradiation",
                  "constraintMetric": "Dmax",
                  "exportAlphaBeta": [2, 10]
                }
                """);
        return caseFile;
    }

    /** 30 Gy over the spine with a 5 mm penumbra, and a 5 % hot spot on the cord at z = +6 mm. */
    static double priorDoseGy(double x, double y, double z) {
        double field = edge(40 - Math.abs(x), 5) * edge(45 - Math.abs(y), 5) * edge(50 - Math.abs(z), 5);
        double hot = 1 + 0.05 * gauss(z - PRIOR_HOT_SPOT_Z_MM, 5) * gauss(Math.hypot(x - CORD_X, y - CORD_Y), 8);
        return 30.0 * field * hot;
    }

    /**
     * SBRT: 27 Gy over PTV_High and 21 Gy over PTV_Low, falling off beyond PTV_High's edge by e^(-d / 3.95 mm)
     * (about 16.5 Gy at the thecal sac, 2.5 mm away, where the reirradiation hot spot of 15 % at z = -6 mm
     * lies), the 2 mm rim of PTV_Low's ellipse by e^(-d / 4 mm).
     */
    static double currentDoseGy(double x, double y, double z) {
        double r = Math.hypot(x - VERTEBRA_X, y - VERTEBRA_Y);
        double high = r <= PTV_HIGH_RADIUS ? 1 : Math.exp(-(r - PTV_HIGH_RADIUS) / 3.95);
        double e = Math.hypot((x - VERTEBRA_X) / PTV_LOW_A, (y - PTV_LOW_Y) / PTV_LOW_B);
        double low = e <= 1 ? 1 : Math.exp(-(e - 1) * PTV_LOW_B / 4.0);
        double alongZ = edge(22 - Math.abs(z), 3);
        double hot = 1 + 0.15 * gauss(z - CURRENT_HOT_SPOT_Z_MM, 4);
        return Math.max(27.0 * high, 21.0 * low) * alongZ * hot;
    }

    /** Smooth step from 0 (d << 0) to 1 (d >> 0) over about {@code widthMm}. */
    private static double edge(double d, double widthMm) {
        return 1 / (1 + Math.exp(-d / (widthMm / 4)));
    }

    private static double gauss(double d, double sigmaMm) {
        return Math.exp(-d * d / (2 * sigmaMm * sigmaMm));
    }

    interface Field {
        double doseGy(double x, double y, double z);
    }

    static DoseGrid onGrid(GridGeometry g, Field f) {
        float[] d = new float[g.voxelCount()];
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.voxelCentreMm(i, j, k);
                    d[g.index(i, j, k)] = (float) f.doseGy(p[0], p[1], p[2]);
                }
            }
        }
        return new DoseGrid(g, d);
    }

    private static Structure structure(int number, String name, String type, List<PlanarContour> contours) {
        return new Structure(number, name, type, null, FRAME_OF_REFERENCE_UID, contours);
    }

    /** Circles on the planes z = zFrom, zFrom + 2, ..., zTo (the current grid's slice centres). */
    private static List<PlanarContour> circles(double cx, double cy, double r, int zFrom, int zTo) {
        return ellipses(cx, cy, r, r, zFrom, zTo);
    }

    private static List<PlanarContour> ellipses(double cx, double cy, double a, double b, int zFrom, int zTo) {
        List<PlanarContour> out = new ArrayList<>();
        int n = 120;
        for (int z = zFrom; z <= zTo; z += 2) {
            double[] pts = new double[3 * n];
            for (int p = 0; p < n; p++) {
                double t = 2 * Math.PI * p / n;
                pts[3 * p] = cx + a * Math.cos(t);
                pts[3 * p + 1] = cy + b * Math.sin(t);
                pts[3 * p + 2] = z;
            }
            out.add(new PlanarContour(ContourType.CLOSED_PLANAR, pts));
        }
        return out;
    }
}
