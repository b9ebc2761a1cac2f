package dev.eqd2sum.cli;

import dev.eqd2sum.engine.constraint.ConstraintResult;
import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.io.CannotWriteException;
import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.report.CaseResult;
import dev.eqd2sum.io.report.ConsoleTable;
import dev.eqd2sum.io.report.ConstraintsJsonWriter;
import dev.eqd2sum.io.report.DvhCsvWriter;
import dev.eqd2sum.io.report.DvhJsonWriter;
import dev.eqd2sum.io.report.MetricsCsvWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/** {@code eqd2sum sum CASE.json --out DIR}: one case, end to end. */
@Command(name = "sum", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Main.Version.class,
        description = {"Sums a case's courses voxel by voxel in EQD2 and writes the plan sum (RT Dose), DVHs,"
                + " statistics and constraint verdicts.",
                "",
                "CASE.json names the DICOM files (paths relative to it), fractions, dates, alpha/beta values,"
                        + " the forgiveness schedule and the constraints, e.g.:",
                "  {\"caseId\": \"pt017-T1\", \"structureSet\": \"RS.dcm\",",
                "   \"courses\": [",
                "     {\"label\": \"cEBRT\", \"dose\": \"prior/RD.dcm\", \"fractions\": 10,",
                "      \"startDate\": \"2019-02-04\", \"endDate\": \"2019-02-15\",",
                "      \"registration\": \"prior/REG.dcm\"},",
                "     {\"label\": \"reSBRT\", \"dose\": \"current/RD.dcm\", \"fractions\": 1,",
                "      \"startDate\": \"2020-10-20\"}],",
                "   \"alphaBeta\": {\"default\": 3,",
                "                 \"byStructure\": {\"SpinalCord\": 2, \"PTV_High\": 10}},",
                "   \"forgiveness\": \"nelson2009\", \"constraints\": \"spine-reirradiation\"}",
                "The full format is in CONTRACT.md; unknown fields are errors.",
                "'eqd2sum demo --out DIR' writes a complete example case to DIR/case."},
        footerHeading = "%nExamples:%n",
        footer = {"  eqd2sum sum pt017/case.json --out pt017/result",
                "  eqd2sum sum pt017/case.json --out pt017/result --overwrite --backend scalar",
                "  eqd2sum sum case.json --out result --quiet --fail-on-constraint",
                "      (for scripts: exit status 4 when a constraint failed)",
                "",
                "Writes into DIR: plan-sum-eqd2.dcm (and plan-sum-eqd2-ab<v>.dcm per exportAlphaBeta), dvh.json,"
                        + " dvh.csv, metrics.csv, constraints.json.",
                "Exit status: 0 success, 2 bad input or usage, 1 internal error, 4 a constraint failed (only with"
                        + " --fail-on-constraint)."})
