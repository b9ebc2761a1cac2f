package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.cli.Main;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.io.cohort.CaseDiscovery;
import dev.eqd2sum.io.cohort.CaseOptions;
import dev.eqd2sum.io.cohort.CaseOutcome;
import dev.eqd2sum.io.cohort.CaseRunner;
import dev.eqd2sum.io.cohort.CohortCase;
import dev.eqd2sum.io.cohort.CohortOutput;
import dev.eqd2sum.io.cohort.CohortReport;
import dev.eqd2sum.io.cohort.CohortRun;
import dev.eqd2sum.io.cohort.CohortTables;
import dev.eqd2sum.io.cohort.MemoryEstimate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code eqd2sum cohort DIR_OR_MANIFEST --out DIR [--threads N] [--resume] [--no-dose]} (CONTRACT). */
@Command(name = "cohort", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = CohortCommand.Version.class,
        description = {
                "Runs `sum` for every case of a study, in parallel, and collects the results in one place.",
                "",
                "Cases are the *.json files under DIR_OR_MANIFEST that are case files (JSON objects with any"
                        + " field of a case file, such as \"courses\" or \"caseId\"; a file that is not valid JSON"
                        + " counts too, and fails), sorted by path; never anything under --out or in hidden folders,"
                        + " nor eqd2sum's own outputs or constraint files. Or give a"
                        + " CSV manifest with a `case` column of case-file paths (relative to the manifest), run in"
                        + " row order.",
                "",
                "Writes OUT/<caseId>/ per case (the files `sum` writes, without RT Dose files under --no-dose;"
                        + " a caseId unsafe as a folder name is renamed, and cohort.json's \"folders\" maps each"
                        + " caseId to its folder), cohort-metrics.csv, cohort-constraints.csv, failures.csv"
                        + " (case,error) and cohort.json."
                        + " A failing case never stops the others.",
                "",
                "Exit status: 0 every case succeeded, 3 some failed (see failures.csv), 2 bad usage or input"
                        + " (e.g. two cases with the same caseId; nothing runs), 1 internal error."},
        footer = {"", "Example: eqd2sum cohort study/ --out results/ --no-dose",
                "         eqd2sum cohort study/ --out results/ --resume   (after an interrupted run)"})
public final class CohortCommand implements Callable<Integer> {
    private static final Set<String> BACKENDS = Set.of("auto", "scalar", "vector", "opencl");

    @Parameters(index = "0", paramLabel = "DIR_OR_MANIFEST",
            description = "Folder of case files, or a CSV manifest with a `case` column.")
    String input;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder: absent or empty, or the folder of an earlier run with --resume.")
    Path out;

    @Option(names = "--threads", paramLabel = "N",
            description = "Cases run at once (default: the number of processors). Memory is bounded anyway:"
                    + " a case waits until its estimated heap need is free.")
    Integer threads;

    @Option(names = "--resume",
            description = "Keep the outputs of cases whose inputs (SHA-256 of the case file and every file it"
                    + " names), tool version and build, and options are unchanged; run the rest.")
    boolean resume;

