package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.constraint.ConstraintEvaluator;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The cohort's tables, built from the case folders in case order (so a resumed run, whose unchanged cases were
 * not recomputed, writes the same bytes as an uninterrupted one):
 * <ul>
 * <li>{@value #METRICS}: every case's metrics.csv rows under one header, verbatim;</li>
 * <li>{@value #CONSTRAINTS}: one row per entry of every case's constraints.json: CONTRACT's columns, then the
 * limit's {@code unit} (a V20Gy limit in % and one in cc differ only there); {@code structure} is the structure the
 * constraint names also when the case lacks it (constraints.json then has it only in the reason);</li>
 * <li>{@value #FAILURES}: {@code case,error} for each failed case, the line {@code sum} would print.</li>
 * </ul>
 * Each file is streamed, case by case, into a file beside its final name and renamed into place.
 */
public final class CohortTables {
    public static final String METRICS = "cohort-metrics.csv";
    public static final String CONSTRAINTS = "cohort-constraints.csv";
    public static final String FAILURES = "failures.csv";
    public static final String METRICS_HEADER = "case_id,structure,alpha_beta,statistic,unit,scope,value";
    public static final String CONSTRAINTS_HEADER =
            "case_id,id,structure,metric,alpha_beta,scope,method,value,limit,comparator,status,reason,unit";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Longer than any right header: a first line this long is not read further. */
    private static final int MAX_HEADER_CHARS = 4096;

    private CohortTables() {
    }

    /**
     * Writes the three tables, streaming each case's rows from its folder into the files (the memory used does not
     * grow with the number of cases), each beside its final name and renamed into place once complete.
     *
     * @throws InvalidInputException when a case folder's metrics.csv or constraints.json is not what the case
     *                               wrote (changed while the cohort ran)
     */
    public static void write(Path outDir, List<CaseOutcome> outcomes) {
        Path metricsFile = outDir.resolve(METRICS);
        Path constraintsFile = outDir.resolve(CONSTRAINTS);
        Path failuresFile = outDir.resolve(FAILURES);
        List<Path> temporary = List.of(temporary(metricsFile), temporary(constraintsFile), temporary(failuresFile));
        Path writing = metricsFile;
        try {
            try (Writer metrics = newWriter(temporary.get(0));
                 Writer constraints = newWriter(temporary.get(1));
                 Writer failures = newWriter(temporary.get(2))) {
                metrics.write(METRICS_HEADER + "\n");
                constraints.write(CONSTRAINTS_HEADER + "\n");
                failures.write("case,error\n");
                for (CaseOutcome o : outcomes) {
                    if (!o.hasOutputs()) {
                        writing = failuresFile;
                        failures.write(Csv.row(List.of(o.c().label(), o.errorLine())));
                        continue;
                    }
                    Path caseDir = outDir.resolve(o.c().folderName());
                    writing = metricsFile;
                    appendMetrics(caseDir.resolve("metrics.csv"), metrics);
                    writing = constraintsFile;
                    appendConstraints(o.c().caseId(), caseDir.resolve("constraints.json"), constraints);
                }
            }
            writing = metricsFile;
            Files.move(temporary.get(0), metricsFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            writing = constraintsFile;
            Files.move(temporary.get(1), constraintsFile, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            writing = failuresFile;
            Files.move(temporary.get(2), failuresFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot write " + writing, e);
        } catch (RuntimeException e) {
            deleteQuietly(temporary);
            throw e;
        }
    }

    /** Removes the cohort-level files an earlier run wrote: the three tables and cohort.json. */
    static void removeAll(Path outDir) {
        for (String name : List.of(METRICS, CONSTRAINTS, FAILURES, CohortReport.FILE_NAME)) {
            Path file = outDir.resolve(name);
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(temporary(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the earlier run's " + file, e);
            }
        }
    }

    /**
     * What a case's metrics.csv says is right for the table: null, or why not (it is what {@link #write} refuses).
     * A missing file is right (a case without structures has no statistics).
     */
    public static String metricsProblem(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = readHeader(in);
            return header.equals(METRICS_HEADER) ? null : headerProblem(header);
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    /** Copies the rows of a case's metrics.csv, verbatim, each ending in a line feed. */
    private static void appendMetrics(Path file, Writer out) throws IOException {
        if (!Files.exists(file)) {
            return; // a case without structures has no statistics
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = readHeader(in);
            if (!header.equals(METRICS_HEADER)) {
                throw new InvalidInputException(file.toString(), headerProblem(header)
                        + " (it changed while the cohort ran?); run the cohort again with --resume");
            }
            char[] buffer = new char[8192];
            int last = -1;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                last = buffer[n - 1];
            }
            if (last >= 0 && last != '\n') {
                out.write('\n');
            }
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file.toString(), "is not UTF-8 text (it changed while the cohort ran?);"
                    + " run the cohort again with --resume");
        }
    }

    /**
     * The first line, stripped; reading stops after it (or after {@value #MAX_HEADER_CHARS} characters, which no
     * right header has).
     */
    private static String readHeader(Reader in) throws IOException {
        StringBuilder header = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (header.length() > MAX_HEADER_CHARS) {
                break;
            }
            header.append((char) c);
        }
        return header.toString().strip();
    }

    private static String headerProblem(String header) {
        String shown = header.length() > 80 ? header.substring(0, 80) + "..." : header;
        return "has the header \"" + shown + "\", expected " + METRICS_HEADER;
    }

    private static void appendConstraints(String caseId, Path file, Writer out) throws IOException {
        if (!Files.exists(file)) {
            return; // no constraints asked for
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(file.toString(), "is not valid JSON (it changed while the cohort ran?);"
                    + " run the cohort again with --resume");
        }
        for (JsonNode c : root.path("constraints")) {
            List<String> row = new ArrayList<>(13);
            row.add(caseId);
            row.add(text(c, "id"));
            row.add(structure(c));
            row.add(text(c, "metric"));
            row.add(number(c, "alphaBeta"));
            row.add(text(c, "scope"));
            row.add(text(c, "method"));
            String[] valueAndLimit = valueAndLimit(c);
            row.add(valueAndLimit[0]);
            row.add(valueAndLimit[1]);
            row.add(text(c, "comparator"));
            row.add(text(c, "status"));
            row.add(text(c, "reason"));
            row.add(text(c, "unit"));
            out.write(Csv.row(row));
        }
    }

    /**
     * The structure evaluated, or the one the constraint names when the case lacks it: constraints.json says that
     * name only in the reason, so a table read alone would not tell which organ went unevaluated.
     */
    private static String structure(JsonNode c) {
        String evaluated = text(c, "structure");
        String reason = text(c, "reason");
        if (evaluated.isEmpty() && reason.startsWith(ConstraintEvaluator.MISSING_STRUCTURE_REASON)) {
            return reason.substring(ConstraintEvaluator.MISSING_STRUCTURE_REASON.length());
        }
        return evaluated;
    }

    /**
     * Value and limit to 4 decimals as every number of the tables, unless that misreads them: a limit with more
     * decimals keeps them all, and a value 4 decimals would put on the other side of its limit (49.99996 against
     * "< 50") is written as constraints.json has it, so that a script re-checking a row agrees with its status.
     */
    private static String[] valueAndLimit(JsonNode c) {
        String value = number(c, "value");
        String limit = number(c, "limit");
        JsonNode v = c.get("value");
        JsonNode l = c.get("limit");
        if (l != null && l.isNumber() && Double.parseDouble(limit) != l.asDouble()) {
            limit = l.asText();
        }
        java.util.Optional<dev.eqd2sum.engine.constraint.Comparison> cmp =
                dev.eqd2sum.engine.constraint.Comparison.fromSymbol(text(c, "comparator"));
        if (v != null && v.isNumber() && l != null && l.isNumber() && cmp.isPresent()
                && !cmp.get().readsAlike(Double.parseDouble(value), v.asDouble(), l.asDouble())) {
            value = v.asText();
        }
        return new String[] {value, limit};
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static String number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        return v.isNumber() ? Csv.number(v.asDouble()) : v.asText();
    }

    private static Path temporary(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".tmp");
    }

    private static Writer newWriter(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // the failure reported is the first one
            }
        }
    }

    static void writeAtomically(Path file, String text) {
        Path tmp = temporary(file);
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
