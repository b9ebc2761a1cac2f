package dev.eqd2sum.validation;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.eqd2sum.validation.NeuropathyPatientEndToEndTest.eqd2sum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each bad-input rule of CONTRACT through the whole program: exit status 2, one line
 * {@code eqd2sum: error: <file...>: <problem>} naming the file, and nothing written.
 */
class BadInputEndToEndTest {
    @TempDir
    Path dir;
    Path caseFile;
    String json;
    Path outParent;

    @BeforeEach
    void patient() throws IOException {
        caseFile = NeuropathyPatient.write(dir.resolve("pt"), "Dmax");
        json = Files.readString(caseFile);
        outParent = Files.createDirectories(dir.resolve("out"));
    }

    private void rejected(String expectedStart, String problemPart) throws IOException {
        NeuropathyPatientEndToEndTest.Run r = eqd2sum("sum", caseFile.toString(), "--out",
                outParent.resolve("result").toString(), "--backend", "scalar");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.getFirst()).startsWith("eqd2sum: error: " + expectedStart).contains(problemPart);
        try (Stream<Path> s = Files.list(outParent)) {
            assertThat(s.toList()).as("nothing written").isEmpty();
        }
    }

    private void edit(String from, String to) throws IOException {
        assertThat(json).contains(from);
        Files.writeString(caseFile, json.replace(from, to));
    }

    private String casePath() {
        return caseFile.toString();
    }

    @Test
    void unknownField() throws IOException {
        edit("\"forgiveness\"", "\"forgivness\": 1, \"forgiveness\"");
        rejected(casePath() + ": forgivness: ", "unknown field");
    }

    @Test
    void badCaseId() throws IOException {
        edit("\"neuropathy-Dmax\"", "\"neuropathy Dmax\"");
        rejected(casePath() + ": caseId: ", "only letters");
    }

    @Test
    void missingDoseFile() throws IOException {
        Files.delete(dir.resolve("pt/current/RD.dcm"));
        rejected(casePath() + ": courses[1].dose: ", "file not found");
    }

    @Test
    void priorEndsAfterCurrentStarts() throws IOException {
        edit("\"2019-02-15\"", "\"2020-10-21\"");
        rejected(casePath() + ": courses[0].endDate: ", "after the current course");
    }

    @Test
    void sameStartDates() throws IOException {
        edit("\"2019-02-04\", \"endDate\": \"2019-02-15\"", "\"2020-10-20\", \"endDate\": \"2020-10-20\"");
        rejected(casePath() + ": courses[", "ambiguous");
    }

    @Test
    void planAndCaseDisagreeOnFractions() throws IOException {
        edit("\"fractions\": 1,", "\"fractions\": 3,");
        rejected(casePath() + ": courses[1].fractions: ", "plans 1 fractions");
    }

    @Test
    void priorInAnotherFrameWithoutRegistration() throws IOException {
        edit(", \"registration\": \"prior/REG.dcm\"", "");
        rejected(casePath() + ": courses[0].registration: ", "frame of reference");
    }

    @Test
    void aByStructureNameTheStructureSetLacks() throws IOException {
        edit("\"PTV_High\": 10.0", "\"PTV_Boost\": 10.0");
        rejected(casePath() + ": alphaBeta.byStructure.PTV_Boost: ", "no structure named PTV_Boost");
    }

    @Test
    void aRoleTheStructureSetLacks() throws IOException {
        edit("\"forgiveness\"", "\"roles\": {\"thecalSac\": \"ThecalSac\"}, \"forgiveness\"");
        rejected(casePath() + ": roles.thecalSac: ", "no structure named ThecalSac");
    }

    @Test
    void aStructureSetGivenAsDose() throws IOException {
        edit("\"dose\": \"current/RD.dcm\"", "\"dose\": \"RS.dcm\"");
        rejected(dir.resolve("pt/RS.dcm").toString(), "RT Structure Set");
    }

    @Test
    void aStructureSetInAnotherFrame() throws IOException {
        dev.eqd2sum.io.rt.RtStructureSetWriter.write(dir.resolve("pt/RS.dcm"),
                List.of(NeuropathyPatient.cord(), NeuropathyPatient.ptvHigh()),
                dev.eqd2sum.io.rt.PatientStudy.synthetic("Neuropathy^Patient", "NP001", "20201020"),
                NeuropathyPatient.PRIOR_FRAME);
        rejected(dir.resolve("pt/RS.dcm").toString(), "the structure set must be the current course's");
    }

    @Test
    void severalPlanDosesForOneCourse() throws IOException {
        Files.copy(dir.resolve("pt/prior/RD.dcm"), dir.resolve("pt/current/RD2.dcm"));
        edit("\"dose\": \"current/RD.dcm\"", "\"dose\": [\"current/RD.dcm\", \"current/RD2.dcm\"]");
        rejected(dir.resolve("pt/current/RD.dcm").toString(), "only BEAM doses may be listed together");
    }

    @Test
    void aTruncatedDose() throws IOException {
        Path rd = dir.resolve("pt/current/RD.dcm");
        byte[] b = Files.readAllBytes(rd);
        Files.write(rd, java.util.Arrays.copyOf(b, b.length / 2));
        rejected(rd.toString(), "");
    }

    @Test
    void aDoseGridScalingThatMakesTheDoseImplausible() throws IOException {
        // 1e20 Gy per stored unit: the EQD2 (a dose squared) would overflow float, and the DVH its bins
        Path rd = dir.resolve("pt/current/RD.dcm");
        dev.eqd2sum.io.dicom.DicomFile f = dev.eqd2sum.io.dicom.DicomReader.read(rd);
        f.dataset().setString(dev.eqd2sum.io.dicom.Tags.DoseGridScaling, dev.eqd2sum.io.dicom.Vr.DS, "1e20");
        dev.eqd2sum.io.dicom.DicomWriter.write(rd, f.dataset(), "1.2.3", "TEST");
        rejected(rd.toString(), "(DoseGridScaling 1e20): above 10000 Gy it cannot be a dose in Gy");
    }

    @Test
    void aContourNotPerpendicularToTheDoseGridNamesTheStructureSet() throws IOException {
        List<dev.eqd2sum.engine.structure.PlanarContour> tilted = new java.util.ArrayList<>();
        for (dev.eqd2sum.engine.structure.PlanarContour c : NeuropathyPatient.cord().contours()) {
            double[] p = c.pointsMm().clone();
            p[2] += 5; // the first point 5 mm off its plane
            tilted.add(new dev.eqd2sum.engine.structure.PlanarContour(c.type(), p));
        }
        dev.eqd2sum.engine.structure.Structure cord = NeuropathyPatient.cord();
        dev.eqd2sum.io.rt.RtStructureSetWriter.write(dir.resolve("pt/RS.dcm"),
                List.of(new dev.eqd2sum.engine.structure.Structure(cord.roiNumber(), cord.name(), cord.interpretedType(),
                        cord.colourRgb(), cord.frameOfReferenceUid(), tilted), NeuropathyPatient.ptvHigh()),
                dev.eqd2sum.io.rt.PatientStudy.synthetic("Neuropathy^Patient", "NP001", "20201020"),
                NeuropathyPatient.CURRENT_FRAME);
        // found while rasterising, after the backend line: that line, then the one error
        NeuropathyPatientEndToEndTest.Run r = eqd2sum("sum", caseFile.toString(), "--out",
                outParent.resolve("result").toString(), "--backend", "scalar");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("eqd2sum: error: ")).toList()).as(r.err())
                .singleElement().asString().startsWith("eqd2sum: error: " + dir.resolve("pt/RS.dcm") + ": structure '"
                        + cord.name() + "': contour 1 is not perpendicular");
        assertThat(r.err()).doesNotContain("\tat ");
        try (Stream<Path> out = Files.list(outParent)) {
            assertThat(out.toList()).as("nothing written").isEmpty();
        }
    }

    @Test
    void anAlphaBetaBeyondFloatArithmetic() throws IOException {
        assertThat(json).containsPattern("\"default\": *[0-9.]+");
        Files.writeString(caseFile, json.replaceFirst("\"default\": *[0-9.]+", "\"default\": 1e300"));
        rejected(casePath() + ": alphaBeta.default: ", "must lie between 0.01 and 10000 Gy");
    }

    @Test
    void theOutputFolderIsNotEmpty() throws IOException {
        Files.writeString(outParent.resolve("result"), "x");
        NeuropathyPatientEndToEndTest.Run r = eqd2sum("sum", caseFile.toString(), "--out",
                outParent.resolve("result").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("eqd2sum: error: " + outParent.resolve("result"));
    }

    @Test
    void anUnknownBackendIsAUsageError() throws IOException {
        NeuropathyPatientEndToEndTest.Run r = eqd2sum("sum", caseFile.toString(), "--out",
                outParent.resolve("result").toString(), "--backend", "cuda");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("eqd2sum: error: --backend: ").contains("cuda");
    }

    @Test
    void aMissingOutOptionIsAUsageError() {
        NeuropathyPatientEndToEndTest.Run r = eqd2sum("sum", casePath());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("eqd2sum: error: command line: ").contains("--out");
    }
}
