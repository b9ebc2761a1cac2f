package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.io.cohort.FakeStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command's usage, exit statuses and messages, with a fake per-case pipeline (see FakeStudy). */
class CohortCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private FakeStudy.Runner runner = new FakeStudy.Runner();

    private int run(String... args) {
        out.reset();
        err.reset();
        CommandLine cl = new CommandLine(new CohortCommand(runner, 1L << 30));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path study(int n) throws IOException {
        Path study = tmp.resolve("study");
        for (int i = 0; i < n; i++) {
            FakeStudy.writeCase(study.resolve(String.format("p%02d", i)), String.format("P%02d", i), 500 + i);
        }
        return study;
    }

    @Test
    void allCasesSucceed_exit0_oneProgressLinePerCase_cohortJson() throws IOException {
        Path study = study(4);
        Path o = tmp.resolve("out");
        assertThat(run(study.toString(), "--out", o.toString(), "--threads", "2", "--no-dose")).isEqualTo(0);
        assertThat(stderr().lines().filter(l -> l.startsWith("cohort: ["))).hasSize(4)
                .allMatch(l -> l.matches("cohort: \\[\\d/4] P0\\d done in \\d+\\.\\d\\d s"));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("cohort: 4 cases: 4 succeeded, 0 failed;");
        String json = Files.readString(o.resolve("cohort.json"));
        assertThat(json).contains("\"kind\" : \"eqd2sum-cohort\"", "\"cases\" : 4", "\"failed\" : 0",
                "\"backend\" : \"scalar\"", "\"noDose\" : true", "\"version\" : \"" + dev.eqd2sum.cli.Main.Version.version() + "\"", "\"wallTimeS\"");
    }

    @Test
    void aResumeThatKeepsEveryCaseStillNamesItsBackend_noNullInCohortJson() throws IOException {
        Path study = study(2);
        Path o = tmp.resolve("out");
        assertThat(run(study.toString(), "--out", o.toString(), "--no-dose")).isEqualTo(0);
        assertThat(run(study.toString(), "--out", o.toString(), "--no-dose", "--resume")).isEqualTo(0);
        String json = Files.readString(o.resolve("cohort.json"));
        assertThat(json).contains("\"computed\" : 0", "\"backend\" : \"scalar\"", "\"backends\" : [ ]",
                "\"casesPerSecond\" : 0.0").doesNotContain("null");
    }

    @Test
    void moreThreadsThanCases_theLogSaysHowManyRunAtOnce() throws IOException {
        Path study = study(2);
        assertThat(run(study.toString(), "--out", tmp.resolve("out").toString(), "--no-dose", "--threads", "5000"))
                .isEqualTo(0);
        assertThat(stderr()).contains("cohort: 2 cases, 2 at a time, heap 1024 MiB\n");
    }

    @Test
    void failedCases_exit3_failuresCsv_othersComplete() throws IOException {
        Path study = study(5);
        FakeStudy.truncateDose(study.resolve("p01"));
        FakeStudy.addUnknownField(study.resolve("p03/case.json"));
        Path o = tmp.resolve("out");
        assertThat(run(study.toString(), "--out", o.toString())).isEqualTo(3);
        assertThat(Files.readAllLines(o.resolve("failures.csv"))).extracting(l -> l.split(",")[0])
                .containsExactly("case", "P01", "P03");
        assertThat(stderr()).contains("P03 failed: eqd2sum: error: " + study.resolve("p03/case.json")
                + ": forgivness: unknown field");
        assertThat(o.resolve("P04/metrics.csv")).exists();
        assertThat(o.resolve("P04/plan-sum-eqd2.dcm")).exists();
    }

    @Test
    void duplicateCaseIds_exit2_beforeAnythingRunsOrIsWritten() throws IOException {
        Path study = study(3);
        FakeStudy.writeCase(study.resolve("zz"), "P01", 500);
        Path o = tmp.resolve("out");
        assertThat(run(study.toString(), "--out", o.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("eqd2sum: error: " + study.resolve("zz/case.json") + ": caseId: \"P01\" is also the"
                + " caseId of " + study.resolve("p01/case.json") + "; caseIds must be unique in a cohort\n");
        assertThat(runner.runs.get()).isZero();
        assertThat(o).doesNotExist();
    }

    @Test
    void aNonEmptyOutputFolderNeedsResume() throws IOException {
        Path study = study(2);
        Path o = tmp.resolve("out");
        assertThat(run(study.toString(), "--out", o.toString())).isEqualTo(0);
        assertThat(run(study.toString(), "--out", o.toString())).isEqualTo(2);
        assertThat(stderr()).contains("eqd2sum: error: " + o + ": --out is not empty; give an empty or new folder,"
                + " or --resume to continue an earlier run there");
        runner = new FakeStudy.Runner();
        assertThat(run(study.toString(), "--out", o.toString(), "--resume")).isEqualTo(0);
        assertThat(runner.runs.get()).isZero();
        assertThat(stderr()).contains("] P00 unchanged, kept (--resume)", "] P01 unchanged, kept (--resume)");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 succeeded (2 unchanged, kept)");
    }

    @Test
    void resumeNeverReplacesFilesACohortDidNotWrite() throws IOException {
        Path study = study(2);
        // a folder of the user's own, holding a folder named like a case and a failures.csv
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine.resolve("P00"));
        Files.writeString(mine.resolve("P00/notes.txt"), "precious");
        Files.writeString(mine.resolve("failures.csv"), "mine");
        assertThat(run(study.toString(), "--out", mine.toString(), "--resume", "--no-dose")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("eqd2sum: error: " + mine + ": --out is not empty and was not written by"
                + " eqd2sum cohort (no .eqd2sum-cohort file), so --resume will not write into it; give the output"
                + " folder of an earlier cohort, or an empty or new folder\n");
        assertThat(Files.readString(mine.resolve("P00/notes.txt"))).isEqualTo("precious");
        assertThat(Files.readString(mine.resolve("failures.csv"))).isEqualTo("mine");
        assertThat(runner.runs.get()).isZero();

        // an earlier cohort's folder, where a user put a folder of their own under a case's name
        Path o = tmp.resolve("out");
        assertThat(run(study.toString(), "--out", o.toString(), "--no-dose")).isEqualTo(0);
        assertThat(o.resolve(".eqd2sum-cohort")).exists();
        CohortEndToEndTest.deleteTree(o.resolve("P01"));
        Files.createDirectories(o.resolve("P01"));
        Files.writeString(o.resolve("P01/notes.txt"), "precious");
        runner = new FakeStudy.Runner();
        assertThat(run(study.toString(), "--out", o.toString(), "--resume", "--no-dose")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("eqd2sum: error: " + o.resolve("P01") + ": was not written by eqd2sum cohort"
                + " (no inputs.sha256 in it), so it is not replaced with the outputs of case P01; move it away or give"
                + " another --out\n");
        assertThat(Files.readString(o.resolve("P01/notes.txt"))).isEqualTo("precious");
        assertThat(runner.runs.get()).isZero();
    }

    @Test
    void anOutputFolderHoldingACaseIsRefused_noCaseSilentlyDropped() throws IOException {
        Path study = study(2);
        long files;
        try (var s = Files.list(study.resolve("p00"))) {
            files = s.count();
        }
        // --out typed as a case's folder: it holds p00's case file, which the scan would skip
        assertThat(run(study.toString(), "--out", study.resolve("p00").toString(), "--resume", "--no-dose"))
                .isEqualTo(2);
        assertThat(stderr()).startsWith("eqd2sum: error: " + study.resolve("p00") + ": --out is not empty and was not"
                + " written by eqd2sum cohort");
        try (var s = Files.list(study.resolve("p00"))) {
            assertThat(s.count()).isEqualTo(files);
        }
        // and the folder above the study (its parent) holds every input
        Path o = tmp.resolve("out");
        assertThat(run(study.toString(), "--out", o.toString(), "--no-dose")).isEqualTo(0);
        Files.move(study, o.resolve("study"));
        assertThat(run(o.resolve("study").toString(), "--out", o.toString(), "--resume", "--no-dose")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("eqd2sum: error: " + o + ": --out holds the cohort's input " + o.resolve("study")
                + "; give an output folder that holds none of the cohort's inputs\n");
    }

    @Test
    void anOutputFolderInsideTheInputFolderIsNotRescanned() throws IOException {
        Path study = study(3);
        Path o = study.resolve("results");
        assertThat(run(study.toString(), "--out", o.toString())).isEqualTo(0);
        // The results hold JSON (and could hold copies of case files); a second run over the same folder
        // must find the same three cases, not more.
        FakeStudy.writeCase(o.resolve("copy"), "COPY", 500);
        runner = new FakeStudy.Runner();
        assertThat(run(study.toString(), "--out", o.toString(), "--resume")).isEqualTo(0);
        assertThat(Files.readString(o.resolve("cohort.json"))).contains("\"cases\" : 3");
        assertThat(Files.readAllLines(o.resolve("cohort-metrics.csv"))).hasSize(1 + 3 * 2);
        assertThat(run(study.toString(), "--out", study.toString(), "--resume")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("eqd2sum: error: " + study + ": --out is the input folder itself; give a folder"
                + " inside it or elsewhere\n");
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        Path study = study(1);
        assertThat(run(study.toString(), "--out", tmp.resolve("o").toString(), "--threads", "0")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("eqd2sum: error: --threads: must be at least 1, got 0\n");
        assertThat(run(study.toString(), "--out", tmp.resolve("o").toString(), "--backend", "cuda")).isEqualTo(2);
        assertThat(run(study.toString())).isEqualTo(2); // --out missing: picocli's usage error
        assertThat(run(tmp.resolve("none").toString(), "--out", tmp.resolve("o").toString())).isEqualTo(2);
        assertThat(stderr()).startsWith("eqd2sum: error: " + tmp.resolve("none") + ": not found");
    }

    @Test
    void progressBarOnATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CohortProgress p = new CohortProgress(new PrintWriter(bytes, true, StandardCharsets.UTF_8), true);
        p.started(4);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[------------------------------] 0/4");
        // a line of its own (the backend choice) clears the bar, stands on its own line, and the bar comes back
        p.note("cohort: eqd2sum: backend scalar");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[------------------------------] 0/4"
                + "\r\033[Kcohort: eqd2sum: backend scalar\n[------------------------------] 0/4");
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        CohortProgress log = new CohortProgress(new PrintWriter(plain, true, StandardCharsets.UTF_8), false);
        log.started(4);
        log.note("cohort: eqd2sum: backend scalar");
        assertThat(plain.toString(StandardCharsets.UTF_8)).isEqualTo("cohort: eqd2sum: backend scalar"
                + System.lineSeparator());
    }
}
