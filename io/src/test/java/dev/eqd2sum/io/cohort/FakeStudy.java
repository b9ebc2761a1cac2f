package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.engine.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A study of fake cases for the cohort machinery: each case file names one "dose" file whose first 4 bytes
 * declare its length, and a fake runner that writes metrics.csv and constraints.json derived from the dose
 * bytes. The runner fails exactly as the real pipeline does for the two kinds of broken case the cohort tests
 * use: a truncated dose file and an unknown case-file field.
 */
public final class FakeStudy {
    static final JsonMapper JSON = JsonMapper.builder().build();

    public static Path writeCase(Path dir, String caseId, int doseBytes) throws IOException {
        Files.createDirectories(dir);
        byte[] dose = new byte[doseBytes];
        ByteBuffer.wrap(dose).putInt(doseBytes);
        for (int i = 4; i < doseBytes; i++) {
            dose[i] = (byte) (caseId.hashCode() * 31 + i);
        }
        Files.write(dir.resolve("RD.dcm"), dose);
        Path caseFile = dir.resolve("case.json");
        Files.writeString(caseFile, """
                {"caseId": "%s", "structureSet": "RS.dcm", "courses": [{"dose": "RD.dcm", "fractions": 3}],
                 "alphaBeta": {"default": 3.0}, "forgiveness": "none"}
                """.formatted(caseId));
        Files.writeString(dir.resolve("RS.dcm"), "structures of " + caseId);
        return caseFile;
    }

    public static void truncateDose(Path caseDir) throws IOException {
        Path dose = caseDir.resolve("RD.dcm");
        byte[] b = Files.readAllBytes(dose);
        Files.write(dose, java.util.Arrays.copyOf(b, b.length / 2));
    }

    public static void addUnknownField(Path caseFile) throws IOException {
        String s = Files.readString(caseFile);
        Files.writeString(caseFile, s.replace("\"forgiveness\"", "\"forgivness\": \"none\", \"forgiveness\""));
    }

    /** The fake per-case pipeline; counts its runs and the most cases it saw running at once. */
    public static final class Runner implements CaseRunner {
        public final AtomicInteger runs = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        public final List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());
        public volatile long sleepMillis = 0;

        @Override
        public String run(CohortCase c, Path outDir, CaseOptions options) {
            runs.incrementAndGet();
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                ran.add(c.displayCaseFile());
                return doRun(c, outDir, options);
            } finally {
                running.decrementAndGet();
            }
        }

        private String doRun(CohortCase c, Path outDir, CaseOptions options) {
            try {
                JsonNode root = JSON.readTree(c.caseFile().toFile());
                Set<String> known = Set.of("caseId", "structureSet", "courses", "alphaBeta", "forgiveness");
                for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!known.contains(f)) {
                        throw new InvalidInputException(c.displayCaseFile() + ": " + f, "unknown field");
                    }
                }
                if (!root.path("caseId").isTextual()) {
                    throw new InvalidInputException(c.displayCaseFile() + ": caseId", "is required");
                }
                Path dose = c.caseFile().resolveSibling(root.path("courses").get(0).path("dose").asText());
                byte[] b = Files.readAllBytes(dose);
                int declared = ByteBuffer.wrap(b).getInt();
                if (declared != b.length) {
                    throw new InvalidInputException(c.displayCaseFile().replace("case.json", "RD.dcm"),
                            "truncated: the header declares " + declared + " bytes, the file has " + b.length);
                }
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis);
                }
                long sum = 0;
                for (byte x : b) {
                    sum += x & 0xff;
                }
                String id = root.get("caseId").asText();
                Files.writeString(outDir.resolve("metrics.csv"), CohortTables.METRICS_HEADER + "\n"
                        + String.format(Locale.ROOT, "%s,SpinalCord,2.0000,Dmax,Gy,plan_sum,%.4f%n", id, sum / 1000.0)
                        + String.format(Locale.ROOT, "%s,SpinalCord,2.0000,Dmean,Gy,plan_sum,%.4f%n", id, sum / 3000.0));
                Files.writeString(outDir.resolve("constraints.json"), """
                        {"schemaVersion": 1, "constraints": [
                          {"id": "sahgal-2", "structure": "SpinalCord", "metric": "Dmax", "alphaBeta": 2,
                           "scope": "course", "method": "voxelwise", "value": %s, "limit": 25,
                           "comparator": "<", "status": "%s", "reason": null},
                          {"id": "nelson", "structure": "SpinalCord", "metric": "Dmax", "alphaBeta": 3,
                           "scope": "cumulativeForgiven", "method": "summary", "value": null, "limit": 50,
                           "comparator": "<", "status": "not_evaluated", "reason": "no prior course, \\"as given\\""}
                        ]}
                        """.formatted(sum / 1000.0, sum / 1000.0 < 25 ? "passed" : "failed"));
                if (!options.noDose()) {
                    Files.write(outDir.resolve("plan-sum-eqd2.dcm"), b);
                }
                return "scalar";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private FakeStudy() {
    }
}
