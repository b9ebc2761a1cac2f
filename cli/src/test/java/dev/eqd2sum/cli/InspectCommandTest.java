package dev.eqd2sum.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path dir;
    Path rd, rs, rp, reg;
    final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

    @BeforeEach
    void writeCase() {
        PatientStudy ps = PatientStudy.synthetic("Doe^Jane", "pt9", "20240506");
        GridGeometry g = GridGeometry.axisAligned(4, 3, 2, -3, -2, 10, 2, 2, 2.5);
        float[] d = new float[24];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.5f;
        }
        rd = dir.resolve("RD.dcm");
        RtDoseWriter.writePhysical(rd, new DoseGrid(g, d), ps, "1.2.3", "1.2.4", 32);
        rs = dir.resolve("RS.dcm");
        RtStructureSetWriter.write(rs, List.of(new Structure(1, "SpinalCord", "ORGAN", null, "1.2.3",
                List.of(new PlanarContour(ContourType.CLOSED_PLANAR, new double[] {0, 0, 10, 1, 0, 10, 1, 1, 10}))),
                new Structure(2, "PTV_High", "PTV", null, "1.2.3", List.of())), ps, "1.2.3");
        rp = dir.resolve("RP.dcm");
        RtPlanWriter.write(rp, ps, "1.2.3", "reSBRT", 3, 27.0, null);
        reg = dir.resolve("REG.dcm");
        SpatialRegistrationWriter.write(reg, ps, "1.2.3", Map.of("1.2.9", RigidTransform.identity()));
    }

    int run(String... args) {
        return Main.run(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void summarisesEveryObject() {
        assertThat(run("inspect", rd.toString(), rs.toString(), rp.toString(), reg.toString())).isZero();
        assertThat(out.toString()).contains("RT Dose").contains("4 x 3 x 2 (columns, rows, frames)")
                .containsPattern("spacing \\(mm\\): +[0-9.]+ x [0-9.]+ x [0-9.]+ \\(between columns, rows, frames\\)")
                .contains("dose range (Gy):     0.000 .. 11.50")
                .contains("SpinalCord").contains("PTV_High").contains("3 fractions").contains("1.2.9 -> 1.2.3");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void jsonForScripts() throws IOException {
        assertThat(run("inspect", "--json", rd.toString(), rs.toString())).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(tree.get(0).get("grid").get("size").toString()).isEqualTo("[4,3,2]");
        assertThat(tree.get(0).get("doseRangeGy").get(1).asDouble()).isEqualTo(11.5);
        assertThat(tree.get(1).get("structures").get(0).get("contours").asInt()).isEqualTo(1);
    }

    @Test
    void aBadFileIsOneErrorLineAndExitTwoAndTheOtherFilesAreStillShown() throws IOException {
        Path cut = dir.resolve("cut.dcm");
        byte[] all = Files.readAllBytes(rd);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 7));
        assertThat(run("inspect", rs.toString(), cut.toString(), rp.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("eqd2sum: error: " + cut + ": file ends at byte " + (all.length - 7)
                + " inside PixelData (7FE0,0010)");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(out.toString()).contains(rs.toString(), "SpinalCord", rp.toString(), "3 fractions")
                .doesNotContain(cut.toString());
    }

    @Test
    void aFolderADeviceAndANameWithALineBreakAreOneLineEach() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")),
                "a Unix /dev/zero and file names with line breaks");
        Path odd = Files.writeString(dir.resolve("bad\nname.dcm"), "x");
        Path zero = Path.of("/dev/zero");
        assertThat(run("inspect", dir.toString(), zero.toString(), odd.toString(), rp.toString())).isEqualTo(2);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("eqd2sum: error: " + dir + ": is a folder, not a DICOM file");
        assertThat(lines.get(1)).isEqualTo("eqd2sum: error: /dev/zero: is a device, not a file");
        assertThat(lines.get(2)).startsWith("eqd2sum: error: " + dir + "/bad name.dcm: ");
        assertThat(out.toString()).contains("3 fractions");
    }

    @Test
    void controlCharactersReadFromAFileAreShownAsEscapes() throws IOException {
        PatientStudy ps = PatientStudy.synthetic("Doe^Jane", "pt9", "20240506");
        Path odd = dir.resolve("RS-odd.dcm");
        RtStructureSetWriter.write(odd, List.of(new Structure(1, "Ext\u001b[31mernal", "EXTERNAL", null, "1.2.3",
                List.of(new PlanarContour(ContourType.CLOSED_PLANAR, new double[] {0, 0, 10, 1, 0, 10, 1, 1, 10})))),
                ps, "1.2.3");
        assertThat(run("inspect", odd.toString())).isZero();
        assertThat(out.toString()).contains("Ext\\x1b[31mernal").doesNotContain("\u001b");
    }

    @Test
    void jsonNamesABadFileWithItsProblem() throws IOException {
        Path cut = dir.resolve("cut.dcm");
        byte[] all = Files.readAllBytes(rd);
        Files.write(cut, java.util.Arrays.copyOf(all, 100));
        assertThat(run("inspect", "--json", cut.toString(), rs.toString())).isEqualTo(2);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(tree.get(0).get("file").asText()).isEqualTo(cut.toString());
        assertThat(tree.get(0).get("error").asText()).isNotBlank().doesNotContain(cut.toString());
        assertThat(tree.get(1).get("structures")).hasSize(2);
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void aRelativeDoseIsShownInItsOwnUnits() throws IOException {
        var f = dev.eqd2sum.io.dicom.DicomReader.read(rd);
        f.dataset().setString(dev.eqd2sum.io.dicom.Tags.DoseUnits, dev.eqd2sum.io.dicom.Vr.CS, "RELATIVE");
        Path rel = dir.resolve("RD-relative.dcm");
        dev.eqd2sum.io.dicom.DicomWriter.write(rel, f.dataset(), "1.2.3", "TEST");
        assertThat(run("inspect", rel.toString())).isZero();
        assertThat(out.toString()).contains("RELATIVE, PHYSICAL, summation PLAN",
                "not usable: DoseUnits (3004,0002) is RELATIVE", "dose range (RELATIVE): 0.000 .. 11.50")
                .doesNotContain("dose range (Gy)");
        out.reset();
        assertThat(run("inspect", "--json", rel.toString())).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(tree.get(0).has("doseRangeGy")).isFalse();
        assertThat(tree.get(0).get("doseRange").get(1).asDouble()).isEqualTo(11.5);
        assertThat(tree.get(0).get("doseUnits").asText()).isEqualTo("RELATIVE");
    }

    @Test
    void ourOwnPlanSumIsSummarisedAndSaidToBeNoCourseDose() throws IOException {
        PatientStudy ps = PatientStudy.synthetic("Doe^Jane", "pt9", "20240506");
        GridGeometry g = GridGeometry.axisAligned(4, 3, 2, -3, -2, 10, 2, 2, 2.5);
        float[] d = new float[24];
        java.util.Arrays.fill(d, 42.5f);
        Path sum = dir.resolve("plan-sum-eqd2.dcm");
        RtDoseWriter.writeEqd2PlanSum(sum, new DoseGrid(g, d), new RtDoseWriter.Eqd2Export(ps, "1.2.3",
                List.of("1.2.4", "1.2.5"), List.of(), "alpha/beta 2 Gy", true, 32));
        assertThat(run("inspect", sum.toString(), rd.toString())).isZero();
        assertThat(out.toString()).contains("GY, EFFECTIVE, summation MULTI_PLAN",
                "as a course's dose:  not usable: DoseType (3004,0004) is EFFECTIVE", "42.50",
                "as a course's dose:  usable");
        out.reset();
        assertThat(run("inspect", "--json", sum.toString())).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(tree.get(0).get("usableAsCourseDose").asBoolean()).isFalse();
        assertThat(tree.get(0).get("notUsableAsCourseDose").asText()).contains("EFFECTIVE");
        assertThat(err.toString()).isEmpty();
    }
}
