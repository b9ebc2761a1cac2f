package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The outputs a case wrote, as its {@link CaseInputs} record lists them after its inputs ({@value #PREFIX}{@code
 * <bytes> [sha256:<hex>] <file name>}, one line per file), so that {@code --resume} keeps a case only while they
 * are all still there as written: a case folder whose metrics.csv was deleted, cut short or edited would otherwise
 * be kept and its rows silently missing or changed in the cohort tables. The reports (JSON, CSV; the tables are read
 * from metrics.csv and constraints.json) are checked by their SHA-256; the RT Dose files, tens to hundreds of
 * megabytes in a study, by their size only.
 * Records written before the digests were listed are checked by size alone.
 */
public final class CaseOutputs {
    /** Starts each output line of a record (a comment line for sha256sum). */
    static final String PREFIX = "# output ";
    private static final Pattern LINE = Pattern.compile("# output (\\d+) (?:sha256:([0-9a-f]{64}) )?(.+)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CaseOutputs() {
    }

    /** The output lines for the files in {@code caseDir} (its record excepted), sorted by name. */
    static String describe(Path caseDir) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(caseDir)) {
            files = list.sorted().toList();
        }
        StringBuilder lines = new StringBuilder();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!name.equals(CaseInputs.FILE_NAME) && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                lines.append(PREFIX).append(Files.size(f)).append(' ');
                if (isReport(name)) {
                    lines.append("sha256:").append(sha256(f)).append(' ');
                }
                lines.append(name).append('\n');
            }
        }
        return lines.toString();
    }

    /** A stored record without its output lines: what {@link CaseInputs#describe} gives for unchanged inputs. */
    static String inputsOf(String record) {
        StringBuilder b = new StringBuilder(record.length());
        record.lines().filter(l -> !l.startsWith(PREFIX)).forEach(l -> b.append(l).append('\n'));
        return record.endsWith("\n") || record.isEmpty() ? b.toString() : b.substring(0, Math.max(0, b.length() - 1));
    }

    /**
     * Why the outputs a stored record lists are not all in {@code caseDir} as written (each file there, of its
     * size; metrics.csv with its header, constraints.json readable), or null when they are.
     */
    static String problem(String record, Path caseDir) {
        int listed = 0;
        for (String line : record.lines().filter(l -> l.startsWith(PREFIX)).toList()) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                return "its record has a damaged output line";
            }
            listed++;
            String name = m.group(3);
            Path file = caseDir.resolve(name);
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    return name + " is missing";
                }
                if (Files.size(file) != Long.parseLong(m.group(1))) {
                    return name + " is not the file the case wrote (" + Files.size(file) + " bytes, not "
                            + m.group(1) + ")";
                }
                if (m.group(2) != null && !m.group(2).equals(sha256(file))) {
                    return name + " is not the file the case wrote (edited: its SHA-256 differs)";
                }
            } catch (NoSuchFileException e) {
                return name + " is missing";
            } catch (IOException | UncheckedIOException | NumberFormatException e) {
                return name + " cannot be read";
            }
            if (name.equals("metrics.csv")) {
                String why = CohortTables.metricsProblem(file);
                if (why != null) {
                    return name + " " + why;
                }
            } else if (name.equals("constraints.json") && !constraintsReadable(file)) {
                return name + " is not the file the case wrote (not JSON with a \"constraints\" list)";
            }
        }
        return listed == 0 ? "its record lists no outputs (written by an earlier version)" : null;
    }

    /** The reports the cohort tables are read from, or that a person reads: kB to a few MB, their digest is cheap. */
    private static boolean isReport(String name) {
        return name.endsWith(".json") || name.endsWith(".csv");
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = Sha256Files.newDigest();
        Sha256Files.update(md, file);
        return HexFormat.of().formatHex(md.digest());
    }

    private static boolean constraintsReadable(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            return root != null && root.path("constraints").isArray();
        } catch (IOException e) {
            return false;
        }
    }
}
