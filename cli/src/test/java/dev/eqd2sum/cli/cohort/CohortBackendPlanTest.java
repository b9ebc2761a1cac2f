package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.io.cohort.CaseDiscovery;
import dev.eqd2sum.io.cohort.CohortCase;
import dev.eqd2sum.io.cohort.MemoryEstimate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --backend auto} in a cohort decides on the cohort's total work, planned from the dose files' sizes. */
class CohortBackendPlanTest {
    @TempDir
    Path tmp;

    @AfterEach
    void forgetThePlan() {
        KernelProvider.planRun(0);
    }

    /** A two-course case whose dose files are sparse files of the given sizes (only their sizes are read). */
    private void writeCase(Path dir, String caseId, long priorBytes, long currentBytes) throws IOException {
        Files.createDirectories(dir);
        sparse(dir.resolve("prior.dcm"), priorBytes);
        sparse(dir.resolve("current.dcm"), currentBytes);
        // The current course is the later one, listed first here: the plan must not take the last course.
        Files.writeString(dir.resolve("case.json"), """
                { "caseId": "%s", "structureSet": "RS.dcm",
                  "courses": [ { "dose": "current.dcm", "fractions": 3, "startDate": "2024-05-06" },
                               { "dose": "prior.dcm", "fractions": 10, "startDate": "2023-02-27" } ] }
                """.formatted(caseId));
    }

    private static void sparse(Path f, long bytes) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(bytes);
        }
    }

    private List<CohortCase> discover(Path study) {
        return new CaseDiscovery().discover(study, study.toString(), tmp.resolve("out"));
    }

    @Test
    void aLargeCohortTakesTheVectorApiAndASingleSmallCaseStaysScalar() throws IOException {
        // 300 cases of a std current grid (6 M voxels, 24 MB as 32-bit) and a small prior file: 2 passes each.
        Path study = tmp.resolve("large");
        for (int i = 0; i < 300; i++) {
            writeCase(study.resolve("c" + i), "L" + i, 1_000, 24_000_000L);
        }
        List<CohortCase> large = discover(study);
        assertThat(MemoryEstimate.voxelPasses(large)).isEqualTo(300 * 6_000_000L * 2)
                .isGreaterThanOrEqualTo(KernelProvider.ACCELERATED_MIN_VOXEL_PASSES);
        CohortCommand.planBackend(large);
        KernelProvider.Selection cohort = KernelProvider.select("auto", 6_000_000L * 2);

        Path single = tmp.resolve("single");
        writeCase(single.resolve("c"), "S", 1_000, 24_000_000L);
        CohortCommand.planBackend(discover(single));
        KernelProvider.Selection alone = KernelProvider.select("auto", 6_000_000L * 2);

        if (alone.name().equals("opencl")) {
            return; // a GPU takes every run; the Vector API rule is not reached
        }
        boolean vector = KernelProvider.start("vector").kernels().isPresent();
        assertThat(cohort.name()).isEqualTo(vector ? "vector" : "scalar");
        assertThat(alone.name()).isEqualTo("scalar");
        assertThat(alone.reason()).contains("12000000 voxel passes");
    }
}
