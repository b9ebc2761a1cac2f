package dev.eqd2sum.io.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden outputs of the writers for a small hand-made result. */
class ReportWritersTest {
    private static String golden(String name) throws IOException {
        try (InputStream in = ReportWritersTest.class.getResourceAsStream("golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void metricsCsv() throws IOException {
        StringWriter w = new StringWriter();
        MetricsCsvWriter.write(SmallCaseResult.build(), w);
        assertThat(w.toString()).isEqualTo(golden("metrics.csv"));
    }

    @Test
    void dvhCsv() throws IOException {
        StringWriter w = new StringWriter();
        DvhCsvWriter.write(SmallCaseResult.build(), w);
        assertThat(w.toString()).isEqualTo(golden("dvh.csv"));
    }

    @Test
    void dvhJson() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DvhJsonWriter.write(SmallCaseResult.build(), out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(golden("dvh.json"));
        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.at("/structures/0/statistics/D2cc/planSum").isNull()).isTrue();
        assertThat(root.at("/structures/0/statistics/V20Gy%/unit").asText()).isEqualTo("%");
        assertThat(root.at("/courses/0/intervalMonths").decimalValue()).isEqualByComparingTo("20.14");
    }

    @Test
    void constraintsJson() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConstraintsJsonWriter.write(SmallCaseResult.build(), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(golden("constraints.json"));
    }

    @Test
    void consoleTable() throws IOException {
        assertThat(ConsoleTable.render(SmallCaseResult.build())).isEqualTo(golden("console.txt"));
    }

    @Test
    void csvQuotingFollowsRfc4180() {
        assertThat(Csv.field("PTV, \"High\"")).isEqualTo("\"PTV, \"\"High\"\"\"");
        assertThat(Csv.field("a\nb")).isEqualTo("\"a\nb\"");
        assertThat(Csv.field("SpinalCord")).isEqualTo("SpinalCord");
        assertThat(Numbers.csv(-0.00001)).isEqualTo("0.0000");
        assertThat(Numbers.csv(null)).isEmpty();
        assertThat(Numbers.csv(Double.NaN)).isEmpty();
    }
}
