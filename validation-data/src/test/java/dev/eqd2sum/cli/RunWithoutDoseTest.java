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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Without the RT Dose maps (cohort --no-dose) the reports are the same and no .dcm file is written. */
class RunWithoutDoseTest {
    @TempDir
    Path dir;

    @Test
    void reportsWithoutMaps() throws IOException {
        Path caseFile = SpineCaseWriter.writeDemo(dir.resolve("case"));
        CaseSpec spec = CaseFileReader.read(caseFile, "case/case.json");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Path with = Files.createDirectory(dir.resolve("with"));
        Path without = Files.createDirectory(dir.resolve("without"));
        CaseRunner.Run a = SumCommand.runInto(spec, with, "scalar", quiet, true, false);
        CaseRunner.Run b = SumCommand.runInto(spec, without, "scalar", quiet, false, false);
        assertThat(a.files()).contains("plan-sum-eqd2.dcm", "plan-sum-eqd2-ab2.dcm", "plan-sum-eqd2-ab10.dcm");
        assertThat(b.files()).containsExactly("dvh.json", "dvh.csv", "metrics.csv", "constraints.json");
        try (Stream<Path> s = Files.list(without)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".dcm"));
        }
        assertThat(without.resolve("metrics.csv")).hasSameTextualContentAs(with.resolve("metrics.csv"));
        assertThat(without.resolve("constraints.json")).hasSameTextualContentAs(with.resolve("constraints.json"));
    }
}
