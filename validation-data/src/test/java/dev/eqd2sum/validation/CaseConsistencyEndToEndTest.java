package dev.eqd2sum.validation;

import static dev.eqd2sum.validation.NeuropathyPatientEndToEndTest.eqd2sum;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.DicomWriter;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtPlanWriter;
import dev.eqd2sum.io.rt.RtStructureSetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are each valid but do not belong together: one dose given twice under two names, a file of another
 * patient, one structure name in two spellings, a structure drawn in another frame of reference.
 */
class CaseConsistencyEndToEndTest {
    @TempDir
    Path dir;
    Path pt;
    Path caseFile;
    Path out;
    final PatientStudy patient = PatientStudy.synthetic("Neuropathy^Patient", "NP001", "20201020");

    @BeforeEach
    void patient() throws IOException {
        pt = dir.resolve("pt");
        caseFile = NeuropathyPatient.write(pt, "Dmax");
        out = dir.resolve("out");
    }

    private NeuropathyPatientEndToEndTest.Run sum() {
        return eqd2sum("sum", caseFile.toString(), "--out", out.toString(), "--backend", "scalar", "--quiet");
    }

    private JsonNode summed() throws IOException {
        NeuropathyPatientEndToEndTest.Run r = sum();
        assertThat(r.status()).as(r.err()).isZero();
        return new ObjectMapper().readTree(out.resolve("dvh.json").toFile());
    }

    private static List<String> texts(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    private void refused(String start, String part) throws IOException {
        NeuropathyPatientEndToEndTest.Run r = sum();
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(r.err()).singleElement().asString()
                .startsWith("eqd2sum: error: " + start).contains(part);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).as("nothing written").containsExactly("pt");
        }
    }

    @Test
    void oneDoseUnderTwoNamesIsRefused() throws IOException {
        Files.copy(pt.resolve("current/RD.dcm"), pt.resolve("current/RD-copy.dcm"));
        String json = Files.readString(caseFile);
        Files.writeString(caseFile, json.replace("\"dose\": \"prior/RD.dcm\"", "\"dose\": \"current/RD-copy.dcm\""));
        refused(pt.resolve("current/RD.dcm") + ": is the same RT Dose as " + pt.resolve("current/RD-copy.dcm"),
                "its dose would be counted twice");
    }

    @Test
    void aFileOfAnotherPatientIsAWarning() throws IOException {
        RtPlanWriter.write(pt.resolve("prior/RP.dcm"), PatientStudy.synthetic("Someone^Else", "XX999", "20190204"),
                NeuropathyPatient.PRIOR_FRAME, "cEBRT", 10, 30.0, null);
        List<String> warnings = texts(summed().get("warnings"));
        String line = pt.resolve("prior/RP.dcm") + " is of patient ID \"XX999\", but " + pt.resolve("current/RD.dcm")
                + " is of \"NP001\": check that every file is this patient's";
        assertThat(warnings).contains(line);
        // --quiet prints no table: the warnings go to stderr
        deleteRecursively(out);
        assertThat(sum().err()).contains("eqd2sum: warning: " + line);
    }

    @Test
    void moreFractionsThanTheDatesHoldAreAWarning() throws IOException {
        // 40 fractions between 2019-02-04 and 2019-02-15: 12 days (36 would be CHART's three a day: no warning)
        RtPlanWriter.write(pt.resolve("prior/RP.dcm"), patient, NeuropathyPatient.PRIOR_FRAME, "cEBRT", 40, 30.0, null);
        assertThat(texts(summed().get("warnings"))).contains("course cEBRT: 40 fractions from 2019-02-04 to 2019-02-15"
                + " (12 days), more than three a day: check its fractions and dates");
        deleteRecursively(out);
        RtPlanWriter.write(pt.resolve("prior/RP.dcm"), patient, NeuropathyPatient.PRIOR_FRAME, "cEBRT", 36, 30.0, null);
        assertThat(texts(summed().get("warnings"))).noneMatch(w -> w.contains("more than three a day"));
    }

    @Test
    void oneStructureNameInTwoSpellingsIsOneStructure() throws IOException {
        Structure cord = NeuropathyPatient.cord();
        Structure again = new Structure(3, "SPINALCORD", "ORGAN", null, NeuropathyPatient.CURRENT_FRAME,
                cord.contours());
        RtStructureSetWriter.write(pt.resolve("RS.dcm"), List.of(cord, NeuropathyPatient.ptvHigh(), again), patient,
                NeuropathyPatient.CURRENT_FRAME);
        JsonNode dvh = summed();
        assertThat(texts(dvh.get("warnings"))).contains("the structure set has structures named \"SpinalCord\" and"
                + " \"SPINALCORD\", one name ignoring case and spaces at the ends; the first is used");
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        dvh.get("structures").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).containsExactly("SpinalCord", "PTV_High");
    }

    @Test
    void aStructureInAnotherFrameIsLeftOutOrRefusedWhenTheCaseNamesIt() throws IOException {
        Structure other = new Structure(3, "Other", "ORGAN", null, NeuropathyPatient.CURRENT_FRAME,
                NeuropathyPatient.ptvHigh().contours());
        Path rs = pt.resolve("RS.dcm");
        RtStructureSetWriter.write(rs, List.of(NeuropathyPatient.cord(), NeuropathyPatient.ptvHigh(), other), patient,
                NeuropathyPatient.CURRENT_FRAME);
        DicomFile f = DicomReader.read(rs);
        f.dataset().getSequence(Tags.StructureSetROISequence).get(2).setString(Tags.ReferencedFrameOfReferenceUID,
                Vr.UI, NeuropathyPatient.PRIOR_FRAME);
        DicomWriter.write(rs, f.dataset(), "1.2.3", "TEST");
        JsonNode dvh = summed();
        assertThat(texts(dvh.get("warnings"))).contains(rs + ": structure 'Other' (ROI 3) is drawn in frame of"
                + " reference " + NeuropathyPatient.PRIOR_FRAME + ", but the current course's dose "
                + pt.resolve("current/RD.dcm") + " is in " + NeuropathyPatient.CURRENT_FRAME + ": left out, no statistics");
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        dvh.get("structures").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).containsExactly("SpinalCord", "PTV_High");

        deleteRecursively(out);
        String json = Files.readString(caseFile);
        Files.writeString(caseFile, json.replace("\"PTV_High\": 10.0", "\"PTV_High\": 10.0, \"other\": 4.0"));
        refused(rs + ": structure 'Other' (ROI 3) is drawn in frame of reference", "(alphaBeta.byStructure names it)");
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
