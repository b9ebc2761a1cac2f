package dev.eqd2sum.cli.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.cli.Main;
import dev.eqd2sum.io.cohort.SyntheticStudy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `eqd2sum cohort` end to end through the real `sum` pipeline: a generated 20-case study (small grids) with two
 * broken cases, a truncated RT Dose and an unknown case-file field.
 */
class CohortEndToEndTest {
    @TempDir
    static Path tmp;
    static Path study;
    static Path out;
    static Result first;

    record Result(int status, String stdout, String stderr) {
    }

    static Result eqd2sum(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Result(status, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void studyWithTwoBrokenCases() throws IOException {
        study = tmp.resolve("study");
        SyntheticStudy.writeStudy(study, "syn", 20, SyntheticStudy.Size.SMALL);
        Path dose = study.resolve("case-0004/current/RD.dcm");
        byte[] b = Files.readAllBytes(dose);
        Files.write(dose, Arrays.copyOf(b, b.length - 1000));
        Path caseFile = study.resolve("case-0011/case.json");
        Files.writeString(caseFile, Files.readString(caseFile).replace("\"forgiveness\"", "\"forgivenes\": \"none\",\n  \"forgiveness\""));
        // The output folder lies inside the study: it must never be scanned for cases.
        out = study.resolve("results");
        first = eqd2sum("cohort", study.toString(), "--out", out.toString(), "--threads", "2", "--no-dose");
    }

    @Test
    void exit3_failuresAreTheLinesSumPrints() throws IOException {
        assertThat(first.status()).as(first.stderr()).isEqualTo(3);
        List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
        assertThat(failures).hasSize(3);
        assertThat(failures.get(0)).isEqualTo("case,error");
        for (String[] broken : List.of(new String[] {"syn-0004", "case-0004"}, new String[] {"syn-0011", "case-0011"})) {
            Path caseFile = study.resolve(broken[1]).resolve("case.json");
            Result sum = eqd2sum("sum", caseFile.toString(), "--out", tmp.resolve("sum-" + broken[1]).toString());
            assertThat(sum.status()).isEqualTo(2);
            String line = sum.stderr().lines().filter(l -> l.startsWith("eqd2sum: error: ")).findFirst().orElseThrow();
            String row = failures.stream().filter(f -> f.startsWith(broken[0] + ",")).findFirst().orElseThrow();
            assertThat(row).isIn(broken[0] + "," + line, broken[0] + ",\"" + line.replace("\"", "\"\"") + "\"");
        }
        assertThat(failures.get(2)).contains("case-0011/case.json", "forgivenes");
        assertThat(out.resolve("syn-0004")).doesNotExist();
    }

    @Test
    void cohortMetricsAreEveryCasesMetricsRowsInCaseOrder() throws IOException {
        List<String> rows = Files.readAllLines(out.resolve("cohort-metrics.csv"));
        List<String> expected = new ArrayList<>();
        expected.add("case_id,structure,alpha_beta,statistic,unit,scope,value");
        for (int i = 0; i < 20; i++) {
            if (i == 4 || i == 11) {
                continue;
            }
            List<String> caseRows = Files.readAllLines(out.resolve(String.format("syn-%04d", i)).resolve("metrics.csv"));
            assertThat(caseRows.get(0)).isEqualTo(expected.get(0));
            assertThat(caseRows.size()).isGreaterThan(10);
            expected.addAll(caseRows.subList(1, caseRows.size()));
        }
        assertThat(rows).containsExactlyElementsOf(expected);
        // And the per-case files are what `sum` writes for the same case.
        Result sum = eqd2sum("sum", study.resolve("case-0007/case.json").toString(), "--out",
                tmp.resolve("sum-0007").toString(), "--quiet");
        assertThat(sum.status()).as(sum.stderr()).isEqualTo(0);
        assertThat(Files.readAllLines(tmp.resolve("sum-0007/metrics.csv")))
                .containsExactlyElementsOf(Files.readAllLines(out.resolve("syn-0007/metrics.csv")));
    }

    @Test
    void cohortConstraintsAreEveryConstraintsJsonEntry() throws IOException {
        List<String> rows = Files.readAllLines(out.resolve("cohort-constraints.csv"));
        assertThat(rows.get(0)).isEqualTo(
                "case_id,id,structure,metric,alpha_beta,scope,method,value,limit,comparator,status,reason,unit");
        JsonMapper json = JsonMapper.builder().build();
        int r = 1;
        for (int i = 0; i < 20; i++) {
            if (i == 4 || i == 11) {
                continue;
            }
            String id = String.format("syn-%04d", i);
            JsonNode constraints = json.readTree(out.resolve(id).resolve("constraints.json").toFile()).get("constraints");
            assertThat(constraints.size()).isGreaterThan(3);
            for (JsonNode c : constraints) {
                String row = rows.get(r++);
                assertThat(row).startsWith(id + "," + c.get("id").asText() + ",");
                assertThat(row).contains("," + c.get("scope").asText() + ",", "," + c.get("status").asText() + ",");
                assertThat(row).endsWith("," + c.get("unit").asText()); // the column CONTRACT's header lacks
                if (c.hasNonNull("value")) {
                    assertThat(row).contains(String.format(java.util.Locale.ROOT, ",%.4f,", c.get("value").asDouble()));
                }
            }
        }
        assertThat(rows).hasSize(r);
    }

    @Test
    void noDoseWritesNoRtDose() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(f -> f.toString().endsWith(".dcm"))).isEmpty();
        }
        assertThat(out.resolve("syn-0000/dvh.json")).exists();
        assertThat(Files.readString(out.resolve("cohort.json"))).contains("\"cases\" : 20", "\"failed\" : 2",
                "\"succeeded\" : 18");
    }

    @Test
    void cohortJsonAndEveryCasesDvhJsonNameTheSameVersionAndBuild() throws IOException {
        JsonMapper json = new JsonMapper();
        JsonNode cohortTool = json.readTree(out.resolve("cohort.json").toFile()).path("tool");
        String build = cohortTool.path("build").asText();
        assertThat(build).matches("[0-9a-f]{12}");
        for (String c : List.of("syn-0000", "syn-0019")) {
            JsonNode tool = json.readTree(out.resolve(c).resolve("dvh.json").toFile()).path("tool");
            assertThat(tool.path("build").asText()).as(c).isEqualTo(build);
            assertThat(tool.path("version").asText()).as(c).isNotEmpty().doesNotContain("build")
                    .isEqualTo(cohortTool.path("version").asText());
        }
    }

    @Test
    void resumeAfterAnInterruptedRunGivesTheSameBytesAsAnUninterruptedOne() throws IOException {
        // What a killed run leaves: cases never reached, a case whose record does not match (cut short), no tables.
        Path again = tmp.resolve("again");
        copyTree(out, again);
        deleteTree(again.resolve("syn-0019"));
        deleteTree(again.resolve("syn-0002"));
        Files.writeString(again.resolve("syn-0008/inputs.sha256"), "# eqd2sum cohort --resume rec");
        for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv", "cohort.json")) {
            Files.delete(again.resolve(f));
        }
        Result resumed = eqd2sum("cohort", study.toString(), "--out", again.toString(), "--no-dose", "--resume");
        assertThat(resumed.status()).isEqualTo(3);
        assertThat(resumed.stderr().lines().filter(l -> l.endsWith("unchanged, kept (--resume)"))).hasSize(15);
        assertThat(resumed.stderr().lines().filter(l -> l.contains("] syn-0008 done in"))).hasSize(1);
        for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv")) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(out.resolve(f)));
        }
    }

    @Test
    void theOutputFolderInsideTheStudyIsNotRescanned() throws IOException {
        // results/ holds dvh.json files (which list courses) and case folders; a resumed run over the same
        // study still finds exactly the 20 cases, and keeps the 18 that succeeded.
        Path copy = tmp.resolve("resumed-inside");
        copyTree(out, copy);
        Result r = eqd2sum("cohort", study.toString(), "--out", out.toString(), "--no-dose", "--resume");
        assertThat(r.status()).isEqualTo(3);
        assertThat(Files.readString(out.resolve("cohort.json"))).contains("\"cases\" : 20", "\"unchanged\" : 18");
        for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv")) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(copy.resolve(f)));
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
