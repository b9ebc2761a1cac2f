package dev.eqd2sum.io.cohort;

import dev.eqd2sum.engine.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CohortTablesTest {
    /** Cases of the large cohort, and metrics.csv bytes each: 64 MiB in all, twice the child JVM's heap. */
    private static final int CASES = 256;
    private static final int METRICS_BYTES = 256 << 10;

    @TempDir
    Path tmp;

    @Test
    void tablesLargerThanTheHeapAreStreamed_sameBytes() throws IOException, InterruptedException {
        Path out = tmp.resolve("out");
        writeCaseFolders(out);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx32m",
                "-cp", System.getProperty("java.class.path"), CohortTablesTest.class.getName(), out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String child = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(child).isZero();

        // every case's rows under one header, verbatim (the last case's without its final line feed gets one)
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes((CohortTables.METRICS_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < CASES; i++) {
            String text = Files.readString(out.resolve(caseId(i)).resolve("metrics.csv"));
            String rows = text.substring(text.indexOf('\n') + 1);
            expected.writeBytes((rows.endsWith("\n") ? rows : rows + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.size(out.resolve(CohortTables.METRICS))).isEqualTo(expected.size());
        assertThat(Files.readAllBytes(out.resolve(CohortTables.METRICS))).isEqualTo(expected.toByteArray());
        List<String> constraints = Files.readAllLines(out.resolve(CohortTables.CONSTRAINTS));
        assertThat(constraints).hasSize(1 + CASES);
        assertThat(constraints.get(CASES)).isEqualTo(caseId(CASES - 1) + ",cord,SpinalCord,Dmax,2.0000,course,"
                + "voxelwise,12.5000,25.0000,<,passed,,");
        assertThat(Files.readAllLines(out.resolve(CohortTables.FAILURES))).containsExactly("case,error");
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    /** Run in the child JVM (32 MiB of heap): the tables of the case folders under {@code args[0]}. */
    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        List<CaseOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            outcomes.add(done(i, out));
        }
        CohortTables.write(out, outcomes);
    }

    @Test
    void aMetricsCsvChangedUnderTheRunIsBadInputNamingIt_noTableLeftHalfWritten() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("A"));
        Files.writeString(out.resolve("A/metrics.csv"), "garbage\n");
        assertThatThrownBy(() -> CohortTables.write(out, List.of(done(0, out))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(out.resolve("A/metrics.csv") + ": has the header \"garbage\", expected "
                        + CohortTables.METRICS_HEADER);
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("A");
        }
        assertThat(CohortTables.metricsProblem(out.resolve("A/metrics.csv")))
                .isEqualTo("has the header \"garbage\", expected " + CohortTables.METRICS_HEADER);
    }

    @Test
    void constraintRowsCarryTheLimitsUnit_andNameTheStructureTheCaseLacks() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("A"));
        // as sum writes them: two V20Gy limits differing only in unit, and a structure the case lacks (null)
        Files.writeString(out.resolve("A/constraints.json"), """
                {"schemaVersion": 1, "constraints": [
                 {"id": "v20-pct", "structure": "PTV_High", "metric": "V20Gy", "alphaBeta": 10, "scope": "cumulative",
                  "method": "voxelwise", "comparator": ">=", "limit": 2, "unit": "%%", "value": 100,
                  "status": "passed", "reason": "100.00 %% >= 2 %%"},
                 {"id": "v20-cc", "structure": "PTV_High", "metric": "V20Gy", "alphaBeta": 10, "scope": "cumulative",
                  "method": "voxelwise", "comparator": ">=", "limit": 2, "unit": "cc", "value": 2.460917,
                  "status": "passed", "reason": "2.46 cc >= 2 cc"},
                 {"id": "eso", "structure": null, "role": null, "metric": "D2cc", "alphaBeta": 3, "scope": "cumulative",
                  "method": "summary", "comparator": "<=", "limit": 60, "unit": "Gy", "value": null,
                  "status": "not_evaluated", "reason": "%sEsophagus"},
                 {"id": "cord", "structure": null, "role": null, "metric": "Dmax", "alphaBeta": 2, "scope": "course",
                  "method": "summary", "comparator": "<", "limit": 25, "unit": "Gy", "value": null,
                  "status": "not_evaluated", "reason": "no contoured structure for the spinal cord (roles.cord)"},
                 {"id": "close", "structure": "Cord", "metric": "Dmax", "alphaBeta": 3, "scope": "cumulative",
                  "method": "voxelwise", "comparator": "<", "limit": 50, "unit": "Gy", "value": 49.99996,
                  "status": "passed", "reason": "49.99996 Gy < 50 Gy"},
                 {"id": "fine", "structure": "Cord", "metric": "Dmax", "alphaBeta": 3, "scope": "cumulative",
                  "method": "voxelwise", "comparator": ">=", "limit": 47.3853345, "unit": "Gy", "value": 47.385334,
                  "status": "failed", "reason": "47.385334 Gy is not >= 47.3853345 Gy"}]}
                """.formatted(dev.eqd2sum.engine.constraint.ConstraintEvaluator.MISSING_STRUCTURE_REASON));

        CohortTables.write(out, List.of(done(0, out)));

        assertThat(Files.readAllLines(out.resolve(CohortTables.CONSTRAINTS))).containsExactly(
                "case_id,id,structure,metric,alpha_beta,scope,method,value,limit,comparator,status,reason,unit",
                "A,v20-pct,PTV_High,V20Gy,10.0000,cumulative,voxelwise,100.0000,2.0000,>=,passed,100.00 % >= 2 %,%",
                "A,v20-cc,PTV_High,V20Gy,10.0000,cumulative,voxelwise,2.4609,2.0000,>=,passed,2.46 cc >= 2 cc,cc",
                "A,eso,Esophagus,D2cc,3.0000,cumulative,summary,,60.0000,<=,not_evaluated,"
                        + "the structure set has no contoured structure named Esophagus,Gy",
                // a role the case has no structure for names no structure: the cell stays empty
                "A,cord,,Dmax,2.0000,course,summary,,25.0000,<,not_evaluated,"
                        + "no contoured structure for the spinal cord (roles.cord),Gy",
                // 4 decimals would read the value the other way round, or change the limit: the digits constraints.json
                // has (a value whose 4 decimals still read its verdict keeps them)
                "A,close,Cord,Dmax,3.0000,cumulative,voxelwise,49.99996,50.0000,<,passed,49.99996 Gy < 50 Gy,Gy",
                "A,fine,Cord,Dmax,3.0000,cumulative,voxelwise,47.3853,47.3853345,>=,failed,"
                        + "47.385334 Gy is not >= 47.3853345 Gy,Gy");
    }

    private static CaseOutcome done(int i, Path out) {
        String id = caseId(i);
        CohortCase c = new CohortCase(i, out.resolve(id + ".json"), id + ".json", id, id, List.of(), List.of(), 1,
                List.of());
        return new CaseOutcome(c, CaseOutcome.Status.DONE, null, "scalar", 0, null);
    }

    private static String caseId(int i) {
        return i == 0 ? "A" : String.format(Locale.ROOT, "c%04d", i);
    }

    private static void writeCaseFolders(Path out) throws IOException {
        for (int i = 0; i < CASES; i++) {
            Path dir = Files.createDirectories(out.resolve(caseId(i)));
            StringBuilder metrics = new StringBuilder(CohortTables.METRICS_HEADER).append('\n');
            for (int row = 0; metrics.length() < METRICS_BYTES; row++) {
                metrics.append(String.format(Locale.ROOT, "%s,S%05d,2.0000,D%dcc,Gy,plan_sum,%d.%04d%n",
                        caseId(i), row, row % 50, row % 97, row % 10_000));
            }
            if (i % 2 == 1) {
                metrics.setLength(metrics.length() - 1); // a last row without its line feed
            }
            Files.writeString(dir.resolve("metrics.csv"), metrics);
            Files.writeString(dir.resolve("constraints.json"), """
                    {"schemaVersion": 1, "constraints": [{"id": "cord", "structure": "SpinalCord", "metric": "Dmax",
                     "alphaBeta": 2, "scope": "course", "method": "voxelwise", "value": 12.5, "limit": 25,
                     "comparator": "<", "status": "passed", "reason": null}]}
                    """);
        }
    }
}