    @Option(names = "--no-dose", description = "Write no RT Dose files (statistics and constraints only).")
    boolean noDose;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "auto",
            description = "Kernel backend for every case: auto (default), scalar, vector or opencl.")
    String backend;

    @Spec
    CommandSpec spec;

    private final CaseRunner injectedRunner;
    private final long heapBytes;
    private PrintWriter stdout;
    private PrintWriter stderr;

    /** The command as users run it: each case through the `sum` pipeline, sharing the JVM's heap. */
    public CohortCommand() {
        this(null, Runtime.getRuntime().maxMemory());
    }

    /** For tests: another case runner and heap size (streams are the command line's, see setOut/setErr). */
    public CohortCommand(CaseRunner runner, long heapBytes) {
        this.injectedRunner = runner;
        this.heapBytes = heapBytes;
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        stdout = spec.commandLine().getOut();
        stderr = spec.commandLine().getErr();
        CohortProgress progress = new CohortProgress(stderr, CohortProgress.onTerminal());
        CaseRunner runner = injectedRunner != null ? injectedRunner : new SumCaseRunner(progress);
        try {
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (n < 1) {
                throw new InvalidInputException("--threads", "must be at least 1, got " + n);
            }
            if (!BACKENDS.contains(backend)) {
                throw new InvalidInputException("--backend", "must be auto, scalar, vector or opencl, got \"" + backend + "\"");
            }
            if (!backend.equals("auto")) {
                // A forced backend that cannot start is a usage error for the whole cohort, not a failure per case.
                KernelProvider.Attempt attempt = KernelProvider.start(backend);
                if (attempt.kernels().isEmpty()) {
                    throw new InvalidInputException("--backend", attempt.reason());
                }
            }
            checkOutFolder();
            CaseDiscovery discovery = new CaseDiscovery();
            List<CohortCase> cases = discovery.discover(Path.of(input), input, out);
            for (String w : discovery.warnings()) {
                stderr.println("cohort: " + w);
            }
            CohortOutput.checkHoldsNoInput(out, out.toString(), Path.of(input), input, cases);
            planBackend(cases);
            try (CohortOutput held = CohortOutput.open(out, out.toString(), resume, cases)) {
                if (held.warning() != null) {
                    stderr.println(held.warning());
                }
                return runCases(cases, n, runner, progress, t0);
            }
        } catch (InvalidInputException e) {
            stderr.println("eqd2sum: error: " + dev.eqd2sum.io.PrintableLine.of(e.getMessage())); // a manifest cell may hold a line break
            return 2;
        } catch (IOException e) {
            stderr.println("eqd2sum: error: " + dev.eqd2sum.io.PrintableLine.of(out + ": cannot be created: "
                    + dev.eqd2sum.io.CannotWriteException.reason(e)));
            return 2;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    /** Runs the cases and writes the tables, holding the output folder. */
    private int runCases(List<CohortCase> cases, int n, CaseRunner runner, CohortProgress progress, long t0) {
        String version = Main.Version.version();
        CaseOptions options = new CaseOptions(noDose, backend);
        // no more run at once than there are cases, whatever --threads asked for
        int atATime = Math.max(1, Math.min(n, cases.size()));
        stderr.println("cohort: " + cases.size() + " cases, " + atATime + " at a time, heap "
                + (heapBytes >> 20) + " MiB" + (resume ? ", resuming" : ""));
        // the resume records name the build too: a snapshot's version stays the same from build to build
        String build = Main.Version.build();
        CohortRun run = new CohortRun(runner, options, "eqd2sum " + version + " (build " + build + ")", n, heapBytes,
                progress);
        Thread interrupted = interruptionNotice(progress);
        List<CaseOutcome> outcomes;
        try {
            outcomes = run.run(cases, out, resume);
            CohortTables.write(out, outcomes);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting (a signal): the notice is printing
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        CohortReport.write(out, input, outcomes, wall, version, build, options, n, heapBytes, run.timing(),
                selectedBackend());
        for (CaseOutcome o : outcomes) {
            if (o.bug() != null) {
                stderr.println("cohort: internal error in " + o.c().displayCaseFile() + " (a bug; please report it):");
                o.bug().printStackTrace(stderr);
            }
        }
        long failed = outcomes.stream().filter(o -> !o.hasOutputs()).count();
        long unchanged = outcomes.stream().filter(o -> o.status() == CaseOutcome.Status.UNCHANGED).count();
        stdout.printf(Locale.ROOT, "cohort: %d cases: %d succeeded%s, %d failed%s; %.1f s; results in %s%n",
                outcomes.size(), outcomes.size() - failed,
                unchanged > 0 ? " (" + unchanged + " unchanged, kept)" : "", failed,
                failed > 0 ? " (" + out.resolve(CohortTables.FAILURES) + ")" : "", wall, out);
        if (outcomes.stream().anyMatch(o -> o.bug() != null)) {
            return 1;
        }
        return failed > 0 ? 3 : 0;
    }

    private void checkOutFolder() throws IOException {
        if (Files.isDirectory(out) && Files.exists(Path.of(input)) && Files.isSameFile(out, Path.of(input))) {
            throw new InvalidInputException(out.toString(), "--out is the input folder itself; give a folder inside"
                    + " it or elsewhere");
        }
        CohortOutput.check(out, out.toString(), resume);
    }

    /**
     * A shutdown hook, registered while cases run and their tables are written, that says on stderr what a
     * signal (Ctrl-C, Slurm's SIGTERM at its time limit) left: without it the run ended with exit 130 or 143 and
     * no word. SIGKILL runs no hook; the outputs are safe either way (see CohortRun).
     */
    private Thread interruptionNotice(CohortProgress progress) {
        Thread t = new Thread(() -> progress.last("cohort: interrupted; the cases finished so far are kept in " + out
                + ": run the same command with --resume to continue (it writes the tables and cohort.json)"),
                "cohort-interrupted");
        Runtime.getRuntime().addShutdownHook(t);
        return t;
    }

    /**
     * The backend every case of this run selects (after {@link #planBackend}: the whole cohort's work decides
     * {@code auto}), named in cohort.json also when --resume kept every case and none ran.
     */
    private String selectedBackend() {
        return KernelProvider.select(backend, 0).name();
    }

    /** Same version line as {@code eqd2sum --version}, the build included. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new Main.Version().getVersion();
        }
    }

    /**
     * Lets {@code --backend auto} decide on the whole cohort's work (every case, also those a --resume keeps,
     * so that a resumed run chooses as the first did) rather than on each small case alone.
     */
    static void planBackend(List<CohortCase> cases) {
        KernelProvider.planRun(MemoryEstimate.voxelPasses(cases));
    }
}
