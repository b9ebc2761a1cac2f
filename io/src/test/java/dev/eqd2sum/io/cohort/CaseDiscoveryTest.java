package dev.eqd2sum.io.cohort;

import dev.eqd2sum.engine.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseDiscoveryTest {
    @TempDir
    Path tmp;

    @Test
    void findsCaseFilesInPathOrderAndNothingElse() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("b/x"), "B", 100);
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        FakeStudy.writeCase(study.resolve("a10"), "A10", 100);
        FakeStudy.writeCase(study.resolve("a2"), "A2", 100);
        Files.writeString(study.resolve("a/constraints.json"), "{\"constraints\": []}");
        Files.writeString(study.resolve("a/notes.json"), "[1, 2]");
        Files.writeString(study.resolve("a/dvh.json"), "{\"schemaVersion\": 1, \"caseId\": \"A\", \"courses\": []}");
        FakeStudy.writeCase(study.resolve(".snapshot/a"), "HIDDEN", 100);

        CaseDiscovery d = new CaseDiscovery();
        List<CohortCase> cases = d.discover(study, "study", tmp.resolve("out"));

        assertThat(cases).extracting(CohortCase::displayCaseFile).containsExactly("study/a/case.json",
                "study/a10/case.json", "study/a2/case.json", "study/b/x/case.json");
        assertThat(cases).extracting(CohortCase::index).containsExactly(0, 1, 2, 3);
        assertThat(cases.get(0).doseFiles()).containsExactly(study.resolve("a/RD.dcm").toAbsolutePath().normalize());
        assertThat(cases.get(0).referencedFiles()).containsExactlyInAnyOrder(
                study.resolve("a/RD.dcm").toAbsolutePath().normalize(),
                study.resolve("a/RS.dcm").toAbsolutePath().normalize());
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void aMistypedOrTruncatedCaseIsACaseThatFails_otherJsonIsNot() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        Path typo = FakeStudy.writeCase(study.resolve("b"), "B", 100);
        Files.writeString(typo, Files.readString(typo).replace("\"courses\"", "\"Courses\""));
        Path singular = FakeStudy.writeCase(study.resolve("c"), "C", 100);
        Files.writeString(singular, Files.readString(singular).replace("\"courses\"", "\"course\""));
        Path truncated = FakeStudy.writeCase(study.resolve("d"), "D", 100);
        Files.writeString(truncated, Files.readString(truncated).substring(0, 40));
        Files.writeString(study.resolve("case-e.json"), "");
        Files.writeString(study.resolve("f.json"), "{\"CASEID\": \"F\", \"structureSet\": \"RS.dcm\"}");
        Files.writeString(study.resolve("i.json"), "{\"schemaVersion\": 1, \"caseId\": \"I\", \"courses\": []}");
        Files.writeString(study.resolve("g.json"), "{\"alphaBeta\": {\"default\": 3}, \"forgiveness\": \"none\", \"cour");
        Files.writeString(study.resolve("h.json"), "{\"alphaBeta\": {\"default\": 3}, \"forgiveness\": \"none\"}");
        // not cases: other JSON, a constraint file a case names, eqd2sum's own outputs, whole or broken, and other
        // tools' files that share a word with a case file or are not JSON
        Files.writeString(study.resolve("a/notes.json"), "[1, 2]");
        Files.writeString(study.resolve("a/settings.json"), "{\"theme\": \"dark\", \"fontSize\": 12}");
        Files.writeString(study.resolve("a/report.json"), "{\"statistics\": {\"mean\": 1}}");
        Files.writeString(study.resolve("a/clinical.json"), "{\"caseId\": \"A\", \"age\": 64}");
        Files.writeString(study.resolve("a/tsconfig.json"), "{ // comments\n \"compilerOptions\": {} }");
        Files.writeString(study.resolve("a/log.json"), "{\"event\": 1, \"statistics\": {\"n\": 2}, \"msg\": \"cut");
        Files.writeString(study.resolve("a/empty.json"), "");
        Files.writeString(study.resolve("a/limits.json"), "{\"name\": \"mine\", \"constraints\": []}");
        Files.writeString(study.resolve("a/dvh.json"), "{\"schemaVersion\": 1, \"caseId\": \"A\", \"courses\": []}");
        Files.writeString(study.resolve("b/dvh.json"), "{\"schemaVersion\": 1, \"caseId\": \"B\", \"cour");
        Files.writeString(study.resolve("b/constraints.json"), "{\"schemaVersion\": 1, \"constraints\": []}");

        CaseDiscovery d = new CaseDiscovery();
        List<CohortCase> cases = d.discover(study, "study", tmp.resolve("out"));

        assertThat(cases).extracting(CohortCase::displayCaseFile).containsExactly("study/a/case.json",
                "study/b/case.json", "study/c/case.json", "study/case-e.json", "study/d/case.json", "study/f.json",
                "study/g.json", "study/h.json", "study/i.json");
        // the mistyped ones keep their caseIds (their rows in failures.csv); the truncated ones have none
        assertThat(cases).extracting(CohortCase::caseId).containsExactly("A", "B", "C", null, null, null, null, null,
                "I");
        assertThat(d.warnings()).containsExactlyInAnyOrder("study/b/dvh.json: skipped, not valid JSON",
                "study/a/tsconfig.json: skipped, not valid JSON",
                "study/a/log.json: skipped, not valid JSON", "study/a/empty.json: skipped, empty");
    }

    @Test
    void aDanglingJsonLinkIsSkippedWithAWarning_aLiveOneIsFollowed() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        Path elsewhere = FakeStudy.writeCase(tmp.resolve("elsewhere/b"), "B", 100);
        Files.createSymbolicLink(study.resolve("b.json"), elsewhere);
        Files.createSymbolicLink(study.resolve("gone.json"), tmp.resolve("moved/case.json"));
        CaseDiscovery d = new CaseDiscovery();
        assertThat(d.discover(study, "study", tmp.resolve("out"))).extracting(CohortCase::caseId)
                .containsExactly("A", "B");
        assertThat(d.warnings()).containsExactly("study/gone.json: skipped, a symbolic link to "
                + tmp.resolve("moved/case.json") + ", which does not exist");
    }

    @Test
    void skippedJsonFilesAreNamedWithWhy_tooLargeOrTooDeep() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        Path big = FakeStudy.writeCase(study.resolve("big"), "BIG", 100);
        String text = Files.readString(big);
        Files.writeString(big, text + " ".repeat((int) CaseDiscovery.MAX_CASE_FILE_BYTES + 1 - text.length()));
        Files.writeString(study.resolve("a/deep.json"), "[".repeat(5000) + "]".repeat(5000));
        // a sum's own large report beside a case: no case, and no warning
        Files.writeString(study.resolve("a/dvh.json"), "{" + " ".repeat((int) CaseDiscovery.MAX_CASE_FILE_BYTES) + "}");
        CaseDiscovery d = new CaseDiscovery();
        assertThat(d.discover(study, "study", tmp.resolve("out"))).extracting(CohortCase::caseId).containsExactly("A");
        assertThat(d.warnings()).containsExactly("study/a/deep.json: skipped, its JSON is nested deeper than 1000 levels",
                "study/big/case.json: skipped, 4194305 bytes; a case file is at most 4194304 bytes");
    }

    @Test
    void neverScansTheOutputFolderInsideTheInputFolder() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        // A copy of a case inside the output folder, as an earlier run or a user could leave there.
        FakeStudy.writeCase(study.resolve("results/A"), "A", 100);
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", study.resolve("results"));
        assertThat(cases).extracting(CohortCase::displayCaseFile).containsExactly("study/a/case.json");
        // The same folder named another way (relative with ..) is still recognised.
        List<CohortCase> again = new CaseDiscovery().discover(study, "study", study.resolve("a/../results"));
        assertThat(again).hasSize(1);
    }

    @Test
    void anInvalidCaseIdIsNone_theCaseIsNamedByItsFile() throws IOException {
        Path study = tmp.resolve("study");
        // JSON escapes: a line break, ESC; then a trailing space, an empty one, ".."
        List<String> ids = List.of("a\\nb", "\\u001b[31mred", "c-0000 ", "", "..", "pt.01");
        for (int i = 0; i < ids.size(); i++) {
            FakeStudy.writeCase(study.resolve("k" + i), ids.get(i), 100);
        }
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", tmp.resolve("out"));
        assertThat(cases).extracting(CohortCase::caseId).containsExactly(null, null, null, null, null, "pt.01");
        assertThat(cases).extracting(CohortCase::folderName).containsExactly(null, null, null, null, null, "pt.01");
        assertThat(cases).extracting(CohortCase::label).containsExactly("study/k0/case.json", "study/k1/case.json",
                "study/k2/case.json", "study/k3/case.json", "study/k4/case.json", "pt.01");
    }

    @Test
    void duplicateCaseIdsStopEverythingNamingBothFiles() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "PT01", 100);
        FakeStudy.writeCase(study.resolve("b"), "PT01", 100);
        assertThatThrownBy(() -> new CaseDiscovery().discover(study, "study", tmp.resolve("out")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("study/b/case.json: caseId: \"PT01\" is also the caseId of study/a/case.json; caseIds must"
                        + " be unique in a cohort");
    }

    @Test
    void caseIdsDifferingOnlyInCaseClashToo() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "pt01", 100);
        FakeStudy.writeCase(study.resolve("b"), "PT01", 100);
        assertThatThrownBy(() -> new CaseDiscovery().discover(study, "study", tmp.resolve("out")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("study/b/case.json: caseId: \"PT01\" and \"pt01\" (study/a/case.json) would share the output"
                        + " folder PT01 (folder names ignore case on macOS and Windows); caseIds must be unique in a"
                        + " cohort");
        // a renamed caseId (a Windows device name) and the name it becomes
        Path renamed = tmp.resolve("renamed");
        FakeStudy.writeCase(renamed.resolve("a"), "con", 100);
        FakeStudy.writeCase(renamed.resolve("b"), "_con", 100);
        assertThatThrownBy(() -> new CaseDiscovery().discover(renamed, "renamed", tmp.resolve("out")))
                .hasMessage("renamed/b/case.json: caseId: \"_con\" and \"con\" (renamed/a/case.json) would share the"
                        + " output folder _con (a caseId unsafe as a folder name is renamed, e.g. con -> _con; folder"
                        + " names ignore case on macOS and Windows); caseIds must be unique in a cohort");
    }

    @Test
    void aCaseIdNamingACohortFileIsRefused() throws IOException {
        FakeStudy.writeCase(tmp.resolve("study/a"), "failures.csv", 100);
        assertThatThrownBy(() -> new CaseDiscovery().discover(tmp.resolve("study"), "study", tmp.resolve("out")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is the name of a file the cohort writes");
    }

    @Test
    void manifestRowsInOrderRelativeToTheManifest() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        FakeStudy.writeCase(study.resolve("b"), "B", 100);
        Path manifest = study.resolve("cohort.csv");
        Files.writeString(manifest, "\uFEFFpatient,case\r\n7,b/case.json\r\n\r\n3,\"a/case.json\"\r\n");
        List<CohortCase> cases = new CaseDiscovery().discover(manifest, "study/cohort.csv", tmp.resolve("out"));
        assertThat(cases).extracting(CohortCase::caseId).containsExactly("B", "A");
        assertThat(cases).extracting(CohortCase::displayCaseFile).containsExactly("study/b/case.json",
                "study/a/case.json");
    }

    @Test
    void badManifestsAreRefusedBeforeAnythingRuns() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        Path m = study.resolve("m.csv");
        Files.writeString(m, "file\na/case.json\n");
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "m.csv", tmp.resolve("out")))
                .hasMessage("m.csv: has no \"case\" column in its header row (found: file)");
        Files.writeString(m, "case\na/case.json\nmissing/case.json\n");
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "m.csv", tmp.resolve("out")))
                .hasMessage("m.csv: row 3: case file missing/case.json not found");
        Files.writeString(m, "case\na/case.json\n./a/case.json\n");
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "m.csv", tmp.resolve("out")))
                .hasMessage("m.csv: row 3: case file ./a/case.json is listed twice");
        Files.writeString(m, "case\n");
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "m.csv", tmp.resolve("out")))
                .hasMessage("m.csv: the manifest lists no cases");
    }

    @Test
    void aFolderWithoutCasesOrAMissingInputIsBadInput() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> new CaseDiscovery().discover(tmp.resolve("empty"), "empty", tmp.resolve("out")))
                .hasMessage("empty: no case files found (JSON files with \"courses\")");
        assertThatThrownBy(() -> new CaseDiscovery().discover(tmp.resolve("nope"), "nope", tmp.resolve("out")))
                .hasMessage("nope: not found (give a folder of case files or a CSV manifest)");
    }

    @Test
    void aDicomBinaryOrNonUtf8FileIsNotAManifest() throws IOException {
        Path m = tmp.resolve("RS.dcm");
        byte[] dicom = new byte[300];
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, dicom, 128, 4);
        Files.write(m, dicom);
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "case/RS.dcm", tmp.resolve("out")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("case/RS.dcm: is not a CSV manifest: it looks like a DICOM file (DICM at byte 128); give a"
                        + " folder of case files or a CSV file with a \"case\" column");
        Files.write(m, new byte[] {'c', 'a', 's', 'e', '\n', 0, 1, (byte) 0xFF});
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "m.csv", tmp.resolve("out")))
                .hasMessage("m.csv: is not a CSV manifest (binary content); give a folder of case files or a CSV file"
                        + " with a \"case\" column");
        Files.write(m, "case\na/case.json\n".getBytes(StandardCharsets.UTF_16));
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "m.csv", tmp.resolve("out")))
                .hasMessage("m.csv: is UTF-16 text; save the manifest as CSV in UTF-8");
        Files.write(m, "patient,case\nJos\u00e9,a/case.json\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "m.csv", tmp.resolve("out")))
                .hasMessage("m.csv: line 2 is not UTF-8 text (byte 0xe9); save the manifest as CSV in UTF-8");
    }

    @Test
    void aJsonFileGivenAsTheManifestIsNamedForWhatItIs() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        assertThatThrownBy(() -> new CaseDiscovery().discover(study.resolve("a/case.json"), "study/a/case.json",
                tmp.resolve("out")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("study/a/case.json: is a case file (JSON), not a CSV manifest: run `eqd2sum sum` on it, or"
                        + " give its folder to cohort");
        Path dvh = study.resolve("dvh.json");
        Files.writeString(dvh, "\n  {\"schemaVersion\": 1, \"courses\": []}");
        assertThatThrownBy(() -> new CaseDiscovery().discover(dvh, "study/dvh.json", tmp.resolve("out")))
                .hasMessage("study/dvh.json: is a JSON file, not a CSV manifest (a CSV file with a \"case\" column)");
    }

    @Test
    void aRepeatedCaseColumnOrAFolderRowIsRefused() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        FakeStudy.writeCase(study.resolve("b"), "B", 100);
        Files.createDirectories(study.resolve("empty"));
        Path m = study.resolve("m.csv");
        Files.writeString(m, "case,patient, Case\na/case.json,1,b/case.json\n");
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "study/m.csv", tmp.resolve("out")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("study/m.csv: column \"case\" appears twice in the header row (columns 1 and 3, ignoring"
                        + " upper/lower case)");
        // one capitalised column is the case column
        Files.writeString(m, "Patient,CASE\n1,a/case.json\n2,b/case.json\n");
        assertThat(new CaseDiscovery().discover(m, "study/m.csv", tmp.resolve("out"))).hasSize(2);
        Files.writeString(m, "case\na\n");
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "study/m.csv", tmp.resolve("out")))
                .hasMessage("study/m.csv: row 2: study/a is a folder, not a case file (did you mean study/a/case.json?)");
        Files.writeString(m, "case\nb/case.json\nempty/\n");
        assertThatThrownBy(() -> new CaseDiscovery().discover(m, "study/m.csv", tmp.resolve("out")))
                .hasMessage("study/m.csv: row 3: study/empty is a folder, not a case file");
    }
}
