package dev.eqd2sum.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The picocli-free reading of a plain {@code sum} command line against picocli's own parse (the reference). */
class PlainSumArgumentsTest {
    /** Tokens that make plain command lines and every kind that must be left to picocli. */
    private static final List<String> TOKENS = List.of("sum", "case.json", "my case.json", "other.json", "a=b.json",
            "--out", "out", "--out=res", "--out=", "--backend", "vector", "--backend=scalar", "--overwrite",
            "--quiet", "--fail-on-constraint", "--quiet=true", "--overwrite=false", "--", "-h", "--help", "-V",
            "--version", "--outx", "--ou", "-q", "@args.txt", "", "\"quoted\"", "'single'", "-", "demo", "help");

    /** Values as they come: plain ones, and ones picocli reads in its own way. */
    private static final List<String> VALUES = List.of("case.json", "my case.json", "a=b.json", "demo", "help", "sum",
            "vector", "pt017/résumé.json", "--quiet", "-x", "", "@f", "\"q\"", "=x", "--out");

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> value = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(VALUES.subList(0, 8))),
                Tuple.of(1, Arbitraries.of(VALUES.subList(8, VALUES.size()))));
        Arbitrary<List<String>> group = Arbitraries.frequencyOf(
                Tuple.of(4, value.map(List::of)),
                Tuple.of(3, value.map(v -> List.of("--out", v))), Tuple.of(1, value.map(v -> List.of("--out=" + v))),
                Tuple.of(1, value.map(v -> List.of("--backend", v))),
                Tuple.of(1, value.map(v -> List.of("--backend=" + v))),
                Tuple.of(2, Arbitraries.of("--overwrite", "--quiet", "--fail-on-constraint").map(List::of)),
                Tuple.of(1, Arbitraries.of(TOKENS).map(List::of)));
        Arbitrary<List<String>> groups = group.list().ofMaxSize(6).map(gs -> {
            List<String> l = new ArrayList<>();
            gs.forEach(l::addAll);
            return l;
        });
        return Arbitraries.oneOf(groups.map(r -> {
            List<String> l = new ArrayList<>(r);
            l.addFirst("sum");
            return l;
        }), groups);
    }

    @Property(tries = 3000)
    void whateverItAcceptsPicocliParsesTheSame(@ForAll("commandLines") List<String> args) {
        String[] a = args.toArray(String[]::new);
        SumCommand plain = PlainSumArguments.parse(a);
        Statistics.label("accepted").collect(plain != null);
        if (plain == null) {
            return;
        }
        SumCommand reference = picocli(a);
        assertThat(plain).usingRecursiveComparison().ignoringFields("main").isEqualTo(reference);
    }

    @Test
    void acceptsEveryPlainFormInAnyOrder() {
        Random random = new Random(7);
        List<List<String>> groups = List.of(List.of("pt 017/case.json"), List.of("--out", "result dir"),
                List.of("--backend=vector"), List.of("--overwrite"), List.of("--quiet"), List.of("--fail-on-constraint"));
        for (int trial = 0; trial < 200; trial++) {
            List<List<String>> chosen = new ArrayList<>(groups.subList(0, 2));
            for (List<String> g : groups.subList(2, groups.size())) {
                if (random.nextBoolean()) {
                    chosen.add(g);
                }
            }
            Collections.shuffle(chosen, random);
            List<String> args = new ArrayList<>(List.of("sum"));
            chosen.forEach(args::addAll);
            String[] a = args.toArray(String[]::new);
            SumCommand plain = PlainSumArguments.parse(a);
            assertThat(plain).as("%s", args).isNotNull();
            assertThat(plain).usingRecursiveComparison().ignoringFields("main").isEqualTo(picocli(a));
        }
    }

    @Test
    void leavesUsageErrorsAndHelpToPicocli() {
        for (String[] a : new String[][] {{"sum"}, {"sum", "case.json"}, {"sum", "--out", "x"},
                {"sum", "case.json", "--out"}, {"sum", "case.json", "--out", "x", "--out", "y"},
                {"sum", "case.json", "--out", "x", "--quiet", "--quiet"}, {"sum", "case.json", "--out", "x", "--help"},
                {"sum", "a.json", "b.json", "--out", "x"}, {"sum", "case.json", "--out", "--quiet"},
                {"sum", "case.json", "--out", "x", "--backend"}, {"sum", "@more", "--out", "x"},
                {"demo", "--out", "x"}, {"sum", "case.json", "--out", "x", "--"}}) {
            assertThat(PlainSumArguments.parse(a)).as("%s", List.of(a)).isNull();
        }
    }

    private static SumCommand picocli(String[] args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine cl = Main.commandLine(sink, sink);
        CommandLine.ParseResult[] result = new CommandLine.ParseResult[1];
        assertThatCode(() -> result[0] = cl.parseArgs(args)).as("picocli parses %s", List.of(args))
                .doesNotThrowAnyException();
        CommandLine.ParseResult sub = result[0].subcommand();
        assertThat(sub).as("a subcommand in %s", List.of(args)).isNotNull();
        assertThat(sub.isUsageHelpRequested() || sub.isVersionHelpRequested()).isFalse();
        return (SumCommand) sub.commandSpec().userObject();
    }
}
