package dev.eqd2sum.io.casefile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.lq.Eqd2;
import dev.eqd2sum.io.dicom.Part10;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads small JSON input files (cases, constraint sets) strictly: duplicate keys, trailing content and
 * unknown fields are errors, and every error names the file and the field path
 * ({@code pt017/case.json: courses[1].fractions}). The tree is walked by hand rather than bound to classes
 * so each rule can say exactly which field is wrong and what was expected.
 */
final class StrictJson {
    /** Case and constraint files are hand-written and small; anything larger is not one. */
    static final long MAX_BYTES = 4L << 20;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private StrictJson() {
    }

    static JsonNode read(Path file, String display) {
        try {
            if (Files.isDirectory(file)) {
                throw new InvalidInputException(display, "is a folder, not a JSON file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new InvalidInputException(display, "is " + size + " bytes; a JSON input file is at most "
                        + MAX_BYTES + " bytes");
            }
            return parse(Files.readAllBytes(file), display);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(display, "file not found");
        } catch (IOException e) {
            throw new InvalidInputException(display, "cannot be read: " + e.getMessage());
        }
    }

    static JsonNode parse(byte[] bytes, String display) {
        String notText = notJsonText(bytes);
        if (notText != null) {
            throw new InvalidInputException(display, notText);
        }
        try {
            JsonNode root = MAPPER.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new InvalidInputException(display, "is empty, expected a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(display, syntaxError(e, bytes));
        } catch (CharConversionException e) {
            // Jackson guessed UTF-16/32 from the first bytes and then met bytes that are no such text.
            throw new InvalidInputException(display, "is not a JSON text file (binary content)");
        } catch (IOException e) {
            throw new InvalidInputException(display, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * Why the bytes cannot be a JSON text file (a DICOM file given where the case file belongs, other binary), or
     * null. Checked before parsing because Jackson would read a DICOM preamble's zeros as UTF-32 and report a
     * character-set error.
     */
    static String notJsonText(byte[] bytes) {
        if (Part10.hasMarker(bytes)) {
            return "is not a JSON file: it looks like a DICOM file (DICM at byte 128)";
        }
        if (wideText(bytes)) {
            return null;
        }
        for (byte b : bytes) {
            if (b == 0) {
                return "is not a JSON text file (binary content)";
            }
        }
        return null;
    }

    /**
     * UTF-16 or UTF-32 text, which Jackson reads (RFC 4627 detection: a byte-order mark, or the zero bytes around
     * the first character, which in a JSON file is '{', '[' or white space); such text holds zero bytes anyway.
     */
    private static boolean wideText(byte[] b) {
        if (b.length >= 2 && ((b[0] == (byte) 0xFE && b[1] == (byte) 0xFF) || (b[0] == (byte) 0xFF && b[1] == (byte) 0xFE))) {
            return true;
        }
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == (byte) 0xFE && b[3] == (byte) 0xFF) {
            return true;
        }
        if (b.length < 4) {
            return false;
        }
        return (b[0] == 0 && b[1] == 0 && b[2] == 0 && opensJson(b[3]))     // UTF-32BE
                || (opensJson(b[0]) && b[1] == 0 && b[2] == 0 && b[3] == 0) // UTF-32LE
                || (b[0] == 0 && opensJson(b[1]) && b[2] == 0)              // UTF-16BE
                || (opensJson(b[0]) && b[1] == 0 && b[3] == 0);             // UTF-16LE
    }

    private static boolean opensJson(byte b) {
        return b == '{' || b == '[' || b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** "is not valid JSON at line L, column C: <the problem in plain words>". */
    static String syntaxError(JsonProcessingException e, byte[] bytes) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        JsonLocation loc = e.getLocation();
        String where = loc == null || loc.getLineNr() < 1 ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        String problem;
        Matcher m;
        if (message.startsWith("Trailing token")) {
            problem = "more content after the end of the JSON " + (firstNonBlank(bytes) == '{' ? "object" : "value");
        } else if ((m = Pattern.compile("^Non-standard token '([^']*)'").matcher(message)).find()) {
            problem = m.group(1) + " is not a JSON number";
        } else if (message.contains("maybe a (non-standard) comment?")) {
            problem = "comments are not allowed in JSON";
        } else if ((m = Pattern.compile("^Document nesting depth \\(\\d+\\) exceeds the maximum allowed \\((\\d+)")
                .matcher(message)).find()) {
            int limit = Integer.parseInt(m.group(1));
            problem = "nested deeper than " + limit + " levels";
            if (where.isEmpty()) {
                where = nestingLocation(bytes, limit);
            }
        } else if ((m = Pattern.compile("^Number value length \\(\\d+\\) exceeds the maximum allowed \\((\\d+)")
                .matcher(message)).find()) {
            problem = "a number has more than " + m.group(1) + " digits";
        } else if ((m = Pattern.compile("^Name length \\(\\d+\\) exceeds the maximum allowed \\((\\d+)")
                .matcher(message)).find()) {
            problem = "a field name is longer than " + m.group(1) + " characters";
        } else if (message.startsWith("Invalid UTF-8")) {
            // the byte Jackson names may be the one after a Latin-1 letter, so it is not quoted
            problem = "the text is not UTF-8 here (save the file as UTF-8)";
        } else {
            problem = firstLine(message);
        }
        return "is not valid JSON" + where + ": " + problem;
    }

    private static int firstNonBlank(byte[] bytes) {
        boolean bom = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
        for (int i = bom ? 3 : 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (!opensJson(b) || b == '{' || b == '[') {
                return b;
            }
        }
        return -1;
    }

    /**
     * " at line L, column C" of the bracket that opens level {@code limit + 1} (Jackson reports no location for
     * this limit), or "" when the text is not UTF-8 or no bracket goes that deep. Columns count characters.
     */
    static String nestingLocation(byte[] bytes, int limit) {
        if (wideText(bytes)) {
            return "";
        }
        int depth = 0;
        int line = 1;
        int column = 0;
        boolean inString = false;
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if ((b & 0xC0) != 0x80) {
                column++;
            }
            if (inString) {
                if (b == '\\') {
                    i++;
                    column++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > limit) {
                    return " at line " + line + ", column " + column;
                }
            } else if (b == '}' || b == ']') {
                depth--;
            } else if (b == '\n') {
                line++;
                column = 0;
            }
        }
        return "";
    }

    /**
     * Jackson's message, first line, with its parser internals in the user's words: "[Source: REDACTED ...]" as a
     * line and column, token type names as the characters they stand for, and class and feature names dropped.
     */
    static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // compiled here, on the error path only: a case that reads cleanly never loads the regex classes
        line = line.replaceAll("\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)",
                "(opened at line $1, column $2)");
        line = line.replaceAll("\\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
        // Jackson's advice to turn a feature on is advice to the programmer, not to the file's author.
        line = line.replaceAll(":? *(?:enable|not allowed as per) `[^`]*`(?: to allow)?", "");
        line = line.replaceAll(" *\\((?:not recognized as one since )?Feature '[^']*' not enabled[^)]*\\)", "");
        line = line.replaceAll(" *\\([^()`]*`[^`]*`[^()]*\\)", "");
        line = line.replaceAll("`[^`]*`", "");
        line = line.replaceAll("\\b(?:com\\.fasterxml|[A-Za-z]*(?:Feature|Constraints))\\.[\\w.$()]*", "");
        line = line.replace("END_OBJECT", "'}'").replace("END_ARRAY", "']'")
                .replace("START_OBJECT", "'{'").replace("START_ARRAY", "'['")
                .replace("VALUE_STRING", "a string").replace("VALUE_NUMBER_INT", "a number")
                .replace("VALUE_NUMBER_FLOAT", "a number").replace("FIELD_NAME", "a field name")
                .replace("VALUE_TRUE", "true").replace("VALUE_FALSE", "false").replace("VALUE_NULL", "null");
        line = line.replaceAll(" {2,}", " ").replaceAll("\\s+([:,.)])", "$1").replaceAll("[:,]\\s*$", "").strip();
        return line.isEmpty() ? "syntax error" : line;
    }

    /** A JSON object at a field path, with checked accessors. */
    static final class Obj {
        private final String display;
        private final String path;
        private final JsonNode node;

        Obj(String display, String path, JsonNode node) {
            this.display = display;
            this.path = path;
            this.node = node;
            if (node == null || !node.isObject()) {
                throw new InvalidInputException(source(path), "must be a JSON object { ... }, got " + kind(node));
            }
        }

        String source(String fieldPath) {
            return fieldPath == null || fieldPath.isEmpty() ? display : display + ": " + fieldPath;
        }

        String field(String name) {
            return path == null || path.isEmpty() ? name : path + "." + name;
        }

        String path() {
            return path;
        }

        String display() {
            return display;
        }

        JsonNode node() {
            return node;
        }

        InvalidInputException error(String name, String problem) {
            return new InvalidInputException(source(field(name)), problem);
        }

        /** Unknown fields are errors: a typo must not silently fall back to a default. */
        void allowOnly(Set<String> allowed) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!allowed.contains(n)) {
                    String hint = closest(n, allowed);
                    throw error(n, "unknown field" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")
                            + "; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
        }

        boolean has(String name) {
            return node.has(name) && !node.get(name).isNull();
        }

        JsonNode get(String name) {
            return node.get(name);
        }

        void require(String name, String what) {
            if (!has(name)) {
                throw new InvalidInputException(source(field(name)), "is required: " + what);
            }
        }

        String string(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw error(name, "must be a string, got " + kind(v));
            }
            return v.textValue();
        }

        String nonBlankString(String name) {
            String s = string(name);
            if (s != null && s.isBlank()) {
                throw error(name, "must not be empty");
            }
            return s;
        }

        Double positiveNumber(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            return positive(v, field(name));
        }

        Double positive(JsonNode v, String fieldPath) {
            if (!v.isNumber()) {
                throw new InvalidInputException(source(fieldPath), "must be a number, got " + kind(v));
            }
            double d = v.doubleValue();
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new InvalidInputException(source(fieldPath), "must be a positive number, got " + v.asText());
            }
            return d;
        }

        /** A positive number from {@code min} to {@code max} (in {@code unit}), or null when absent. */
        Double positiveNumber(String name, double min, double max, String unit) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            return positive(v, field(name), min, max, unit);
        }

