package dev.eqd2sum.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
        assertThat(v.out()).startsWith("eqd2sum ");
        Run h = run("--help");
        assertThat(h.status()).isZero();
        assertThat(h.out()).contains("eqd2sum demo --out demo-out").contains("Exit status");
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
    }

    @Test
    void multiLineMessagesBecomeOneLine() {
        assertThat(Main.oneLine("a\n  b\r\nc ")).isEqualTo("a b c");
    }
}
