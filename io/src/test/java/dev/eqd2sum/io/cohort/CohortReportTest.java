package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CohortReportTest {
    private static final long HEAP = 1L << 30;
    private static final CaseOptions NO_DOSE = new CaseOptions(true, "auto");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private List<CaseOutcome> run(Path study, Path out) throws IOException {
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        List<CaseOutcome> outcomes = new CohortRun(new FakeStudy.Runner(), NO_DOSE, "eqd2sum test", 2, HEAP,
                new CohortListener() {
                }).run(cases, out, true);
        CohortTables.write(out, outcomes);
        CohortReport.write(out, "study", outcomes, 1, "v", "b", NO_DOSE, 2, HEAP, new CohortRun.Timing(0, 0, 0), "vector");
        return outcomes;
    }

    @Test
    void foldersMapsEveryCaseWithOutputsToItsFolder_alsoCaseIdsTheFolderNameRenames() throws IOException {
        Path study = tmp.resolve("study");
        String longId = "p".repeat(150);
        List<String> ids = List.of("con", "a.b.", longId, "CON.txt", "nul", "plain-1");
        for (int i = 0; i < ids.size(); i++) {
            FakeStudy.writeCase(study.resolve("k" + i), ids.get(i), 500 + i);
        }
        FakeStudy.truncateDose(study.resolve("k5")); // a failed case has no folder, so no entry
        Path out = tmp.resolve("out");
        run(study, out);

        JsonNode folders = JSON.readTree(out.resolve(CohortReport.FILE_NAME).toFile()).get("folders");
        List<String> keys = new ArrayList<>();
        folders.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("con", "a.b.", longId, "CON.txt", "nul");
        assertThat(Map.of("con", "_con", "a.b.", "a.b_", "CON.txt", "_CON.txt", "nul", "_nul"))
                .allSatisfy((id, folder) -> assertThat(folders.get(id).asText()).isEqualTo(folder));
        assertThat(folders.get(longId).asText()).hasSize(FolderNames.MAX_LENGTH).startsWith("p".repeat(87) + "-");
        // what a pipeline does: each case_id of cohort-metrics.csv, looked up, names the folder holding its rows
        List<String> rows = Files.readAllLines(out.resolve(CohortTables.METRICS));
        for (String row : rows.subList(1, rows.size())) {
            String caseId = row.substring(0, row.indexOf(','));
            assertThat(Files.readAllLines(out.resolve(folders.get(caseId).asText()).resolve("metrics.csv")))
                    .contains(row);
        }
    }

    @Test
    void aRunWhoseCasesWereAllKeptNamesTheBackendItSelected_noNull() throws IOException {
        Path study = tmp.resolve("study");
        for (int i = 0; i < 3; i++) {
            FakeStudy.writeCase(study.resolve("p" + i), "P" + i, 500 + i);
        }
        Path out = tmp.resolve("out");
        run(study, out);
        List<CaseOutcome> kept = run(study, out);
        assertThat(kept).allMatch(o -> o.status() == CaseOutcome.Status.UNCHANGED);

        JsonNode root = JSON.readTree(out.resolve(CohortReport.FILE_NAME).toFile());
        JsonNode tool = root.get("tool");
        assertThat(tool.get("backend").isTextual()).as(tool.toString()).isTrue();
        assertThat(tool.get("backend").asText()).isEqualTo("vector"); // the selected one, not the cases' (none ran)
        assertThat(tool.get("backends")).isEmpty(); // the backends of cases computed by this run
        assertThat(root.get("counts").get("computed").asInt()).isZero();
        assertThat(root.get("casesPerSecond").isNumber()).isTrue();
        assertThat(root.get("casesPerSecond").asDouble()).isZero();
        assertThat(root.get("folders").size()).isEqualTo(3);
    }
}
