package dev.eqd2sum.io.cohort;

import dev.eqd2sum.engine.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the cohort may write into, and replace there: never a user's folder, never its inputs, one run at a time. */
class CohortOutputTest {
    @TempDir
    Path tmp;

    private List<CohortCase> cases(Path study, Path out) {
        return new CaseDiscovery().discover(study, "study", out);
    }

    private Path study() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 100);
        FakeStudy.writeCase(study.resolve("b"), "B", 100);
        return study;
    }

    @Test
    void resumeNeverWritesIntoAFolderNoCohortWrote() throws IOException {
        Path study = study();
        Path out = tmp.resolve("mine");
        Files.createDirectories(out.resolve("A"));
        Files.writeString(out.resolve("A/notes.txt"), "precious");
        Files.writeString(out.resolve("failures.csv"), "mine");
        String refused = "mine: --out is not empty and was not written by eqd2sum cohort (no .eqd2sum-cohort file), so"
                + " --resume will not write into it; give the output folder of an earlier cohort, or an empty or new folder";
        assertThatThrownBy(() -> CohortOutput.check(out, "mine", true)).isInstanceOf(InvalidInputException.class)
                .hasMessage(refused);
        assertThatThrownBy(() -> CohortOutput.open(out, "mine", true, cases(study, out)))
                .isInstanceOf(InvalidInputException.class).hasMessage(refused);
        assertThat(out.resolve(CohortOutput.MARKER)).doesNotExist();
        assertThat(Files.readString(out.resolve("A/notes.txt"))).isEqualTo("precious");
        assertThat(Files.readString(out.resolve("failures.csv"))).isEqualTo("mine");
    }

    @Test
    void anEarlierCohortsOutputIsRecognised_markedOrFromAVersionBeforeTheMarker() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        try (CohortOutput held = CohortOutput.open(out, "out", false, cases(study, out))) {
            assertThat(Files.readString(out.resolve(CohortOutput.MARKER)))
                    .contains("pid " + ProcessHandle.current().pid());
        }
        Files.writeString(out.resolve("cohort.json"), "{}");
        CohortOutput.check(out, "out", true);
        assertThatThrownBy(() -> CohortOutput.check(out, "out", false)).hasMessageContaining("--out is not empty");

        Path old = tmp.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("cohort.json"), "{\"schemaVersion\": 1, \"kind\": \"eqd2sum-cohort\"}");
        CohortOutput.open(old, "old", true, cases(study, old)).close();
        assertThat(old.resolve(CohortOutput.MARKER)).exists();

        Path killedOld = tmp.resolve("killed-old");
        Files.createDirectories(killedOld.resolve(CohortRun.WORK_DIR));
        CohortOutput.check(killedOld, "killed-old", true);

        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("cohort.json"), "{\"kind\": \"something else\"}");
        assertThatThrownBy(() -> CohortOutput.check(other, "other", true)).hasMessageContaining("was not written by");
    }

    @Test
    void aCaseFolderWithoutItsRecordIsNeverReplaced() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        CohortOutput.open(out, "out", false, cases(study, out)).close();
        Files.createDirectories(out.resolve("A"));
        Files.writeString(out.resolve("A/notes.txt"), "precious");
        Files.createDirectories(out.resolve("B"));
        Files.writeString(out.resolve("B/" + CaseInputs.FILE_NAME), "# an earlier run's record");
        assertThatThrownBy(() -> CohortOutput.open(out, "out", true, cases(study, out)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("out" + File.separator + "A: was not written by eqd2sum cohort (no inputs.sha256 in it), so"
                        + " it is not replaced with the outputs of case A; move it away or give another --out");
        assertThat(Files.readString(out.resolve("A/notes.txt"))).isEqualTo("precious");
    }

    @Test
    void anOutputFolderHoldingAnInputOfTheCohortIsRefused() throws IOException {
        Path study = study();
        // the study's own folder as --out (one level too short), or a case naming a file in the output folder
        assertThatThrownBy(() -> CohortOutput.checkHoldsNoInput(tmp, "tmp", study, "study", cases(study, tmp)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("tmp: --out holds the cohort's input study; give an output folder that holds none of the"
                        + " cohort's inputs");
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("A"));
        Files.copy(study.resolve("a/RD.dcm"), out.resolve("A/prior.dcm"));
        Files.writeString(study.resolve("b/case.json"), Files.readString(study.resolve("b/case.json"))
                .replace("\"dose\": \"RD.dcm\"", "\"dose\": \"../../out/A/prior.dcm\""));
        assertThatThrownBy(() -> CohortOutput.checkHoldsNoInput(out, "out", study, "study", cases(study, out)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("out: --out holds " + out.resolve("A/prior.dcm").toAbsolutePath().normalize()
                        + ", an input of case B; give an output folder that holds none of the cohort's inputs");
    }

    @Test
    void oneCohortAtATime() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        try (CohortOutput first = CohortOutput.open(out, "out", false, cases(study, out))) {
            assertThatThrownBy(() -> CohortOutput.open(out, "out", true, cases(study, out)))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("out: another eqd2sum cohort is writing into this folder (pid "
                            + ProcessHandle.current().pid() + ", this process)");
        }
        CohortOutput.open(out, "out", true, cases(study, out)).close(); // released
        // the marker names the holder for a run in another process: its pid and its machine
        assertThat(Files.readString(out.resolve(CohortOutput.MARKER))).contains("pid " + ProcessHandle.current().pid())
                .containsPattern("(?m)^host .+$");
    }

    @Test
    void aCaseFolderHoldingOnlyACasesOutputsIsAPartialOneToRedo() throws IOException {
        // what a run killed while it replaced a case folder left (earlier versions deleted it file by file)
        Path study = study();
        Path out = tmp.resolve("out");
        CohortOutput.open(out, "out", false, cases(study, out)).close();
        Files.createDirectories(out.resolve("A"));
        Files.writeString(out.resolve("A/dvh.json"), "{}");
        Files.writeString(out.resolve("A/plan-sum-eqd2-ab2.dcm"), "x");
        assertThat(CohortOutput.notReplaceable(out.resolve("A"), cases(study, out).getFirst())).isNull();
        CohortOutput.open(out, "out", true, cases(study, out)).close();
        Files.writeString(out.resolve("A/notes.txt"), "precious");
        assertThat(CohortOutput.notReplaceable(out.resolve("A"), cases(study, out).getFirst())).isNotNull();
    }
}
