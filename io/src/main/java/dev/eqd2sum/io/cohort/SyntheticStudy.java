package dev.eqd2sum.io.cohort;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDoseWriter;
import dev.eqd2sum.io.rt.RtStructureSetWriter;
import dev.eqd2sum.io.rt.Uids;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates a study of spine reirradiation cases for cohort tests and throughput measurements: per case a prior
 * conventional course (30 Gy in 10 fractions, 16-bit RT Dose on a coarser grid) and a current SBRT course (27 Gy
 * in 3 fractions, 32-bit RT Dose), an RT Structure Set (External, SpinalCord, PTV_High) in the same frame, and a
 * case.json with the spine-reirradiation constraints. Cases differ (hot spot shifted and dose scaled by the case
 * number) so their rows differ. Written with the project's DICOM writers (io.rt).
 */
public final class SyntheticStudy {
    /**
     * Grid sizes of a study.
     *
     * @param current current course grid (nx, ny, nz) at {@code currentSpacingMm}
     * @param prior   prior course grid (nx, ny, nz) at {@code priorSpacingMm}
     */
    public record Size(int[] current, double[] currentSpacingMm, int[] prior, double[] priorSpacingMm) {
        /** The standard case of the benchmarks: current 200x200x150 at 2 mm (6 M voxels), prior 180x160x110 at 2.5x2.5x3 mm. */
        public static final Size STD = new Size(new int[] {200, 200, 150}, new double[] {2, 2, 2},
                new int[] {180, 160, 110}, new double[] {2.5, 2.5, 3});
        /** A small case for tests (seconds for a 20-case cohort). */
        public static final Size SMALL = new Size(new int[] {48, 48, 40}, new double[] {2, 2, 2},
                new int[] {40, 36, 30}, new double[] {2.5, 2.5, 3});
    }

    private SyntheticStudy() {
    }

