package dev.eqd2sum.validation;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDoseWriter;
import dev.eqd2sum.io.rt.RtPlanWriter;
import dev.eqd2sum.io.rt.RtStructureSetWriter;
import dev.eqd2sum.io.rt.SpatialRegistrationWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The study's neuropathy patient (DOMAIN.md) as DICOM files: a prior course of 32.8 Gy in 10 fractions over
 * the whole cord (the prior cord Dmax; a uniform grid in its own frame of reference, registered by a rigid
 * REG), and a 1-fraction reSBRT whose cord dose is 9.0 Gy except a 2 x 2 x 2 block of 1 mm voxels at 10.0 Gy
 * (both minus a tilt below 0.001 Gy, see {@link #TILT_GY_PER_MM}).
 * Trilinear interpolation gives 10.0 Gy between the block's voxel centres and more than 9.0 Gy in a
 * 3 mm cube (0.027 cc) around it, so the reSBRT cord Dmax is 10.0 Gy and its D0.03cc 9.0 Gy, as in the study.
 * The prior ended 2019-02-15 and the reSBRT started 2020-10-20: 613 days, 20.14 months (33 % forgiven).
 */
final class NeuropathyPatient {
    static final String CURRENT_FRAME = "2.25.1001";
    static final String PRIOR_FRAME = "2.25.1002";

    /**
     * A tilt of 1e-5 Gy/mm over the reSBRT dose, so that no two sample points share a dose: the statistics
     * read an exact plateau (thousands of samples at one dose) as a ramp through its middle, which would move
     * D0.03cc off 9.0 Gy. The tilt lowers the cord's Dmax by 0.0002 Gy and its D0.03cc by about 0.0001 Gy.
     */
    static final double TILT_GY_PER_MM = 1e-5;

    private NeuropathyPatient() {
    }

    /**
     * Positive over both structures (at least 6.8 mm in the cord, 18 mm at the hot block), with incommensurate
     * coefficients: no plane of equal dose.
     */
    static double tilt(double x, double y, double z) {
        return (x + 6) + 1.37 * (y + 6) + 2.11 * (z + 16);
    }

    /** Writes the DICOM files and a case file; returns the case file. */
    static Path write(Path dir, String constraintMetric) throws IOException {
        Files.createDirectories(dir.resolve("prior"));
        Files.createDirectories(dir.resolve("current"));
        PatientStudy patient = PatientStudy.synthetic("Neuropathy^Patient", "NP001", "20201020");

        // Current course: 1 mm grid, voxel centres at integer mm from -20 to 20.
        GridGeometry current = GridGeometry.axisAligned(41, 41, 41, -20, -20, -20, 1, 1, 1);
        float[] re = new float[current.voxelCount()];
        for (int k = 0; k < 41; k++) {
            for (int j = 0; j < 41; j++) {
                for (int i = 0; i < 41; i++) {
                    // x, y in {0, 1} mm, z in {-14, -13} mm: the hot block, near the cord's lower end where the
                    // tilt is smallest.
                    boolean hot = i >= 20 && i <= 21 && j >= 20 && j <= 21 && k >= 6 && k <= 7;
                    re[current.index(i, j, k)] = (float) ((hot ? 10.0 : 9.0) - TILT_GY_PER_MM * tilt(i - 20, j - 20, k - 20));
                }
            }
        }
        List<Structure> structures = List.of(cord(), ptvHigh());
        String rsUid = RtStructureSetWriter.write(dir.resolve("RS.dcm"), structures, patient, CURRENT_FRAME);
        String rpCurrent = RtPlanWriter.write(dir.resolve("current/RP.dcm"), patient, CURRENT_FRAME, "reSBRT", 1, 10.0,
                rsUid);
        RtDoseWriter.writePhysical(dir.resolve("current/RD.dcm"), new DoseGrid(current, re), patient, CURRENT_FRAME,
                rpCurrent, 32);

        // Prior course: its own frame, shifted 10 mm in x against the current one; 2.5 x 2.5 x 3 mm voxels.
        GridGeometry prior = GridGeometry.axisAligned(25, 25, 20, -20, -30, -28, 2.5, 2.5, 3);
        float[] p = new float[prior.voxelCount()];
        Arrays.fill(p, 32.8f);
        String rpPrior = RtPlanWriter.write(dir.resolve("prior/RP.dcm"), patient, PRIOR_FRAME, "cEBRT", 10, 30.0, null);
        RtDoseWriter.writePhysical(dir.resolve("prior/RD.dcm"), new DoseGrid(prior, p), patient, PRIOR_FRAME, rpPrior,
                16);
        // The REG's own frame is the current one; the prior frame's coordinates map into it by x + 10 mm.
        RigidTransform priorToCurrent = RigidTransform.fromMatrix4x4(new double[] {
                1, 0, 0, 10, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1});
        SpatialRegistrationWriter.write(dir.resolve("prior/REG.dcm"), patient, CURRENT_FRAME,
                Map.of(PRIOR_FRAME, priorToCurrent));

        String json = """
                {
                  "caseId": "neuropathy-%s",
                  "structureSet": "RS.dcm",
                  "courses": [
                    { "label": "cEBRT", "dose": "prior/RD.dcm", "plan": "prior/RP.dcm",
                      "startDate": "2019-02-04", "endDate": "2019-02-15", "registration": "prior/REG.dcm" },
                    { "label": "reSBRT", "dose": "current/RD.dcm", "plan": "current/RP.dcm", "fractions": 1,
                      "startDate": "2020-10-20" }
                  ],
                  "alphaBeta": { "default": 3.0, "byStructure": { "SpinalCord": 2.0, "PTV_High": 10.0 } },
                  "forgiveness": "nelson2009",
                  "statistics": ["Dmax", "D0.03cc", "Dmean", "Dmin"],
                  "constraints": "spine-reirradiation",
                  "constraintMetric": "%s",
                  "exportAlphaBeta": [3]
                }
                """.formatted(constraintMetric.replace(".", ""), constraintMetric);
        Path caseFile = dir.resolve("case.json");
        Files.writeString(caseFile, json);
        return caseFile;
    }

    /** A cylinder of radius 5 mm along z from -15 to 15 mm, a contour every 1 mm. */
    static Structure cord() {
        List<PlanarContour> contours = new ArrayList<>();
        for (int z = -15; z <= 15; z++) {
            contours.add(circle(0, 0, z, 5.0));
        }
        return new Structure(1, "SpinalCord", "ORGAN", new int[] {255, 255, 0}, CURRENT_FRAME, contours);
    }

    /** A box of 6 x 8 mm beside the cord, z from -5 to 5 mm. */
    static Structure ptvHigh() {
        List<PlanarContour> contours = new ArrayList<>();
        for (int z = -5; z <= 5; z++) {
            contours.add(new PlanarContour(ContourType.CLOSED_PLANAR, new double[] {
                    8, -4, z, 14, -4, z, 14, 4, z, 8, 4, z}));
        }
        return new Structure(2, "PTV_High", "PTV", new int[] {255, 0, 0}, CURRENT_FRAME, contours);
    }

    private static PlanarContour circle(double cx, double cy, double z, double r) {
        int n = 180;
        double[] pts = new double[3 * n];
        for (int a = 0; a < n; a++) {
            double t = 2 * Math.PI * a / n;
            pts[3 * a] = cx + r * Math.cos(t);
            pts[3 * a + 1] = cy + r * Math.sin(t);
            pts[3 * a + 2] = z;
        }
        return new PlanarContour(ContourType.CLOSED_PLANAR, pts);
    }

}
