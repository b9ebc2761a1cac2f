package dev.eqd2sum.bench;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDoseWriter;
import dev.eqd2sum.io.rt.RtPlanWriter;
import dev.eqd2sum.io.rt.RtStructureSetWriter;
import dev.eqd2sum.io.rt.Uids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Writes the spine reirradiation cases of the plastimatch comparison (issue "Performance") as
 * DICOM, with the project's RT writers: a prior course (30 Gy in 10 fractions, 180x160x110 voxels
 * of 2.5x2.5x3 mm, 16-bit) and a current SBRT course (27 Gy in 3 fractions, 32-bit) on
 * <ul>
 *   <li>{@code std}: 200x200x150 voxels of 2 mm (6 M voxels);</li>
 *   <li>{@code large}: 512x512x200 voxels of 1 mm (52 M voxels);</li>
 *   <li>{@code xl}: the large case's volume in 0.5 mm slices, 512x512x400 voxels (105 M voxels);</li>
 *   <li>{@code small}: 64x64x40 voxels of 4 mm (for the launcher's AOT training run);</li>
 * </ul>
 * with External, SpinalCord and PTV_High contoured on every current slice, an RT Plan per course
 * and {@code case.json}. Both courses share the frame of reference (no registration), so
 * plastimatch and eqd2sum resample the prior by geometry alone.
 *
 * <p>Usage: {@code GenerateComparisonCase std|large|xl|small OUT_DIR}
 */
public final class GenerateComparisonCase {
    private GenerateComparisonCase() {
    }

    /** Body outline: an ellipse of these semi-axes (mm) centred on the z axis. */
    private static final double BODY_A = 170;
    private static final double BODY_B = 120;
    /** Spinal cord: a circle of this radius (mm) posterior of the vertebral body. */
    private static final double CORD_R = 5;
    private static final double CORD_Y = 30;
    /** PTV_High: the vertebral body, a circle of this radius (mm), over |z| <= PTV_HALF_LENGTH. */
    private static final double PTV_R = 18;
    private static final double PTV_Y = 2;
    private static final double PTV_HALF_LENGTH = 30;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GenerateComparisonCase std|large|xl|small OUT_DIR");
            System.exit(2);
        }
        GridGeometry current = switch (args[0]) {
            case "std" -> GridGeometry.axisAligned(200, 200, 150, -199, -199, -149, 2, 2, 2);
            case "large" -> GridGeometry.axisAligned(512, 512, 200, -255.5, -255.5, -99.5, 1, 1, 1);
            case "small" -> GridGeometry.axisAligned(64, 64, 40, -126, -126, -78, 4, 4, 4);
            case "xl" -> GridGeometry.axisAligned(512, 512, 400, -255.5, -255.5, -99.75, 1, 1, 0.5);
            default -> throw new IllegalArgumentException("size must be std, large, xl or small: " + args[0]);
        };
        write(args[0], current, Path.of(args[1]));
    }

    /** The prior course's grid: 180x160x110 voxels of 2.5x2.5x3 mm, covering the body. */
    static GridGeometry priorGrid() {
        return GridGeometry.axisAligned(180, 160, 110, -223.75, -198.75, -163.5, 2.5, 2.5, 3);
    }

    static void write(String caseId, GridGeometry current, Path out) throws IOException {
        Files.createDirectories(out.resolve("prior"));
        Files.createDirectories(out.resolve("current"));
        String frame = Uids.newUid();
        PatientStudy priorStudy = PatientStudy.synthetic("Comparison^" + caseId, "CMP-" + caseId, "20230227");
        PatientStudy currentStudy = PatientStudy.synthetic("Comparison^" + caseId, "CMP-" + caseId, "20240506");

        String rs = RtStructureSetWriter.write(out.resolve("RS.dcm"), structures(current, frame), currentStudy, frame);
        String priorPlan = RtPlanWriter.write(out.resolve("prior/RP.dcm"), priorStudy, frame, "cEBRT", 10, 30.0, null);
        String currentPlan = RtPlanWriter.write(out.resolve("current/RP.dcm"), currentStudy, frame, "reSBRT", 3, 27.0, rs);
        RtDoseWriter.writePhysical(out.resolve("prior/RD.dcm"), priorDose(priorGrid()), priorStudy, frame, priorPlan, 16);
        RtDoseWriter.writePhysical(out.resolve("current/RD.dcm"), currentDose(current), currentStudy, frame, currentPlan, 32);
        Files.writeString(out.resolve("case.json"), caseJson(caseId));
    }

    private static String caseJson(String caseId) {
        return """
                {
                  "caseId": "%s",
                  "structureSet": "RS.dcm",
                  "courses": [
                    { "label": "cEBRT", "dose": "prior/RD.dcm", "plan": "prior/RP.dcm",
                      "startDate": "2023-02-27", "endDate": "2023-03-10" },
                    { "label": "reSBRT", "dose": "current/RD.dcm", "plan": "current/RP.dcm",
                      "startDate": "2024-05-06" }
                  ],
                  "alphaBeta": { "default": 3.0, "byStructure": { "SpinalCord": 2.0, "PTV_High": 10.0 } },
                  "forgiveness": "nelson2009",
                  "outputGrid": "current",
                  "constraints": "spine-reirradiation",
                  "roles": { "cord": "SpinalCord", "ptvHigh": "PTV_High" }
                }
                """.formatted(caseId);
    }

    /** Conventional palliative field: about 30 Gy over a 12 cm long posterior block, falling off smoothly. */
    static DoseGrid priorDose(GridGeometry g) {
        return field(g, (x, y, z) -> {
            double lateral = smoothStep(60 - Math.abs(x), 8);
            double ap = smoothStep(70 - Math.abs(y - 20), 10);
            double axial = smoothStep(60 - Math.abs(z + 6), 6);
            return 30.6 * lateral * ap * axial + 0.4 * inBody(x, y);
        });
    }

    /** SBRT: 27 Gy conformal to the vertebral body, steep fall-off towards the cord (hot spot 12 mm below the prior's centre). */
    static DoseGrid currentDose(GridGeometry g) {
        return field(g, (x, y, z) -> {
            double r = Math.hypot(x, y - PTV_Y);
            double radial = smoothStep(PTV_R + 2 - r, 3.5);
            double axial = smoothStep(PTV_HALF_LENGTH + 2 - Math.abs(z - 6), 3);
            return 29.5 * radial * axial + 2.0 * Math.exp(-(x * x + y * y) / (2 * 60.0 * 60.0)) * inBody(x, y);
        });
    }

    private interface Field {
        double at(double x, double y, double z);
    }

    private static DoseGrid field(GridGeometry g, Field f) {
        float[] d = new float[g.voxelCount()];
        double[] o = g.originMm();
        int nx = g.nx();
        int ny = g.ny();
        IntStream.range(0, g.nz()).parallel().forEach(k -> {
            double z = o[2] + k * g.spacingZ();
            for (int j = 0; j < ny; j++) {
                double y = o[1] + j * g.spacingY();
                int row = nx * (j + ny * k);
                for (int i = 0; i < nx; i++) {
                    d[row + i] = (float) Math.max(0, f.at(o[0] + i * g.spacingX(), y, z));
                }
            }
        });
        return new DoseGrid(g, d);
    }

    /** 0 far below {@code s = 0}, 1 far above, logistic with the given width (mm). */
    private static double smoothStep(double s, double widthMm) {
        return 1 / (1 + Math.exp(-s / widthMm * 4));
    }

    private static double inBody(double x, double y) {
        return (x * x) / (BODY_A * BODY_A) + (y * y) / (BODY_B * BODY_B) <= 1 ? 1 : 0;
    }

    /** Contours on every slice of the current grid (as on the planning CT), PTV_High only over its length. */
    static List<Structure> structures(GridGeometry g, String frame) {
        List<PlanarContour> body = new ArrayList<>();
        List<PlanarContour> cord = new ArrayList<>();
        List<PlanarContour> ptv = new ArrayList<>();
        double z0 = g.originMm()[2];
        for (int k = 0; k < g.nz(); k++) {
            double z = z0 + k * g.spacingZ();
            body.add(ellipse(0, 0, BODY_A, BODY_B, z, 180));
            cord.add(ellipse(0, CORD_Y, CORD_R, CORD_R, z, 32));
            if (Math.abs(z) <= PTV_HALF_LENGTH) {
                ptv.add(ellipse(0, PTV_Y, PTV_R, PTV_R, z, 64));
            }
        }
        return List.of(
                new Structure(1, "External", "EXTERNAL", new int[] {0, 255, 0}, frame, body),
                new Structure(2, "SpinalCord", "ORGAN", new int[] {255, 255, 0}, frame, cord),
                new Structure(3, "PTV_High", "PTV", new int[] {255, 0, 0}, frame, ptv));
    }

    private static PlanarContour ellipse(double cx, double cy, double a, double b, double z, int points) {
        double[] p = new double[points * 3];
        for (int n = 0; n < points; n++) {
            double t = 2 * Math.PI * n / points;
            p[3 * n] = round(cx + a * Math.cos(t));
            p[3 * n + 1] = round(cy + b * Math.sin(t));
            p[3 * n + 2] = z;
        }
        return new PlanarContour(ContourType.CLOSED_PLANAR, p);
    }

    /** Contour points as a planning system writes them: to 0.01 mm. */
    private static double round(double mm) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2f", mm));
    }
}
