package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.io.cohort.Csv;
import dev.eqd2sum.io.cohort.SyntheticStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.eqd2sum.cli.cohort.CohortEndToEndTest.eqd2sum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A damaged case file in a study folder (a mistyped field name, a truncated file) fails where the user looks,
 * failures.csv and exit 3, with the line `eqd2sum sum` prints for it; it never drops out of the cohort.
 */
class CohortDamagedCaseFileTest {
    @TempDir
    Path tmp;

    @Test
    void mistypedAndTruncatedCaseFilesFailWithSumsLine() throws IOException {
        Path study = tmp.resolve("study");
        SyntheticStudy.writeStudy(study, "syn", 4, SyntheticStudy.Size.SMALL);
        Path capital = study.resolve("case-0001/case.json");
        Files.writeString(capital, Files.readString(capital).replace("\"courses\"", "\"Courses\""));
        Path singular = study.resolve("case-0002/case.json");
        Files.writeString(singular, Files.readString(singular).replace("\"courses\"", "\"course\""));
        Path truncated = study.resolve("case-0003/case.json");
        Files.writeString(truncated, Files.readString(truncated).substring(0, 200));
        // JSON that is no case stays out: a constraint file and another tool's file
        Files.writeString(study.resolve("limits.json"), "{\"name\": \"mine\", \"constraints\": []}");
        Files.writeString(study.resolve("viewer.json"), "{\"window\": [0, 60]}");
        Path out = tmp.resolve("out");

        CohortEndToEndTest.Result r = eqd2sum("cohort", study.toString(), "--out", out.toString(), "--no-dose");

        assertThat(r.status()).as(r.stderr()).isEqualTo(3);
        assertThat(r.stderr()).doesNotContain("skipped");
        List<String> expected = new ArrayList<>();
        expected.add("case,error");
        for (String[] c : List.of(new String[] {"syn-0001", capital.toString()},
                new String[] {"syn-0002", singular.toString()}, new String[] {truncated.toString(), truncated.toString()})) {
            CohortEndToEndTest.Result sum = eqd2sum("sum", c[1], "--out", tmp.resolve("sum").toString());
            assertThat(sum.status()).isEqualTo(2);
            String line = sum.stderr().lines().filter(l -> l.startsWith("eqd2sum: error: ")).findFirst().orElseThrow();
            expected.add(Csv.row(List.of(c[0], line)).strip());
        }
        assertThat(Files.readAllLines(out.resolve("failures.csv"))).containsExactlyElementsOf(expected);
        assertThat(expected.get(1)).contains("Courses: unknown field (did you mean \"\"courses\"\"?)");
        assertThat(Files.readString(out.resolve("cohort.json"))).contains("\"cases\" : 4", "\"failed\" : 3");
    }

    @Test
    void anInvalidCaseIdIsNoKey_failuresAndProgressNameTheFile() throws IOException {
        Path study = tmp.resolve("study");
        SyntheticStudy.writeStudy(study, "syn", 5, SyntheticStudy.Size.SMALL);
        // JSON escapes for a line break and ESC, then a trailing space and an empty caseId; case-0004 stays valid
        List<String> ids = List.of("a\\nb", "\\u001b[31mred", "syn-0002 ", "");
        for (int i = 0; i < ids.size(); i++) {
            Path caseFile = study.resolve("case-000" + i + "/case.json");
            Files.writeString(caseFile, Files.readString(caseFile).replace("\"syn-000" + i + "\"", "\"" + ids.get(i) + "\""));
        }
        Path out = tmp.resolve("out");

        CohortEndToEndTest.Result r = eqd2sum("cohort", study.toString(), "--out", out.toString(), "--no-dose");

        assertThat(r.status()).as(r.stderr()).isEqualTo(3);
        List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
        assertThat(failures).hasSize(5);
        for (int i = 0; i < ids.size(); i++) {
            assertThat(failures.get(1 + i)).startsWith(study.resolve("case-000" + i + "/case.json") + ",");
        }
        assertThat(String.join("\n", failures)).doesNotContain("\u001b");
        // one progress line per case, none split by a line break or carrying ESC
        assertThat(r.stderr().lines().filter(l -> l.startsWith("cohort: ["))).hasSize(5);
        assertThat(r.stderr()).doesNotContain("\u001b").doesNotContain("\nb ");
        assertThat(r.stderr()).contains("] syn-0004 done in");
    }
}
