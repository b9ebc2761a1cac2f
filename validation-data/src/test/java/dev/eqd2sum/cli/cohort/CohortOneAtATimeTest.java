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
 * Two cohorts started on one output folder: the second is refused at once, naming the first's pid, and the first
 * completes untouched (each used to clear the other's work folder and mix their results).
 */
class CohortOneAtATimeTest {
    @TempDir
    Path tmp;

    private Process start(Path study, Path out, long sleepMillis, String... extra) throws IOException {
        return FakeCohortMain.start(study, out, sleepMillis, extra);
    }

    @Test
    void aSecondCohortOnTheSameOutputFolderIsRefused() throws Exception {
        Path study = tmp.resolve("study");
        for (int i = 0; i < 4; i++) {
            FakeStudy.writeCase(study.resolve(String.format("p%02d", i)), String.format("P%02d", i), 2000 + 13 * i);
        }
        Path out = tmp.resolve("out");
        Process first = start(study, out, 3000); // 2 x 3 s: time for the second runs to start and stop
        List<String> firstLines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                firstLines.add(l);
                if (l.startsWith("cohort: 4 cases")) {
                    break; // holding the folder: it prints this once the lock is taken
                }
            }
            for (boolean resume : List.of(true, false)) {
                Process second = resume ? start(study, out, 0, "--resume") : start(study, out, 0);
                String secondOut = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(second.exitValue()).as(secondOut).isEqualTo(2);
                String locked = "eqd2sum: error: " + out + ": another eqd2sum cohort is writing into this folder (pid "
                        + first.pid() + " on ";
                if (resume) {
                    assertThat(secondOut).contains(locked);
                } else { // refused by the lock, or before it once the first run wrote a case into the folder
                    assertThat(secondOut).containsAnyOf(locked, "eqd2sum: error: " + out + ": --out is not empty");
                }
            }
            while ((l = r.readLine()) != null) {
                firstLines.add(l);
            }
        }
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(String.join("\n", firstLines)).isZero();
        assertThat(Files.readAllLines(out.resolve("cohort-metrics.csv"))).hasSize(1 + 4 * 2);
        assertThat(out.resolve(".cohort-work")).doesNotExist();

        // the lock went with the process: the folder can be resumed now
        Process again = start(study, out, 0, "--resume");
        String againOut = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).as(againOut).isZero();
        assertThat(againOut).contains("4 succeeded (4 unchanged, kept)");
    }
}
