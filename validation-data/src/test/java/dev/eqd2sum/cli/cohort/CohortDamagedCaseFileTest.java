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
}
