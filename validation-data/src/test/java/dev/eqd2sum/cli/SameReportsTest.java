package dev.eqd2sum.cli;

import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.synth.SpineCaseWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs of one case that differ only in how they run write the same reports. */
class SameReportsTest {
    @TempDir
    Path dir;
    CaseSpec spec;
    final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

    @BeforeEach
    void demoCase() throws IOException {
        Path caseFile = SpineCaseWriter.writeDemo(dir.resolve("case"));
        spec = CaseFileReader.read(caseFile, "case/case.json");
    }

    /** Without the RT Dose maps (cohort --no-dose) the reports are the same and no .dcm file is written. */
    @Test
    void reportsWithoutMaps() throws IOException {
        Path with = dir.resolve("with");
        Path without = dir.resolve("without");
        CaseRunner.Run a = run(with, true, false);
        CaseRunner.Run b = run(without, false, false);
        assertThat(a.files()).contains("plan-sum-eqd2.dcm", "plan-sum-eqd2-ab2.dcm", "plan-sum-eqd2-ab10.dcm");
        assertThat(b.files()).containsExactly("dvh.json", "dvh.csv", "metrics.csv", "constraints.json");
        try (Stream<Path> s = Files.list(without)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".dcm"));
        }
        assertThat(without.resolve("metrics.csv")).hasSameTextualContentAs(with.resolve("metrics.csv"));
        assertThat(without.resolve("constraints.json")).hasSameTextualContentAs(with.resolve("constraints.json"));
    }

    /**
     * A one-case run computes the small structures' statistics on a second thread beside the largest one's work;
     * a cohort case computes them in turn. The reports must not tell the two apart, byte for byte.
     */
    @Test
    void statisticsBesideTheRestAsInTurn() throws IOException {
        Path beside = dir.resolve("beside");
        Path inTurn = dir.resolve("in-turn");
        CaseRunner.Run a = run(beside, true, true);
        CaseRunner.Run b = run(inTurn, true, false);
        assertThat(a.result().structures()).hasSizeGreaterThan(2); // more than the largest one went beside
        assertThat(a.result().warnings()).isEqualTo(b.result().warnings());
        for (String f : new String[] {"dvh.json", "dvh.csv", "metrics.csv", "constraints.json"}) {
            assertThat(Files.mismatch(beside.resolve(f), inTurn.resolve(f))).as(f).isEqualTo(-1L);
        }
    }

    private CaseRunner.Run run(Path into, boolean writeDose, boolean oneCase) throws IOException {
        return SumCommand.runInto(spec, Files.createDirectory(into), "scalar", quiet, writeDose, oneCase);
    }
}
