package dev.eqd2sum.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.eqd2sum.validation.NeuropathyPatientEndToEndTest.eqd2sum;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code eqd2sum demo}: the generated spine case is summed, and its hot spots apart show in the verdicts. */
class DemoEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunsAndShowsVoxelWiseBelowSummary() throws IOException {
        Path out = dir.resolve("demo-out");
        NeuropathyPatientEndToEndTest.Run r = eqd2sum("demo", "--out", out.toString(), "--backend", "scalar");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("sahgal2012-3").contains("The case:").contains("case.json")
                .contains("(plan-sum-eqd2.dcm, plan-sum-eqd2-ab2.dcm, plan-sum-eqd2-ab10.dcm, dvh.json, dvh.csv,"
                        + " metrics.csv, constraints.json)");
        for (String f : List.of("case/case.json", "case/RS.dcm", "case/prior/RD.dcm", "case/current/RD.dcm",
                "result/plan-sum-eqd2.dcm", "result/plan-sum-eqd2-ab2.dcm", "result/plan-sum-eqd2-ab10.dcm",
                "result/dvh.json", "result/dvh.csv", "result/metrics.csv", "result/constraints.json")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        JsonNode c = new ObjectMapper().readTree(out.resolve("result/constraints.json").toFile());
        String voxelwise = null;
        String summary = null;
        for (JsonNode x : c.get("constraints")) {
            if (x.get("id").asText().equals("sahgal2012-3")) {
                assertThat(x.get("structure").asText()).isEqualTo("ThecalSac");
                if (x.get("method").asText().equals("voxelwise")) {
                    voxelwise = x.get("status").asText();
                } else {
                    summary = x.get("status").asText();
                }
            }
        }
        // Hot spots 12 mm apart: the voxel-wise cumulative maximum passes 70 Gy, the sum of maxima does not.
        assertThat(voxelwise).isEqualTo("passed");
        assertThat(summary).isEqualTo("failed");
        JsonNode dvh = new ObjectMapper().readTree(out.resolve("result/dvh.json").toFile());
        assertThat(dvh.get("courses").get(0).get("files").get(0).get("path").asText())
                .isEqualTo(out.resolve("case/prior/RD.dcm").toString());

        // The case can be summed again into the demo's result folder.
        NeuropathyPatientEndToEndTest.Run again = eqd2sum("sum", out.resolve("case/case.json").toString(), "--out",
                out.resolve("result").toString(), "--overwrite", "--quiet", "--backend", "scalar");
        assertThat(again.status()).as(again.err()).isZero();

        // --quiet: nothing on stdout, the backend line on stderr
        NeuropathyPatientEndToEndTest.Run quiet = eqd2sum("demo", "--out", out.toString(), "--overwrite", "--quiet",
                "--backend", "scalar");
        assertThat(quiet.status()).as(quiet.err()).isZero();
        assertThat(quiet.out()).isEmpty();
        assertThat(quiet.err()).contains("eqd2sum: backend scalar");
    }
}
