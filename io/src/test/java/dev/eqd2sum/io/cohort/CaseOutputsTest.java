package dev.eqd2sum.io.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output lines of a case's --resume record: sizes for every file, SHA-256 for the reports. */
class CaseOutputsTest {
    @TempDir
    Path dir;

    private static final String METRICS = "case_id,structure,alpha_beta,statistic,unit,scope,value\n"
            + "p1,Cord,3.0000,Dmax,Gy,plan_sum,41.2000\n";

    @Test
    void reportsAreListedWithTheirDigestAndRtDoseFilesWithTheirSizeOnly() throws IOException {
        Files.writeString(dir.resolve("metrics.csv"), METRICS);
        Files.write(dir.resolve("plan-sum-eqd2.dcm"), new byte[300]);
        String lines = CaseOutputs.describe(dir);
        assertThat(lines).matches("# output " + METRICS.length() + " sha256:[0-9a-f]{64} metrics\\.csv\n"
                + "# output 300 plan-sum-eqd2\\.dcm\n");
        assertThat(CaseOutputs.problem(lines, dir)).isNull();

        // one digit edited, the size kept: the digest tells
        Files.writeString(dir.resolve("metrics.csv"), METRICS.replace("41.2000", "41.3000"));
        assertThat(CaseOutputs.problem(lines, dir)).isEqualTo("metrics.csv is not the file the case wrote (edited: its"
                + " SHA-256 differs)");
        // an RT Dose file of the same size passes: its size only is checked
        Files.writeString(dir.resolve("metrics.csv"), METRICS);
        Files.write(dir.resolve("plan-sum-eqd2.dcm"), new byte[300]);
        assertThat(CaseOutputs.problem(lines, dir)).isNull();
    }

    @Test
    void aRecordFromAnEarlierBuildIsCheckedBySizeAlone() throws IOException {
        Files.writeString(dir.resolve("metrics.csv"), METRICS.replace("41.2000", "41.3000"));
        String earlier = "# output " + METRICS.length() + " metrics.csv\n";
        assertThat(CaseOutputs.problem(earlier, dir)).isNull();
        Files.writeString(dir.resolve("metrics.csv"), METRICS + "\n");
        assertThat(CaseOutputs.problem(earlier, dir)).startsWith("metrics.csv is not the file the case wrote (");
    }
}
