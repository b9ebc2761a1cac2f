package dev.eqd2sum.cli;

import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.synth.SpineCaseWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A one-case run computes the small structures' statistics on a second thread beside the largest one's work; a
 * cohort case computes them in turn. The reports must not tell the two apart, byte for byte.
 */
class StatisticsBesideTest {
    @TempDir
    Path dir;

    @Test
    void oneCaseAndCohortRunsWriteTheSameReports() throws IOException {
        Path caseFile = SpineCaseWriter.writeDemo(dir.resolve("case"));
        CaseSpec spec = CaseFileReader.read(caseFile, "case/case.json");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Path beside = Files.createDirectory(dir.resolve("beside"));
        Path inTurn = Files.createDirectory(dir.resolve("in-turn"));
        CaseRunner.Run a = SumCommand.runInto(spec, beside, "scalar", quiet, true, true);
        CaseRunner.Run b = SumCommand.runInto(spec, inTurn, "scalar", quiet, true, false);
        assertThat(a.result().structures()).hasSizeGreaterThan(2); // more than the largest one went beside
        assertThat(a.result().warnings()).isEqualTo(b.result().warnings());
        for (String f : new String[] {"dvh.json", "dvh.csv", "metrics.csv", "constraints.json"}) {
            assertThat(Files.mismatch(beside.resolve(f), inTurn.resolve(f))).as(f).isEqualTo(-1L);
        }
    }
}
