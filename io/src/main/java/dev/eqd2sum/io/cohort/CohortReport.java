package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * cohort.json: what ran, with which tool and options, how it ended and how long it took, and the output folder
 * of each case that has one ({@code folders}: caseId to folder name). The only cohort output that differs between
 * runs of the same inputs (wall time, counts of unchanged cases).
 */
public final class CohortReport {
    public static final String FILE_NAME = "cohort.json";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private CohortReport() {
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /**
     * @param input           the input folder or manifest as the user named it
     * @param selectedBackend the backend this run selected for its cases ({@code scalar}, {@code vector},
     *                        {@code opencl}), known also when --resume kept every case and none ran
     */
    public static void write(Path outDir, String input, List<CaseOutcome> outcomes, double wallSeconds,
                             String toolVersion, String toolBuild, CaseOptions options, int threads, long heapBytes,
                             CohortRun.Timing timing, String selectedBackend) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 1);
        root.put("kind", "eqd2sum-cohort");
        ObjectNode tool = root.putObject("tool");
        tool.put("version", toolVersion);
        tool.put("build", toolBuild);
        TreeSet<String> backends = new TreeSet<>();
        for (CaseOutcome o : outcomes) {
            if (o.backend() != null) {
                backends.add(o.backend());
            }
        }
        tool.put("backendRequested", options.backend());
        ArrayNode used = tool.putArray("backends");
        backends.forEach(used::add);
        // never null: a pipeline reading it as a string must not break on a run whose cases were all kept
        tool.put("backend", backends.size() == 1 ? backends.first() : backends.isEmpty() ? selectedBackend : "mixed");
        root.put("input", input);
        ObjectNode opts = root.putObject("options");
        opts.put("noDose", options.noDose());
        opts.put("threads", threads);
        opts.put("heapMiB", heapBytes >> 20);
        ObjectNode counts = root.putObject("counts");
        counts.put("cases", outcomes.size());
        counts.put("succeeded", outcomes.stream().filter(CaseOutcome::hasOutputs).count());
        counts.put("computed", outcomes.stream().filter(o -> o.status() == CaseOutcome.Status.DONE).count());
        counts.put("unchanged", outcomes.stream().filter(o -> o.status() == CaseOutcome.Status.UNCHANGED).count());
        counts.put("failed", outcomes.stream().filter(o -> o.status() == CaseOutcome.Status.FAILED).count());
        counts.put("internalErrors", outcomes.stream().filter(o -> o.bug() != null).count());
        root.put("wallTimeS", Math.round(wallSeconds * 1000) / 1000.0);
        ObjectNode t = root.putObject("threadSecondsSummed");
        t.put("hashingInputs", round(timing.hashingS()));
        t.put("waitingForMemory", round(timing.waitingForMemoryS()));
        t.put("runningCases", round(timing.runningS()));
        // of the cases this run computed (kept ones cost only their hashing): 0.0 when --resume kept them all
        long computed = counts.get("computed").asLong();
        root.put("casesPerSecond", wallSeconds > 0 ? Math.round(computed / wallSeconds * 1000) / 1000.0 : 0);
        // Every case whose outputs are in OUT, in case order, also when the folder is the caseId itself: a script
        // joins cohort-metrics.csv's case_id on it without a rule of its own (FolderNames renames some caseIds).
        ObjectNode folders = root.putObject("folders");
        for (CaseOutcome o : outcomes) {
            if (o.hasOutputs()) {
                folders.put(o.c().caseId(), o.c().folderName());
            }
        }
        try {
            CohortTables.writeAtomically(outDir.resolve(FILE_NAME), JSON.writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
