package dev.eqd2sum.io.cohort;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** RFC 4180 CSV: the cohort tables are written with it and manifests are read with it. */
public final class Csv {
    private Csv() {
    }

    /** One record, CRLF-free: fields quoted only when they hold a comma, quote or line break. */
    public static String row(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(fields.get(i)));
        }
        return b.append('\n').toString();
    }

    public static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** A number as metrics.csv writes it: Locale.ROOT, 4 decimals, no "-0.0000"; empty when undefined. */
    public static String number(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return "";
        }
        String s = String.format(Locale.ROOT, "%.4f", value);
        return s.equals("-0.0000") ? "0.0000" : s;
    }

    /**
     * Parses CSV text into records (CRLF or LF line ends, quoted fields with doubled quotes and line breaks).
     *
     * @throws IllegalArgumentException with a sentence for the user when a quoted field is not closed
     */
    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int quoteLine = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                fieldStarted = true;
                quoteLine = line;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line++;
                if (fieldStarted || !field.isEmpty() || !record.isEmpty()) {
                    record.add(field.toString());
                }
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("the quoted field starting on line " + quoteLine + " is not closed");
        }
        if (fieldStarted || !field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
