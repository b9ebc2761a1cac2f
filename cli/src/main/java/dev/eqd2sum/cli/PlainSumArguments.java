package dev.eqd2sum.cli;

import java.util.HashSet;
import java.util.Set;

/**
 * The common form of {@code eqd2sum sum}, read without picocli: {@code sum CASE.json --out DIR} with any of
 * {@code --overwrite}, {@code --quiet}, {@code --fail-on-constraint} and {@code --backend B} (also as
 * {@code --out=DIR}, {@code --backend=B}), each at most once, in any order.
 *
 * <p>Why: in a fresh JVM, picocli takes about 0.1 s to build its model of the five commands and parse; without
 * it the std case ran 1.04 s instead of 1.085 s (median of 20 alternating runs, CPU 1.52 s instead of 1.61 s;
 * bench/RESULTS.md, section 4). Anything else (help, version, an unknown or repeated
 * option, a missing or empty value, a value or case file starting with '-' or '@', "--", a second case file)
 * is left to picocli, so usage errors and help read exactly as before. A test checks that whatever is
 * accepted here gives the same command as picocli's parse of the same arguments.
 */
final class PlainSumArguments {
    private PlainSumArguments() {
    }

    /** The command with its fields set as picocli would set them, or null where picocli must parse. */
    static SumCommand parse(String[] args) {
        if (args.length < 2 || !"sum".equals(args[0])) {
            return null;
        }
        SumCommand sum = new SumCommand();
        sum.backend = "auto";
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!plain(a) && !a.startsWith("--")) {
                return null;
            }
            if (!a.startsWith("--")) {
                if (sum.caseFile != null) {
                    return null;
                }
                sum.caseFile = a;
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (!seen.add(name)) {
                return null;
            }
            switch (name) {
                case "--out", "--backend" -> {
                    String value;
                    if (eq >= 0) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        return null;
                    }
                    if (!plain(value)) {
                        return null;
                    }
                    if (name.equals("--out")) {
                        sum.out = value;
                    } else {
                        sum.backend = value;
                    }
                }
                case "--overwrite", "--quiet", "--fail-on-constraint" -> {
                    if (eq >= 0) {
                        return null;
                    }
                    switch (name) {
                        case "--overwrite" -> sum.overwrite = true;
                        case "--quiet" -> sum.quiet = true;
                        default -> sum.failOnConstraint = true;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return sum.caseFile != null && sum.out != null ? sum : null;
    }

    /** A value picocli takes as it is: not empty, not option-like, not an @-file, no surrounding quotes. */
    private static boolean plain(String s) {
        return !s.isEmpty() && s.charAt(0) != '-' && s.charAt(0) != '@' && s.charAt(0) != '"'
                && s.charAt(0) != '\'';
    }
}
