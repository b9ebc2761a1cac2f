package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.io.cohort.FakeStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cohort killed with SIGKILL in the middle of its run, then resumed, writes the same CSV bytes as an
 * uninterrupted run, and does not recompute the cases that were complete.
 */
class CohortKillResumeTest {
    @TempDir
    Path tmp;

    private Process start(Path study, Path out, long sleepMillis, String... extra) throws IOException {
        return FakeCohortMain.start(study, out, sleepMillis, extra);
    }

    private static List<String> finish(Process p) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return lines;
    }

    @Test
    void killedRunResumedGivesByteIdenticalTables() throws Exception {
        Path study = tmp.resolve("study");
        for (int i = 0; i < 20; i++) {
            FakeStudy.writeCase(study.resolve(String.format("p%02d", i)), String.format("P%02d", i), 2000 + 13 * i);
        }
        FakeStudy.truncateDose(study.resolve("p05"));
        FakeStudy.addUnknownField(study.resolve("p11/case.json"));

        Process whole = start(study, tmp.resolve("whole"), 0);
        List<String> wholeLines = finish(whole);
        assertThat(whole.exitValue()).as(String.join("\n", wholeLines)).isEqualTo(3);

        Path killed = tmp.resolve("killed");
        Process p = start(study, killed, 150);
        int done = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; done < 6 && (l = r.readLine()) != null; ) {
                if (l.startsWith("cohort: [")) {
                    done++;
                }
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, cases in flight are cut off
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(killed.resolve("cohort-metrics.csv")).doesNotExist();
        long kept = Files.list(killed).filter(d -> Files.exists(d.resolve("inputs.sha256"))).count();
        assertThat(kept).isBetween(4L, 19L);

        Process resumed = start(study, killed, 0, "--resume");
        List<String> resumedLines = finish(resumed);
        assertThat(resumed.exitValue()).as(String.join("\n", resumedLines)).isEqualTo(3);
        assertThat(resumedLines.stream().filter(l -> l.startsWith("cohort: [") && l.endsWith("unchanged, kept (--resume)"))).hasSize((int) kept);
        for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv")) {
            assertThat(Files.readAllBytes(killed.resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("whole").resolve(f)));
        }
        assertThat(killed.resolve(".cohort-work")).doesNotExist();
    }

    @Test
    void anInterruptedRunSaysSoAndHowToContinue_resumeCompletesIt() throws Exception {
        Path study = tmp.resolve("study");
        for (int i = 0; i < 8; i++) {
            FakeStudy.writeCase(study.resolve(String.format("p%02d", i)), String.format("P%02d", i), 2000 + 13 * i);
        }
        Path out = tmp.resolve("out");
        Process p = start(study, out, 150);
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
                if (l.startsWith("cohort: [1/")) {
                    // SIGINT, as Ctrl-C sends it (Process.destroy sends SIGTERM)
                    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor()).isZero();
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join("\n", lines)).isEqualTo(130);
        assertThat(lines).last().isEqualTo("cohort: interrupted; the cases finished so far are kept in " + out
                + ": run the same command with --resume to continue (it writes the tables and cohort.json)");
        assertThat(out.resolve("cohort-metrics.csv")).doesNotExist();

        Process resumed = start(study, out, 0, "--resume");
        List<String> resumedLines = finish(resumed);
        assertThat(resumed.exitValue()).as(String.join("\n", resumedLines)).isZero();
        assertThat(resumedLines).noneMatch(l -> l.contains("interrupted"));
        assertThat(Files.readAllLines(out.resolve("cohort-metrics.csv"))).hasSize(1 + 8 * 2);
    }
}
