package dev.eqd2sum.cli;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.plansum.MemoryNeed;
import dev.eqd2sum.engine.plansum.PlanSum;
import dev.eqd2sum.io.PrintableLine;
import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.cohort.BuildFingerprint;
import dev.eqd2sum.io.report.CaseResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code eqd2sum} command. Errors are one line, {@code eqd2sum: error: <source>: <problem>},
 * with exit status 2 for bad input or usage and 1 for an internal error (a bug: the stack trace is printed
 * before the line).
 */
@Command(name = "eqd2sum", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Voxel-wise EQD2 plan sums, DVHs and reirradiation constraint checks from DICOM RT.",
                "",
                "Every voxel of every course's dose grid is converted to EQD2 (linear-quadratic model),"
                        + " prior courses are reduced for repair (forgiveness), and the courses are added voxel"
                        + " by voxel; statistics and the published spine reirradiation limits are computed from"
                        + " that sum, with the classic per-course 'summary' sum beside them."},
        footerHeading = "%nFirst steps:%n",
        footer = {"  eqd2sum demo --out demo-out          generate a spine reirradiation case, sum it, show the table",
                "  eqd2sum sum case.json --out result   sum your own case (see 'eqd2sum help sum')",
                "  eqd2sum inspect RD.dcm RS.dcm        summarise DICOM RT files",
                "",
                "Exit status: 0 success, 2 bad input or usage, 1 internal error, 3 cohort with failed cases,",
                "4 a constraint failed and --fail-on-constraint was given."},
        subcommands = {CommandLine.HelpCommand.class, SumCommand.class, DemoCommand.class, InspectCommand.class,
                dev.eqd2sum.cli.cohort.CohortCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_CONSTRAINT_FAILED = 4;
    static final String ERROR_PREFIX = "eqd2sum: error: ";

    @Spec
    CommandSpec spec;

    /** The streams subcommands print to (tests pass their own). */
    final PrintStream out;
    final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("sum") || args[0].equals("cohort"))) {
            // the case file's JSON reader, and OpenSSL for the inputs' SHA-256 (linked and self-tested), get ready
            // on the other core while the command line is read (picocli builds its model in ~0.1 s; a plain sum
            // is read without it) and the case file is opened
            Thread.ofPlatform().daemon().name("eqd2sum-prepare").start(new Prepare());
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * What the other core does while the command line is read. A class, not a lambda: the start-up cache's training
     * (demo) never starts it, and the first lambda spun in a fresh JVM cost the main thread about 25 ms.
     */
    private static final class Prepare implements Runnable {
        @Override
        public void run() {
            CaseFileReader.prepare();
            Sha256.prepare();
            Version.build();
        }
    }

    /**
     * Runs the command line with the given streams; returns the exit status. A plain {@code sum} (see
     * {@link PlainSumArguments}) runs without picocli, with the same errors and exit statuses.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SumCommand plain = PlainSumArguments.parse(args);
        if (plain == null) {
            CommandLine cl = commandLine(out, err);
            try {
                return cl.execute(args);
            } catch (OutOfMemoryError e) {
                // picocli hands only Exceptions to the handler; an Error leaves execute()
                return outOfMemory(Subject.of(innermost(cl)), out, err);
            }
        }
        plain.main = new Main(out, err);
        try {
            int status = plain.call();
            out.flush();
            return status;
        } catch (Exception ex) {
            return failed(ex, new Subject(plain.caseFile, plain.out), out, err);
        } catch (OutOfMemoryError e) {
            return outOfMemory(new Subject(plain.caseFile, plain.out), out, err);
        }
    }

    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(out, err));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((ex, args) -> {
            String command = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(ERROR_PREFIX + "command line: " + oneLine(ex.getMessage()) + " (see '" + command
                    + " --help')");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                failed(ex, Subject.of(commandLine.getParseResult()), out, err));
        return cl;
    }

    /** The parse result of the subcommand that ran (sum, demo, cohort, ...), or null before parsing. */
    private static CommandLine.ParseResult innermost(CommandLine cl) {
        CommandLine.ParseResult r = cl.getParseResult();
        while (r != null && r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r;
    }

    /**
     * What a failed command was working on, for its error line: the case file (or other first argument) and the
     * output folder, as the user typed them; either may be null.
     */
    record Subject(String input, String outFolder) {
        static Subject of(CommandLine.ParseResult r) {
            if (r == null) {
                return new Subject(null, null);
            }
            Object first = r.hasMatchedPositional(0) ? r.matchedPositionalValue(0, (Object) null) : null;
            // inspect's files are a list: no one of them is what the command was working on
            String input = first == null || first instanceof java.util.Collection<?> ? null : String.valueOf(first);
            Object folder = r.hasMatchedOption("--out") ? r.matchedOptionValue("--out", (Object) null) : null;
            return new Subject(input, folder == null ? null : folder.toString());
        }

        /** The case file, else the output folder, else the tool: what the line starts with. */
        String name() {
            return input != null ? input : outFolder != null ? outFolder : "eqd2sum";
        }
    }

    /** What a command threw, as the user sees it: one line, and the exit status. */
    private static int failed(Exception ex, Subject subject, PrintStream out, PrintStream err) {
        out.flush();
        if (ex instanceof InvalidInputException bad) {
            err.println(ERROR_PREFIX + oneLine(bad.getMessage()));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        String io = IoFailure.describe(ex, subject.outFolder());
        if (io != null) {
            // a full disk, a missing permission, a vanished folder: the environment, not a bug
            err.println(ERROR_PREFIX + oneLine(io));
            err.flush();
            return EXIT_BAD_INPUT;
        }
        ex.printStackTrace(err);
        err.println(ERROR_PREFIX + "internal error (a bug; please report it with the lines above): "
                + oneLine(String.valueOf(ex)));
        err.flush();
        return EXIT_INTERNAL;
    }

    /**
     * The last resort when a case did not fit after all ({@link CaseRunner} refuses one whose grids certainly do
     * not): one line naming the case and the heap. The error's stack has been unwound by now, so the case's arrays
     * are garbage and the line can be made.
     */
    private static int outOfMemory(Subject subject, PrintStream out, PrintStream err) {
        out.flush();
        long heap = Runtime.getRuntime().maxMemory();
        err.println(ERROR_PREFIX + oneLine(subject.name() + ": ran out of memory (this Java heap is "
                + MemoryNeed.size(heap) + "); use a coarser outputGrid.spacingMm, or a larger heap: EQD2SUM_JAVA_OPTS=-Xmx"
                + MemoryNeed.largerHeapOption(heap, 0) + " ./eqd2sum ..."));
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /** Error output is one printable line ({@link PrintableLine}): joined lines, control characters escaped. */
    static String oneLine(String s) {
        return PrintableLine.of(s);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "no command given: use sum, cohort, demo or inspect (eqd2sum --help lists them)");
    }

    /** Version from the jar manifest (or "dev" when run from classes). */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"eqd2sum " + version() + " (build " + build() + ")"};
        }

        /** The bare version ({@code 0.1.0-SNAPSHOT}), as dvh.json and cohort.json write it. */
        public static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }

        /**
         * Which build runs: the fingerprint of eqd2sum's own jars (cli, io, engine), made once per process. A
         * snapshot's version stays the same from build to build, so dvh.json, cohort.json and the resume records
         * name this too.
         */
        public static String build() {
            return Build.FINGERPRINT;
        }

        /** Holds the fingerprint: made when first asked for (a one-case run asks on the prepare thread). */
        private static final class Build {
            static final String FINGERPRINT = BuildFingerprint.of(Main.class, CaseResult.class, PlanSum.class);
        }
    }
}