    /** Writes {@code dir/case.json}, {@code dir/RS.dcm}, {@code dir/prior/RD.dcm}, {@code dir/current/RD.dcm}. */
    public static Path writeCase(Path dir, String caseId, int caseNumber, Size size) {
        try {
            Files.createDirectories(dir.resolve("prior"));
            Files.createDirectories(dir.resolve("current"));
            String frame = Uids.newUid();
            PatientStudy patient = PatientStudy.synthetic("Synthetic^" + caseId, caseId, "20240506");
            GridGeometry cur = centred(size.current(), size.currentSpacingMm());
            GridGeometry pri = centred(size.prior(), size.priorSpacingMm());
            // Structures scale with the current grid so the small size stays inside it.
            double half = Math.min(cur.nx() * cur.spacingX(), cur.ny() * cur.spacingY()) / 2;
            double halfZ = cur.nz() * cur.spacingZ() / 2;
            double s = half / 200.0;
            double shift = ((caseNumber % 5) - 2) * 1.5 * s;
            double scale = 0.9 + 0.02 * (caseNumber % 11);
            double cordY = 40 * s;
            double ptvY = 5 * s;

            List<Structure> structures = new ArrayList<>();
            structures.add(cylinder(1, "External", "EXTERNAL", 150 * s, 110 * s, 0, 0, -0.9 * halfZ, 0.9 * halfZ,
                    cur.spacingZ(), frame));
            structures.add(cylinder(2, "SpinalCord", "ORGAN", Math.max(2.5, 5 * s), Math.max(2.5, 5 * s), 0, cordY,
                    -0.6 * halfZ, 0.6 * halfZ, cur.spacingZ(), frame));
            structures.add(cylinder(3, "PTV_High", "PTV", 18 * s, 18 * s, 0, ptvY, -0.25 * halfZ, 0.25 * halfZ,
                    cur.spacingZ(), frame));
            RtStructureSetWriter.write(dir.resolve("RS.dcm"), structures, patient, frame);

            // Current SBRT: a hot spot on the PTV falling off towards the cord (sigma 15 mm, scaled).
            double sigma = Math.max(4, 15 * s);
            DoseGrid current = field(cur, (x, y, z) -> (float) (27 * scale
                    * Math.exp(-((x - shift) * (x - shift) + (y - ptvY) * (y - ptvY)) / (2 * sigma * sigma))
                    * Math.exp(-(z * z) / (2 * (3 * sigma) * (3 * sigma)))));
            RtDoseWriter.writePhysical(dir.resolve("current/RD.dcm"), current, patient, frame, null, 32);
            // Prior conventional course: a broad 30 Gy field over the spine, cord included.
            double wide = Math.max(10, 35 * s);
            DoseGrid prior = field(pri, (x, y, z) -> (float) (30 * (0.95 + 0.01 * (caseNumber % 7))
                    * Math.exp(-(x * x) / (2 * wide * wide) - ((y - cordY) * (y - cordY)) / (2 * wide * wide))
                    * (Math.abs(z) < 0.8 * halfZ ? 1 : 0.2)));
            RtDoseWriter.writePhysical(dir.resolve("prior/RD.dcm"), prior, patient, frame, null, 16);

            Path caseFile = dir.resolve("case.json");
            Files.writeString(caseFile, """
                    {
                      "caseId": "%s",
                      "structureSet": "RS.dcm",
                      "courses": [
                        { "label": "cEBRT", "dose": "prior/RD.dcm", "fractions": 10,
                          "startDate": "2023-02-27", "endDate": "2023-03-10" },
                        { "label": "reSBRT", "dose": "current/RD.dcm", "fractions": 3, "startDate": "2024-05-06" }
                      ],
                      "alphaBeta": { "default": 3.0, "byStructure": { "SpinalCord": 2.0, "PTV_High": 10.0 } },
                      "forgiveness": "nelson2009",
                      "constraints": "spine-reirradiation",
                      "roles": { "cord": "SpinalCord", "ptvHigh": "PTV_High" }
                    }
                    """.formatted(caseId));
            return caseFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code count} cases into {@code dir/case-0000/...}; caseIds {@code <prefix>-0000}, ... */
    public static List<Path> writeStudy(Path dir, String prefix, int count, Size size) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "%s-%04d", prefix, i);
            files.add(writeCase(dir.resolve(String.format(Locale.ROOT, "case-%04d", i)), id, i, size));
        }
        return files;
    }

    private interface Field {
        float at(double x, double y, double z);
    }

    private static GridGeometry centred(int[] n, double[] spacing) {
        return GridGeometry.axisAligned(n[0], n[1], n[2], -(n[0] - 1) * spacing[0] / 2, -(n[1] - 1) * spacing[1] / 2,
                -(n[2] - 1) * spacing[2] / 2, spacing[0], spacing[1], spacing[2]);
    }

    private static DoseGrid field(GridGeometry g, Field f) {
        float[] d = new float[g.voxelCount()];
        double[] o = g.originMm();
        int idx = 0;
        for (int k = 0; k < g.nz(); k++) {
            double z = o[2] + k * g.spacingZ();
            for (int j = 0; j < g.ny(); j++) {
                double y = o[1] + j * g.spacingY();
                for (int i = 0; i < g.nx(); i++) {
                    d[idx++] = f.at(o[0] + i * g.spacingX(), y, z);
                }
            }
        }
        return new DoseGrid(g, d);
    }

    /** An elliptic cylinder along z: one closed 48-point contour per plane, planes at slab centres. */
    private static Structure cylinder(int roi, String name, String type, double ax, double by, double cx, double cy,
                                      double z0, double z1, double planeSpacing, String frame) {
        List<PlanarContour> contours = new ArrayList<>();
        int points = 48;
        for (double z = Math.ceil(z0 / planeSpacing) * planeSpacing; z <= z1 + 1e-9; z += planeSpacing) {
            double[] p = new double[points * 3];
            for (int t = 0; t < points; t++) {
                double a = 2 * Math.PI * t / points;
                p[3 * t] = cx + ax * Math.cos(a);
                p[3 * t + 1] = cy + by * Math.sin(a);
                p[3 * t + 2] = z;
            }
            contours.add(new PlanarContour(ContourType.CLOSED_PLANAR, p));
        }
        return new Structure(roi, name, type, null, frame, contours);
    }
}
