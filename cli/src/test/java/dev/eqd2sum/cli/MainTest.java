package dev.eqd2sum.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's contract: exit statuses and one error line. */
class MainTest {
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertThat(v.status()).isZero();
        assertThat(v.out().strip()).matches("eqd2sum \\S+ \\(build [0-9a-f]{12}\\)");
        assertThat(run("cohort", "--version").out()).isEqualTo(v.out());
        Run h = run("--help");
        assertThat(h.status()).isZero();
        assertThat(h.out()).contains("eqd2sum demo --out demo-out").contains("Exit status");
    }

    @Test
    void helpTeachesWithExamplesThatFitATerminal() {
        for (String command : new String[] {"sum", "demo"}) {
            Run h = run(command, "--help");
            assertThat(h.status()).isZero();
            assertThat(h.out()).contains("Examples:").contains("eqd2sum " + command + " ");
            assertThat(h.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        }
        assertThat(run("sum", "--help").out()).contains("\"forgiveness\": \"nelson2009\"").contains("Exit status");
        assertThat(run("help", "demo").out()).contains("27 Gy in 3 fractions");
    }

    @Test
    void usageErrorsAreOneLineWithStatus2() {
        Run none = run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err().lines().toList()).hasSize(1);
        assertThat(none.err()).startsWith("eqd2sum: error: command line: no command given");
        Run unknown = run("--frobnicate");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err().lines().toList()).hasSize(1);
        assertThat(unknown.err()).startsWith("eqd2sum: error: command line: ").contains("--frobnicate");
        Run noOut = run("sum", "case.json");
        assertThat(noOut.status()).isEqualTo(2);
        assertThat(noOut.err()).isEqualTo("eqd2sum: error: command line: Missing required option: '--out=DIR'"
                + " (see 'eqd2sum sum --help')" + System.lineSeparator());
    }

    @picocli.CommandLine.Command(name = "boom")
    static final class Boom implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Option(names = "--bad-input")
        boolean badInput;

        @Override
        public Integer call() {
            if (badInput) {
                throw new dev.eqd2sum.engine.InvalidInputException("pt/RD.dcm", "is an RT Structure Set,\nnot an RT Dose");
            }
            throw new IllegalStateException("a bug");
        }
    }

    @Test
    void badInputIsStatus2AndABugIsStatus1WithItsStackTrace() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        picocli.CommandLine cl = Main.commandLine(new PrintStream(new ByteArrayOutputStream()), e);
        cl.addSubcommand(new Boom());
        assertThat(cl.execute("boom", "--bad-input")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("eqd2sum: error: pt/RD.dcm: is an RT Structure Set, not an RT Dose" + System.lineSeparator());
        err.reset();
        assertThat(cl.execute("boom")).isEqualTo(1);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.getFirst()).contains("IllegalStateException: a bug");
        assertThat(lines.getLast()).startsWith("eqd2sum: error: internal error").contains("a bug");
        assertThat(lines.stream().filter(l -> l.startsWith("eqd2sum: error: "))).hasSize(1);
    }

    @Test
    void multiLineMessagesBecomeOneLine() {
        assertThat(Main.oneLine("a\n  b\r\nc ")).isEqualTo("a b c");
    }
}
