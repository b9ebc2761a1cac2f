package dev.eqd2sum.io.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eqd2sum.engine.constraint.ConstraintResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

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

    @Test
    void hugeConstraintNumbersStayShort() throws IOException {
        CaseResult small = SmallCaseResult.build();
        ConstraintResult c = small.constraints().getFirst();
        ConstraintResult huge = new ConstraintResult(c.id(), c.description(), c.citation(), c.structure(), c.role(),
                c.metric(), c.alphaBeta(), c.scope(), c.method(), c.comparison(), 1e308, c.unit(), c.value(),
                c.value() - 1e308, c.status(), c.reason(), c.deviations());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConstraintsJsonWriter.write(withConstraints(small, List.of(huge)), out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"limit\": 1E+308", "\"margin\": -1E+308");
        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.at("/constraints/0/limit").doubleValue()).isEqualTo(1e308);
    }

    @Test
    void theConsoleShowsControlCharactersAsEscapes() {
        // a DICOM ROI name may hold an ESC; a line break would split the row
        CaseResult small = SmallCaseResult.build();
        ConstraintResult c = small.constraints().getFirst();
        ConstraintResult odd = new ConstraintResult("a\nb\u001b[31mRED", c.description(), c.citation(),
                "Cord\u009b", c.role(), c.metric(), c.alphaBeta(), c.scope(), c.method(), c.comparison(), c.limit(),
                c.unit(), c.value(), c.margin(), c.status(), c.reason(), c.deviations());
        String text = ConsoleTable.render(withConstraints(small, List.of(odd)));
        assertThat(text).doesNotContain("\u001b", "\u009b", "a\nb")
                .contains("  FAIL     a\\x0ab\\x1b[31mRED  voxelwise  Cord\\x9b");
    }

    @Test
    void constraintsJsonReadsTheVerdictTheWayItsStatusSays() throws IOException {
        CaseResult small = SmallCaseResult.build();
        ConstraintResult c = small.constraints().getFirst();
        // a value within 5e-7 below a strict limit: "50" would read as a failure beside "passed"
        ConstraintResult close = new ConstraintResult("close", "", "", c.structure(), c.role(), c.metric(),
                c.alphaBeta(), c.scope(), c.method(), dev.eqd2sum.engine.constraint.Comparison.LESS, 50, "Gy",
                49.9999996, 4e-7, ConstraintResult.Status.PASSED, "49.9999996 Gy < 50 Gy", List.of());
        // a limit with more than 6 decimals is written as given
        ConstraintResult fine = new ConstraintResult("fine", "", "", c.structure(), c.role(), c.metric(),
                c.alphaBeta(), c.scope(), c.method(), dev.eqd2sum.engine.constraint.Comparison.GREATER_OR_EQUAL,
                47.3853345, "Gy", 47.3853341, -4e-7, ConstraintResult.Status.FAILED, "x", List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConstraintsJsonWriter.write(withConstraints(small, List.of(close, fine)), out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).contains("\"limit\": 50,", "\"value\": 49.9999996,", "\"limit\": 47.3853345,",
                "\"value\": 47.385334,");
    }

    @Test
    void summaryEntriesOfVolumeStatisticsAreNotCountedAsGapsOfTheCase() {
        CaseResult small = SmallCaseResult.build();
        ConstraintResult c = small.constraints().getFirst();
        ConstraintResult v20 = new ConstraintResult("v20", "", "", "SpinalCord", null, "V20Gy", 2.0,
                dev.eqd2sum.engine.constraint.ConstraintScope.CUMULATIVE,
                dev.eqd2sum.engine.constraint.EvaluationMethod.SUMMARY, c.comparison(), 30, "%", null, null,
                ConstraintResult.Status.NOT_EVALUATED, "summary sums exist for dose statistics only, not for V20Gy",
                List.of());
        assertThat(v20.neverEvaluable()).isTrue();
        assertThat(small.constraints()).noneMatch(ConstraintResult::neverEvaluable);
        List<ConstraintResult> all = new java.util.ArrayList<>(small.constraints());
        all.add(v20);
        assertThat(ConsoleTable.render(withConstraints(small, all))).contains("  1 of 4 failed, 1 not evaluated (and 1"
                + " summary entries of volume statistics, which have no summary sum)");
    }

    private static CaseResult withConstraints(CaseResult r, List<ConstraintResult> constraints) {
        return new CaseResult(r.caseId(), r.toolVersion(), r.toolBuild(), r.backend(), r.caseFile(), r.structureSet(),
                r.forgiveness(), r.outputGrid(), r.constraintMetric(), r.courses(), r.structures(), constraints,
                r.warnings());
    }
}
