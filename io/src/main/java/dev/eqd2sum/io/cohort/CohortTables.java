package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * <li>{@value #CONSTRAINTS}: one row per entry of every case's constraints.json;</li>
 * <li>{@value #FAILURES}: {@code case,error} for each failed case, the line {@code sum} would print.</li>
 * </ul>
 * Each file is written beside its final name and renamed into place.
 */
public final class CohortTables {
    public static final String METRICS = "cohort-metrics.csv";
    public static final String CONSTRAINTS = "cohort-constraints.csv";
    public static final String FAILURES = "failures.csv";
    public static final String METRICS_HEADER = "case_id,structure,alpha_beta,statistic,unit,scope,value";
    public static final String CONSTRAINTS_HEADER =
            "case_id,id,structure,metric,alpha_beta,scope,method,value,limit,comparator,status,reason";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CohortTables() {
    }

    public static void write(Path outDir, List<CaseOutcome> outcomes) {
        StringBuilder metrics = new StringBuilder(METRICS_HEADER).append('\n');
        StringBuilder constraints = new StringBuilder(CONSTRAINTS_HEADER).append('\n');
        StringBuilder failures = new StringBuilder("case,error\n");
        for (CaseOutcome o : outcomes) {
            if (!o.hasOutputs()) {
                failures.append(Csv.row(List.of(o.c().label(), o.errorLine())));
                continue;
            }
            Path caseDir = outDir.resolve(o.c().folderName());
            appendMetrics(caseDir.resolve("metrics.csv"), metrics);
            appendConstraints(o.c().caseId(), caseDir.resolve("constraints.json"), constraints);
        }
        writeAtomically(outDir.resolve(METRICS), metrics.toString());
        writeAtomically(outDir.resolve(CONSTRAINTS), constraints.toString());
        writeAtomically(outDir.resolve(FAILURES), failures.toString());
    }

    private static void appendMetrics(Path file, StringBuilder out) {
        if (!Files.exists(file)) {
            return; // a case without structures has no statistics
        }
        String text = read(file);
        int firstLineEnd = text.indexOf('\n');
        String header = (firstLineEnd < 0 ? text : text.substring(0, firstLineEnd)).strip();
        if (!header.equals(METRICS_HEADER)) {
            throw new IllegalStateException(file + " has the header \"" + header + "\", expected " + METRICS_HEADER);
        }
        if (firstLineEnd < 0 || firstLineEnd == text.length() - 1) {
            return;
        }
        String rows = text.substring(firstLineEnd + 1);
        out.append(rows);
        if (!rows.endsWith("\n")) {
            out.append('\n');
        }
    }

    private static void appendConstraints(String caseId, Path file, StringBuilder out) {
        if (!Files.exists(file)) {
            return; // no constraints asked for
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (JsonNode c : root.path("constraints")) {
            List<String> row = new ArrayList<>(12);
            row.add(caseId);
            row.add(text(c, "id"));
            row.add(text(c, "structure"));
            row.add(text(c, "metric"));
            row.add(number(c, "alphaBeta"));
            row.add(text(c, "scope"));
            row.add(text(c, "method"));
            row.add(number(c, "value"));
            row.add(number(c, "limit"));
            row.add(text(c, "comparator"));
            row.add(text(c, "status"));
            row.add(text(c, "reason"));
            out.append(Csv.row(row));
        }
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

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
