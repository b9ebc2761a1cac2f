package dev.eqd2sum.io.cohort;

import dev.eqd2sum.engine.plansum.HeapBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CohortRunTest {
    private static final long HEAP = 1L << 30;
    private static final CaseOptions NO_DOSE = new CaseOptions(true, "auto");

    @TempDir
    Path tmp;

    /** 20 cases p00..p19, p07 with a truncated dose file, p13 with an unknown case-file field. */
    private Path study() throws IOException {
        Path study = tmp.resolve("study");
        for (int i = 0; i < 20; i++) {
            FakeStudy.writeCase(study.resolve(String.format("p%02d", i)), String.format("P%02d", i), 1000 + 37 * i);
        }
        FakeStudy.truncateDose(study.resolve("p07"));
        FakeStudy.addUnknownField(study.resolve("p13/case.json"));
        return study;
    }

    private List<CaseOutcome> run(Path study, Path out, FakeStudy.Runner runner, CaseOptions options, boolean resume,
                                  int threads, long heap) throws IOException {
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        List<CaseOutcome> outcomes = new CohortRun(runner, options, "eqd2sum test", threads, heap, new CohortListener() {
        }).run(cases, out, resume);
        CohortTables.write(out, outcomes);
        return outcomes;
    }

    @Test
    void twentyCasesWithTwoBrokenOnesGiveEveryTableRowByRow() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        FakeStudy.Runner runner = new FakeStudy.Runner();
        List<CaseOutcome> outcomes = run(study, out, runner, NO_DOSE, false, 3, HEAP);

        assertThat(outcomes).extracting(o -> o.c().caseId())
                .containsExactly("P00", "P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09",
                        "P10", "P11", "P12", "P13", "P14", "P15", "P16", "P17", "P18", "P19");
        assertThat(outcomes).filteredOn(o -> o.status() == CaseOutcome.Status.FAILED).extracting(o -> o.c().caseId())
                .containsExactly("P07", "P13");

        List<String> failures = Files.readAllLines(out.resolve("failures.csv"));
        assertThat(failures).containsExactly("case,error",
                "P07,\"eqd2sum: error: study/p07/RD.dcm: truncated: the header declares 1259 bytes, the file has 629\"",
                "P13,eqd2sum: error: study/p13/case.json: forgivness: unknown field");

        List<String> metrics = Files.readAllLines(out.resolve("cohort-metrics.csv"));
        assertThat(metrics.get(0)).isEqualTo(CohortTables.METRICS_HEADER);
        assertThat(metrics).hasSize(1 + 18 * 2);
        List<String> expected = new ArrayList<>();
        expected.add(CohortTables.METRICS_HEADER);
        for (int i = 0; i < 20; i++) {
            if (i == 7 || i == 13) {
                continue;
            }
            String id = String.format("P%02d", i);
            List<String> caseRows = Files.readAllLines(out.resolve(id).resolve("metrics.csv"));
            assertThat(caseRows.get(0)).isEqualTo(CohortTables.METRICS_HEADER);
            expected.addAll(caseRows.subList(1, caseRows.size()));
        }
        assertThat(metrics).containsExactlyElementsOf(expected);

        List<String> constraints = Files.readAllLines(out.resolve("cohort-constraints.csv"));
        assertThat(constraints).hasSize(1 + 18 * 2);
        assertThat(constraints.get(0)).isEqualTo(
                "case_id,id,structure,metric,alpha_beta,scope,method,value,limit,comparator,status,reason,unit");
        assertThat(constraints.get(1)).matches("P00,sahgal-2,SpinalCord,Dmax,2\\.0000,course,voxelwise,\\d+\\.\\d{4},"
                + "25\\.0000,<,(passed|failed),,");
        assertThat(constraints.get(2)).isEqualTo("P00,nelson,SpinalCord,Dmax,3.0000,cumulativeForgiven,summary,,50.0000,"
                + "<,not_evaluated,\"no prior course, \"\"as given\"\"\",");
        assertThat(constraints.get(35)).startsWith("P19,sahgal-2,");

        // Per-case folders: outputs and the resume record, nothing for failed cases, no work folder left.
        assertThat(out.resolve("P00/inputs.sha256")).exists();
        assertThat(out.resolve("P00/plan-sum-eqd2.dcm")).doesNotExist();
        assertThat(out.resolve("P07")).doesNotExist();
        assertThat(out.resolve(CohortRun.WORK_DIR)).doesNotExist();
    }

    @Test
    void resumeAfterAKilledRunGivesTheSameBytesAndRedoesOnlyWhatIsMissing() throws IOException {
        Path study = study();
        Path full = tmp.resolve("full");
        run(study, full, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);

        Path killed = tmp.resolve("killed");
        run(study, killed, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);
        // What a kill leaves: cases never started, case folders whose records do not match (an earlier run's, or
        // one cut short: the record is what counts), a half-written work folder, no cohort tables.
        CohortRun.deleteRecursively(killed.resolve("P18"));
        CohortRun.deleteRecursively(killed.resolve("P19"));
        Files.writeString(killed.resolve("P03/inputs.sha256"), "# eqd2sum cohort --resume record of other inputs\n");
        Files.writeString(killed.resolve("P05/metrics.csv"), "partial");
        Files.writeString(killed.resolve("P05/inputs.sha256"), "# eqd2sum cohort --res");
        Files.createDirectories(killed.resolve(CohortRun.WORK_DIR).resolve("P10"));
        Files.writeString(killed.resolve(CohortRun.WORK_DIR).resolve("P10/metrics.csv"), "half");
        for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv")) {
            Files.delete(killed.resolve(f));
        }

        FakeStudy.Runner resumed = new FakeStudy.Runner();
        List<CaseOutcome> outcomes = run(study, killed, resumed, NO_DOSE, true, 2, HEAP);

        assertThat(resumed.ran).containsExactlyInAnyOrder("study/p03/case.json", "study/p05/case.json",
                "study/p07/case.json", "study/p13/case.json", "study/p18/case.json", "study/p19/case.json");
        assertThat(outcomes).filteredOn(o -> o.status() == CaseOutcome.Status.UNCHANGED).hasSize(14);
        for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv")) {
            assertThat(Files.readAllBytes(killed.resolve(f))).as(f).isEqualTo(Files.readAllBytes(full.resolve(f)));
        }
        assertThat(killed.resolve(CohortRun.WORK_DIR)).doesNotExist();
    }

    @Test
    void aUsersFolderIsNeverReplacedAndACaseFolderOfOutputsAloneIsRedone() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        run(study, out, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);
        // A user's folder where a case's outputs go (its name is the caseId): not replaced, the case fails with a
        // line. A case folder of nothing but a case's outputs that lost its record (a run killed while an earlier
        // version deleted it file by file): redone.
        CohortRun.deleteRecursively(out.resolve("P01"));
        Files.createDirectories(out.resolve("P01"));
        Files.writeString(out.resolve("P01/notes.txt"), "precious");
        Files.delete(out.resolve("P02/inputs.sha256"));
        FakeStudy.Runner resumed = new FakeStudy.Runner();
        List<CaseOutcome> outcomes = run(study, out, resumed, NO_DOSE, true, 2, HEAP);
        assertThat(outcomes.get(1).status()).isEqualTo(CaseOutcome.Status.FAILED);
        assertThat(outcomes.get(1).errorLine()).isEqualTo("eqd2sum: error: " + out.resolve("P01") + ": was not"
                + " written by eqd2sum cohort (no inputs.sha256 in it), so it is not replaced with the outputs of case P01");
        assertThat(outcomes.get(2).status()).isEqualTo(CaseOutcome.Status.DONE);
        assertThat(resumed.ran).doesNotContain("study/p01/case.json").contains("study/p02/case.json");
        assertThat(Files.readString(out.resolve("P01/notes.txt"))).isEqualTo("precious");
        assertThat(out.resolve("P02/metrics.csv")).exists();
        assertThat(out.resolve("P02/inputs.sha256")).exists();
    }

    @Test
    void resumeRunsAgainWhatChanged_inputsVersionOrOptions() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        run(study, out, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);

        FakeStudy.Runner same = new FakeStudy.Runner();
        run(study, out, same, NO_DOSE, true, 2, HEAP);
        assertThat(same.ran).containsExactlyInAnyOrder("study/p07/case.json", "study/p13/case.json");

        // A referenced file changed (the structure set): only that case runs again.
        Files.writeString(study.resolve("p02/RS.dcm"), "edited");
        FakeStudy.Runner edited = new FakeStudy.Runner();
        run(study, out, edited, NO_DOSE, true, 2, HEAP);
        assertThat(edited.ran).containsExactlyInAnyOrder("study/p02/case.json", "study/p07/case.json",
                "study/p13/case.json");

        // Other options: everything runs again, and the RT Dose files appear.
        FakeStudy.Runner withDose = new FakeStudy.Runner();
        run(study, out, withDose, new CaseOptions(false, "auto"), true, 2, HEAP);
        assertThat(withDose.runs.get()).isEqualTo(20);
        assertThat(out.resolve("P00/plan-sum-eqd2.dcm")).exists();
    }

    @Test
    void resumeRunsAgainACaseWhoseOutputsWereDeletedOrDamaged_tablesAsAFullRuns() throws IOException {
        Path study = study();
        Path full = tmp.resolve("full");
        run(study, full, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);
        Path out = tmp.resolve("out");
        run(study, out, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);
        assertThat(Files.readString(out.resolve("P00").resolve(CaseInputs.FILE_NAME)))
                .endsWith("# output " + Files.size(out.resolve("P00/constraints.json")) + " sha256:"
                        + sha256(out.resolve("P00/constraints.json")) + " constraints.json\n"
                        + "# output " + Files.size(out.resolve("P00/metrics.csv")) + " sha256:"
                        + sha256(out.resolve("P00/metrics.csv")) + " metrics.csv\n");
        Files.delete(out.resolve("P05/metrics.csv"));
        Files.delete(out.resolve("P06/constraints.json"));
        Files.writeString(out.resolve("P08/metrics.csv"), "garbage\n");
        // the same size, a damaged header: not the file the case wrote either
        String p09 = Files.readString(out.resolve("P09/metrics.csv"));
        Files.writeString(out.resolve("P09/metrics.csv"), "x" + p09.substring(1));
        String p10 = Files.readString(out.resolve("P10/constraints.json"));
        Files.writeString(out.resolve("P10/constraints.json"), " ".repeat(p10.length()));
        // the same size and still well formed, one value edited: its digest tells
        String p12 = Files.readString(out.resolve("P12/metrics.csv"));
        int digit = p12.stripTrailing().length() - 1;
        assertThat(Character.isDigit(p12.charAt(digit))).as("metrics.csv ends in a value: %s", p12).isTrue();
        Files.writeString(out.resolve("P12/metrics.csv"), p12.substring(0, digit)
                + (char) ('0' + (p12.charAt(digit) - '0' + 1) % 10) + p12.substring(digit + 1));

        FakeStudy.Runner resumed = new FakeStudy.Runner();
        run(study, out, resumed, NO_DOSE, true, 2, HEAP);

        assertThat(resumed.ran).containsExactlyInAnyOrder("study/p05/case.json", "study/p06/case.json",
                "study/p07/case.json", "study/p08/case.json", "study/p09/case.json", "study/p10/case.json",
                "study/p12/case.json", "study/p13/case.json");
        for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv")) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(full.resolve(f)));
        }

        // with RT Dose files: a case whose RT Dose file is gone runs again; under --no-dose none is expected
        CaseOptions withDose = new CaseOptions(false, "auto");
        run(study, out, new FakeStudy.Runner(), withDose, true, 2, HEAP);
        Files.delete(out.resolve("P11/plan-sum-eqd2.dcm"));
        FakeStudy.Runner again = new FakeStudy.Runner();
        run(study, out, again, withDose, true, 2, HEAP);
        assertThat(again.ran).containsExactlyInAnyOrder("study/p07/case.json", "study/p11/case.json",
                "study/p13/case.json");
        assertThat(out.resolve("P11/plan-sum-eqd2.dcm")).exists();
    }

    @Test
    void aRunRemovesTheEarlierRunsTablesBeforeItChangesAnyCase() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        run(study, out, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);
        CohortReport.write(out, "study", List.of(), 1, "v", "b", NO_DOSE, 2, HEAP, new CohortRun.Timing(0, 0, 0), "scalar");
        Files.writeString(study.resolve("p02/RS.dcm"), "edited");
        // what a run killed while it recomputes P02 leaves: no table or cohort.json of the run before
        List<String> seen = new ArrayList<>();
        FakeStudy.Runner inner = new FakeStudy.Runner();
        CaseRunner looking = (c, outDir, options) -> {
            for (String f : List.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv", "cohort.json")) {
                if (Files.exists(out.resolve(f))) {
                    seen.add(f);
                }
            }
            return inner.run(c, outDir, options);
        };
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        new CohortRun(looking, NO_DOSE, "eqd2sum test", 1, HEAP, new CohortListener() {
        }).run(cases, out, true);
        assertThat(inner.ran).contains("study/p02/case.json");
        assertThat(seen).isEmpty();
    }

    @Test
    void aConstraintFileEditedWhileTheCaseRunsIsRecordedAsTheCaseReadIt_resumeRunsItAgain() throws IOException {
        Path study = tmp.resolve("study");
        Path caseFile = FakeStudy.writeCase(study.resolve("a"), "A", 1000);
        Files.writeString(caseFile, Files.readString(caseFile).replace("\"forgiveness\"",
                "\"constraints\": \"../shared/limits.json\", \"forgiveness\""));
        Path limits = study.resolve("shared/limits.json");
        Files.createDirectories(limits.getParent());
        Files.writeString(limits, "{\"name\": \"mine\", \"constraints\": [{\"limit\": 50}]}");
        Path out = tmp.resolve("out");
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        // the case reads the limits, then a user edits the shared file while the case is still running
        CaseRunner editedMidRun = (c, outDir, options) -> {
            try {
                String read = Files.readString(limits);
                Files.writeString(limits, read.replace("50", "10"));
                Files.writeString(outDir.resolve("metrics.csv"), CohortTables.METRICS_HEADER + "\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return "scalar";
        };
        new CohortRun(editedMidRun, NO_DOSE, "t", 1, HEAP, new CohortListener() {
        }).run(cases, out, false);

        FakeStudy.Runner resumed = new FakeStudy.Runner();
        CaseRunner counting = (c, outDir, options) -> {
            resumed.ran.add(c.displayCaseFile());
            return "scalar";
        };
        new CohortRun(counting, NO_DOSE, "t", 1, HEAP, new CohortListener() {
        }).run(cases, out, true);
        assertThat(resumed.ran).containsExactly("study/a/case.json");
    }

    @Test
    void theResumeRecordTakesTheDigestsTheRunComputedAndHashesOnlyTheRest() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 1000);
        FakeStudy.writeCase(study.resolve("b"), "B", 1000);
        Path out = tmp.resolve("out");
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        // A's run reports the true digest of its dose file; B's run reports a made-up one, which must appear in
        // B's record as it is (the cohort did not read and hash that file again).
        String fake = "f".repeat(64);
        FakeStudy.Runner real = new FakeStudy.Runner();
        CaseRunner reporting = new CaseRunner() {
            @Override
            public String run(CohortCase c, Path outDir, CaseOptions options) {
                throw new AssertionError("the cohort asks for the digests");
            }

            @Override
            public String run(CohortCase c, Path outDir, CaseOptions options, Map<Path, String> inputSha256) {
                Path dose = c.caseFile().resolveSibling("RD.dcm").toAbsolutePath().normalize();
                inputSha256.put(dose, c.caseId().equals("B") ? fake : sha256(dose));
                return real.run(c, outDir, options);
            }
        };
        new CohortRun(reporting, NO_DOSE, "t", 2, HEAP, new CohortListener() {
        }).run(cases, out, false);

        assertThat(CaseOutputs.inputsOf(Files.readString(out.resolve("A").resolve(CaseInputs.FILE_NAME))))
                .isEqualTo(CaseInputs.describe(cases.get(0), "t", NO_DOSE));
        String recordB = CaseOutputs.inputsOf(Files.readString(out.resolve("B").resolve(CaseInputs.FILE_NAME)));
        assertThat(recordB).contains(fake + "  RD.dcm\n").isNotEqualTo(CaseInputs.describe(cases.get(1), "t", NO_DOSE));
        // every other line of B's record was hashed by the cohort itself, as before
        assertThat(recordB.replace(fake, sha256(cases.get(1).caseFile().resolveSibling("RD.dcm"))))
                .isEqualTo(CaseInputs.describe(cases.get(1), "t", NO_DOSE));

        // --resume hashes afresh: A's record matches and A is kept; B's (with the made-up digest) does not.
        FakeStudy.Runner resumed = new FakeStudy.Runner();
        new CohortRun(resumed, NO_DOSE, "t", 2, HEAP, new CohortListener() {
        }).run(cases, out, true);
        assertThat(resumed.ran).containsExactly("study/b/case.json");
    }

    private static String sha256(Path file) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCaseThatNoLongerRunsLosesItsStaleOutputs() throws IOException {
        Path study = study();
        Path out = tmp.resolve("out");
        run(study, out, new FakeStudy.Runner(), NO_DOSE, false, 2, HEAP);
        FakeStudy.truncateDose(study.resolve("p04"));
        run(study, out, new FakeStudy.Runner(), NO_DOSE, true, 2, HEAP);
        assertThat(out.resolve("P04")).doesNotExist();
        assertThat(Files.readString(out.resolve("cohort-metrics.csv"))).doesNotContain("P04,");
        assertThat(Files.readAllLines(out.resolve("failures.csv"))).extracting(l -> l.split(",")[0])
                .containsExactly("case", "P04", "P07", "P13");
    }

    @Test
    void memoryBoundLimitsHowManyCasesRunAtOnce() throws IOException {
        Path study = tmp.resolve("big");
        for (int i = 0; i < 6; i++) {
            FakeStudy.writeCase(study.resolve("c" + i), "C" + i, 1 << 20);
        }
        // Estimate per case (MemoryNeed: 0.5 M voxels each of course and output grid): 32 MiB + 4 * 0.5 + 10 * 0.5
        // = 39 MiB; budget = 164 - 64 = 100 MiB: two at a time.
        FakeStudy.Runner runner = new FakeStudy.Runner();
        runner.sleepMillis = 50;
        List<CaseOutcome> outcomes = run(study, tmp.resolve("out"), runner, NO_DOSE, false, 6, 164L << 20);
        assertThat(outcomes).allMatch(o -> o.status() == CaseOutcome.Status.DONE);
        assertThat(runner.maxRunning.get()).isEqualTo(2);

        FakeStudy.Runner roomy = new FakeStudy.Runner();
        roomy.sleepMillis = 50;
        run(study, tmp.resolve("out2"), roomy, NO_DOSE, false, 6, 2000L << 20);
        assertThat(roomy.maxRunning.get()).isGreaterThan(2);
    }

    @Test
    void aCaseLargerThanTheHeapFailsAloneWithAClearLine() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("a"), "A", 1000);
        FakeStudy.writeCase(study.resolve("huge"), "HUGE", 3 << 20);
        FakeStudy.writeCase(study.resolve("z"), "Z", 1000);
        FakeStudy.Runner runner = new FakeStudy.Runner();
        List<CaseOutcome> outcomes = run(study, tmp.resolve("out"), runner, NO_DOSE, false, 2, 2L << 20);
        assertThat(outcomes).extracting(CaseOutcome::status).containsExactly(CaseOutcome.Status.DONE,
                CaseOutcome.Status.FAILED, CaseOutcome.Status.DONE);
        assertThat(outcomes.get(1).errorLine()).isEqualTo("eqd2sum: error: study/huge/case.json: its RT Dose files"
                + " hold 3 MiB of dose data, more than the whole Java heap (2 MiB); run it with a larger heap"
                + " (EQD2SUM_JAVA_OPTS=-Xmx128m)");
        assertThat(runner.ran).doesNotContain("study/huge/case.json");
    }

    @Test
    void aCaseRunningOutOfMemoryBesideOthersIsRetriedAloneThenFailsAlone() throws IOException {
        Path study = tmp.resolve("study");
        for (String id : List.of("a", "b", "c", "d")) {
            FakeStudy.writeCase(study.resolve(id), id.toUpperCase(), 1000);
        }
        FakeStudy.Runner real = new FakeStudy.Runner();
        AtomicInteger bAttempts = new AtomicInteger();
        CaseRunner flaky = (c, outDir, options) -> {
            if (c.caseId().equals("B") && bAttempts.incrementAndGet() == 1) {
                throw new OutOfMemoryError("Java heap space");
            }
            if (c.caseId().equals("C")) {
                throw new OutOfMemoryError("Java heap space");
            }
            return real.run(c, outDir, options);
        };
        Path out = tmp.resolve("out");
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        List<CaseOutcome> outcomes = new CohortRun(flaky, NO_DOSE, "t", 2, HEAP, new CohortListener() {
        }).run(cases, out, false);
        assertThat(outcomes).extracting(CaseOutcome::status).containsExactly(CaseOutcome.Status.DONE,
                CaseOutcome.Status.DONE, CaseOutcome.Status.FAILED, CaseOutcome.Status.DONE);
        assertThat(bAttempts.get()).isEqualTo(2);
        assertThat(outcomes.get(2).errorLine()).startsWith("eqd2sum: error: study/c/case.json: ran out of memory even"
                + " when run alone (Java heap 1024 MiB");
        assertThat(out.resolve("C")).doesNotExist();
    }

    @Test
    void aCaseWhoseGridsNeedMoreThanItsFilesSuggestWaitsUntilItHasThatMuch() throws IOException, InterruptedException {
        Path study = tmp.resolve("study");
        for (String id : List.of("a", "b", "c", "d")) {
            FakeStudy.writeCase(study.resolve(id), id.toUpperCase(), 1000);
        }
        FakeStudy.Runner real = new FakeStudy.Runner();
        real.sleepMillis = 40;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger besideB = new AtomicInteger(-1);
        AtomicLong heapSeenByB = new AtomicLong();
        CaseRunner fineGrid = (c, outDir, options) -> {
            running.incrementAndGet();
            try {
                if (c.caseId().equals("B")) {
                    // what CaseRunner (cli) does once its output grid is known: the whole heap, far above its files' 33 MiB
                    heapSeenByB.set(HeapBudget.current().heapBytes());
                    HeapBudget.current().reserve(HEAP);
                    int others = running.get() - 1;
                    try {
                        Thread.sleep(60);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    besideB.set(Math.max(others, running.get() - 1));
                }
                return real.run(c, outDir, options);
            } finally {
                running.decrementAndGet();
            }
        };
        Path out = tmp.resolve("out");
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        List<CaseOutcome> outcomes = new CohortRun(fineGrid, NO_DOSE, "t", 4, HEAP, new CohortListener() {
        }).run(cases, out, false);
        assertThat(outcomes).allMatch(o -> o.status() == CaseOutcome.Status.DONE);
        assertThat(heapSeenByB.get()).isEqualTo(HEAP);
        assertThat(besideB.get()).isZero();
        assertThat(real.maxRunning.get()).isGreaterThan(1); // the others did run side by side
    }

    @Test
    void aCaseOutOfMemoryAloneReportsTheNeedItsGridsGave() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("fine"), "FINE", 1000);
        CaseRunner fineGrid = (c, outDir, options) -> {
            HeapBudget.current().reserve(500L << 20);
            throw new OutOfMemoryError("Java heap space");
        };
        Path out = tmp.resolve("out");
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        List<CaseOutcome> outcomes = new CohortRun(fineGrid, NO_DOSE, "t", 2, HEAP, new CohortListener() {
        }).run(cases, out, false);
        assertThat(outcomes.getFirst().errorLine()).isEqualTo("eqd2sum: error: study/fine/case.json: ran out of memory"
                + " even when run alone (Java heap 1024 MiB, estimated need 500 MiB); run it with a larger heap"
                + " (EQD2SUM_JAVA_OPTS=-Xmx2g)");
    }

    @Test
    void failureLinesAreOnePrintableLine() throws IOException {
        Path study = tmp.resolve("study");
        FakeStudy.writeCase(study.resolve("esc"), "ESC", 1000);
        CaseRunner escaping = (c, outDir, options) -> {
            throw new dev.eqd2sum.engine.InvalidInputException("study/esc/RD.dcm", "SOP class 1.2.\u001b0008\nx");
        };
        Path out = tmp.resolve("out");
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        List<CaseOutcome> outcomes = new CohortRun(escaping, NO_DOSE, "t", 2, HEAP, new CohortListener() {
        }).run(cases, out, false);
        assertThat(outcomes.getFirst().errorLine())
                .isEqualTo("eqd2sum: error: study/esc/RD.dcm: SOP class 1.2.\\x1b0008 x");
    }

    @Test
    void aBugInOneCaseDoesNotStopTheOthers() throws IOException {
        Path study = tmp.resolve("study");
        for (String id : List.of("a", "b", "c")) {
            FakeStudy.writeCase(study.resolve(id), id.toUpperCase(), 1000);
        }
        FakeStudy.Runner real = new FakeStudy.Runner();
        CaseRunner buggy = (c, outDir, options) -> {
            if (c.caseId().equals("B")) {
                throw new ArrayIndexOutOfBoundsException("Index 5 out of bounds for length 5");
            }
            return real.run(c, outDir, options);
        };
        Path out = tmp.resolve("out");
        List<CohortCase> cases = new CaseDiscovery().discover(study, "study", out);
        Files.createDirectories(out);
        List<CaseOutcome> outcomes = new CohortRun(buggy, NO_DOSE, "t", 2, HEAP, new CohortListener() {
        }).run(cases, out, false);
        assertThat(outcomes).extracting(CaseOutcome::status).containsExactly(CaseOutcome.Status.DONE,
                CaseOutcome.Status.FAILED, CaseOutcome.Status.DONE);
        assertThat(outcomes.get(1).bug()).isInstanceOf(ArrayIndexOutOfBoundsException.class);
        assertThat(outcomes.get(1).errorLine()).startsWith("eqd2sum: internal error: study/b/case.json: ");
    }
}