final class SumCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CASE.json", description = "The case file.")
    String caseFile;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder; must be empty or absent unless --overwrite.")
    String out;

    @Option(names = "--overwrite", description = "Replace DIR when it holds a previous eqd2sum result.")
    boolean overwrite;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "auto",
            description = "auto (default), scalar, vector or opencl: the kernels that sum the dose grids.")
    String backend;

    @Option(names = "--fail-on-constraint", description = "Exit with status 4 when a constraint failed.")
    boolean failOnConstraint;

    @Option(names = "--quiet", description = "Do not print the table (errors, warnings and the backend line still go"
            + " to stderr).")
    boolean quiet;

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws IOException {
        // Looking for an OpenCL GPU costs ~0.15 s in a fresh JVM: overlap it with reading the inputs.
        KernelProvider.probeInBackground(backend);
        StageTimes.start();
        CaseSpec c = CaseFileReader.read(Path.of(caseFile), caseFile);
        StageTimes.lap("read case file");
        CaseRunner.Run run;
        try (OutputFolder folder = OutputFolder.prepare(Path.of(out), out, overwrite, c.inputFiles())) {
            run = runInto(c, folder.temp(), backend, main.err);
            folder.commit();
        }
        StageTimes.lap("move the output folder into place");
        if (!quiet) {
            main.out.print(ConsoleTable.render(run.result()));
            main.out.println();
            main.out.println("Results in " + out + ": " + String.join(", ", run.files()));
        } else {
            printWarnings(run.result(), main.err);
            printConstraintProblems(run.result(), main.err);
        }
        StageTimes.lap("console table");
        StageTimes.print(main.err);
        return failOnConstraint && anyFailed(run.result()) ? Main.EXIT_CONSTRAINT_FAILED : Main.EXIT_OK;
    }

    /** Waits for a report written on another thread; what it threw is thrown here, unwrapped. */
    private static void awaitReport(FutureTask<Void> task) throws IOException {
        try {
            Tasks.join(task);
        } catch (CannotWriteException e) {
            throw e; // it names the report
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Runs a case and writes every output into {@code dir} (a temporary folder the caller moves into place). */
    static CaseRunner.Run runInto(CaseSpec c, Path dir, String backend, PrintStream err) throws IOException {
        return runInto(c, dir, backend, err, true, true);
    }

    /**
     * @param writeDose false: the RT Dose maps are neither computed nor written (cohort --no-dose)
     * @param oneCase   the only case this JVM runs (sum, demo), not one of a cohort's
     */
    static CaseRunner.Run runInto(CaseSpec c, Path dir, String backend, PrintStream err, boolean writeDose,
                                  boolean oneCase) throws IOException {
        CaseRunner.Run run = new CaseRunner(backend, err, writeDose, oneCase).run(c, dir);
        CaseResult result = run.result();
        StageTimes.lap("constraints, result model");
        // dvh.csv (the largest report, one row per 0.01 Gy bin) is written on a second core meanwhile.
        FutureTask<Void> csv = new FutureTask<>(() -> {
            try {
                DvhCsvWriter.write(result, dir.resolve("dvh.csv"));
            } catch (IOException e) {
                throw new CannotWriteException(dir.resolve("dvh.csv"), e);
            }
            return null;
        });
        Thread.ofPlatform().daemon().name("eqd2sum-write-dvh-csv").start(csv);
        // each report named when it cannot be written (a full disk): the error line says which
        Path report = dir.resolve("dvh.json");
        try {
            DvhJsonWriter.write(result, report);
            report = dir.resolve("metrics.csv");
            MetricsCsvWriter.write(result, report);
            report = dir.resolve("constraints.json");
            ConstraintsJsonWriter.write(result, report);
        } catch (IOException e) {
            throw new CannotWriteException(report, e);
        } finally {
            awaitReport(csv);
        }
        StageTimes.lap("write reports (JSON, CSV)");
        List<String> files = new ArrayList<>(run.doseFiles());
        files.addAll(List.of("dvh.json", "dvh.csv", "metrics.csv", "constraints.json"));
        return run.withFiles(files);
    }

    /** Without the table (--quiet) the warnings still reach a person: on stderr, one line each. */
    static void printWarnings(CaseResult r, java.io.PrintStream err) {
        for (String w : r.warnings()) {
            err.println("eqd2sum: warning: " + dev.eqd2sum.io.PrintableLine.of(w));
        }
        err.flush();
    }

    /**
     * Without the table (--quiet) a failed constraint, or one that could not be evaluated (a cord not found by its
     * name), still reaches the person or the log: one stderr line each. A summary sum of a volume statistic, which
     * does not exist, is left out: it is never evaluable.
     */
    static void printConstraintProblems(CaseResult r, java.io.PrintStream err) {
        for (ConstraintResult c : r.constraints()) {
            if (c.status() == ConstraintResult.Status.FAILED
                    || (c.status() == ConstraintResult.Status.NOT_EVALUATED && !c.neverEvaluable())) {
                StringBuilder line = new StringBuilder("eqd2sum: constraint ")
                        .append(c.status() == ConstraintResult.Status.FAILED ? "failed: " : "not evaluated: ")
                        .append(c.id());
                if (c.method() != null) {
                    line.append(" (").append(c.method().key());
                    if (c.structure() != null) {
                        line.append(", ").append(c.structure());
                    }
                    line.append(')');
                }
                err.println(dev.eqd2sum.io.PrintableLine.of(line.append(": ").append(c.reason()).toString()));
            }
        }
        err.flush();
    }

    static boolean anyFailed(CaseResult r) {
        return r.constraints().stream().anyMatch(x -> x.status() == ConstraintResult.Status.FAILED);
    }
}