        /** {@link #positive(JsonNode, String)}, and from {@code min} to {@code max} (in {@code unit}). */
        double positive(JsonNode v, String fieldPath, double min, double max, String unit) {
            double d = positive(v, fieldPath);
            if (d < min || d > max) {
                throw new InvalidInputException(source(fieldPath), "must lie between " + plain(min) + " and "
                        + plain(max) + " " + unit + ", got " + v.asText());
            }
            return d;
        }

        /** An alpha/beta (Gy) in the range the kernels' float arithmetic holds ({@link Eqd2}), or null when absent. */
        Double alphaBeta(String name) {
            return positiveNumber(name, Eqd2.MIN_ALPHA_BETA_GY, Eqd2.MAX_ALPHA_BETA_GY, "Gy");
        }

        /** {@link #alphaBeta(String)} for a value found elsewhere (a list element, a map entry). */
        double alphaBeta(JsonNode v, String fieldPath) {
            return positive(v, fieldPath, Eqd2.MIN_ALPHA_BETA_GY, Eqd2.MAX_ALPHA_BETA_GY, "Gy");
        }

        Integer positiveInt(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
                throw error(name, "must be a whole number of at least 1, got " + v.toString());
            }
            return v.intValue();
        }

        Obj object(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            return new Obj(display, field(name), v);
        }

        List<JsonNode> array(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isArray()) {
                throw error(name, "must be a list [ ... ], got " + kind(v));
            }
            List<JsonNode> items = new ArrayList<>();
            v.forEach(items::add);
            return items;
        }
    }

    /** 25 -> "25", 0.33 -> "0.33". */
    static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "the string \"" + v.textValue() + "\"";
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isObject()) {
            return "an object";
        }
        return v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    /** The allowed name within edit distance 2 of a misspelt one, for the error message. */
    static String closest(String name, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : allowed) {
            int d = editDistance(name.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        return best;
    }

    // Levenshtein distance, two-row dynamic programme.
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
