package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.RealPath;
import dev.eqd2sum.io.casefile.CaseFileReader;
import dev.eqd2sum.io.casefile.ConstraintFileReader;
import dev.eqd2sum.io.dicom.Part10;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the cases of a cohort (CONTRACT, {@code cohort}): every {@code *.json} file under a folder that parses
 * as a case, or the rows of a CSV manifest with a {@code case} column. Order is deterministic: a folder's
 * cases sorted by their relative path ('/'-separated, by code point), a manifest's in its row order.
 *
 * <p>Rules a user can rely on:
 * <ul>
 * <li>a case file is a JSON object with any top-level field of a case file ({@code caseId}, {@code courses},
 *     ..., ignoring upper/lower case) and without {@code schemaVersion} (eqd2sum's own outputs, such as dvh.json,
 *     carry {@code schemaVersion} and also list courses), that is not a constraint file; so a mistyped case
 *     ({@code "Courses"}) runs and fails with the case-file reader's line;</li>
 * <li>the output folder and hidden folders (name starting with '.') are never scanned; symbolic links are
 *     followed (loops skipped);</li>
 * <li>a {@code .json} file that is not valid JSON (a truncated case, say) is a case too, and fails; one over
 *     4 MiB or beyond the JSON reader's limits (nested deeper than 1000 levels, say) is skipped with a warning
 *     saying why, and so is a broken dvh.json, constraints.json or cohort.json (eqd2sum's own outputs);</li>
 * <li>two cases whose caseIds give the same output folder (ignoring case) are an error before anything runs.</li>
 * </ul>
 */
public final class CaseDiscovery {
    /** Case files are small hand-written JSON; anything larger is not one (same limit as the case reader). */
    static final long MAX_CASE_FILE_BYTES = 4L << 20;
    /** A manifest is one line per case; anything larger is not one, and is not read into memory. */
    static final long MAX_MANIFEST_BYTES = 64L << 20;
    /** Files the cohort writes at the top of its output folder: no case folder may take these names. */
    public static final Set<String> COHORT_FILES =
            Set.of("cohort-metrics.csv", "cohort-constraints.csv", "failures.csv", "cohort.json");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The JSON reports eqd2sum writes, which a study folder may hold and which are never cases. */
    private static final Set<String> OWN_REPORTS = Set.of("dvh.json", "constraints.json", "cohort.json");
    /** A case file's top-level fields, lower case. */
    private static final Set<String> CASE_FIELDS = lowerCase(CaseFileReader.caseFields());
    /** A constraint file's top-level fields, lower case. */
    private static final Set<String> CONSTRAINT_FILE_FIELDS = lowerCase(ConstraintFileReader.fileFields());

    private final List<String> warnings = new ArrayList<>();

    /** Warnings for the user (skipped files), in scan order. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * @param input        a folder of cases or a CSV manifest
     * @param displayInput the input as the user named it
     * @param outDir       the cohort's output folder (need not exist); never scanned
     * @throws InvalidInputException for a missing input, a bad manifest, no cases or clashing caseIds
     */
    public List<CohortCase> discover(Path input, String displayInput, Path outDir) {
        List<Found> found;
        if (Files.isDirectory(input)) {
            found = scanFolder(input, displayInput, outDir);
            if (found.isEmpty()) {
                throw new InvalidInputException(displayInput, "no case files found (JSON files with \"courses\")");
            }
        } else if (Files.isRegularFile(input)) {
            found = readManifest(input, displayInput);
            if (found.isEmpty()) {
                throw new InvalidInputException(displayInput, "the manifest lists no cases");
            }
        } else {
            throw new InvalidInputException(displayInput, "not found (give a folder of case files or a CSV manifest)");
        }
        List<CohortCase> cases = new ArrayList<>(found.size());
        Map<String, CohortCase> byFolder = new HashMap<>();
        for (Found f : found) {
            CaseHeader h = CaseHeader.read(f.file());
            String folder = h.caseId() == null ? null : FolderNames.sanitise(h.caseId());
            CohortCase c = new CohortCase(cases.size(), f.file(), f.display(), h.caseId(), folder, h.doseFiles(),
                    h.currentDoseFiles(), h.courseCount(), h.referencedFiles());
            if (folder != null) {
                if (COHORT_FILES.contains(folder.toLowerCase(Locale.ROOT))) {
                    throw new InvalidInputException(f.display() + ": caseId",
                            "\"" + h.caseId() + "\" is the name of a file the cohort writes; rename the case");
                }
                CohortCase other = byFolder.putIfAbsent(FolderNames.clashKey(folder), c);
                if (other != null) {
                    throw new InvalidInputException(f.display() + ": caseId", other.caseId().equals(h.caseId())
                            ? "\"" + h.caseId() + "\" is also the caseId of " + other.displayCaseFile()
                            + "; caseIds must be unique in a cohort"
                            : "\"" + h.caseId() + "\" and \"" + other.caseId() + "\" (" + other.displayCaseFile()
                            + ") would share the output folder " + folder + " (" + (folder.equals(h.caseId())
                            && FolderNames.sanitise(other.caseId()).equals(other.caseId()) ? ""
                            : "a caseId unsafe as a folder name is renamed, e.g. con -> _con; ")
                            + "folder names ignore case on macOS and Windows); caseIds must be unique in a cohort");
                }
            }
            cases.add(c);
        }
        return List.copyOf(cases);
    }

    private record Found(Path file, String display) {
    }

    private List<Found> scanFolder(Path root, String displayRoot, Path outDir) {
        Path outReal = RealPath.of(outDir);
        List<String> relative = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                            if (dir.toRealPath().equals(outReal)) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            String name = file.getFileName().toString();
                            if (attrs.isSymbolicLink() && name.toLowerCase(Locale.ROOT).endsWith(".json")) {
                                // followed links arrive as their targets: a link seen as a link leads nowhere, and a
                                // case behind it must not drop out of the cohort unnoticed
                                warnings.add(displayPath(displayRoot, slashed(root.relativize(file)))
                                        + ": skipped, a symbolic link to " + linkTarget(file) + ", which does not exist");
                            } else if (attrs.isRegularFile() && name.toLowerCase(Locale.ROOT).endsWith(".json")) {
                                String rel = slashed(root.relativize(file));
                                if (attrs.size() > MAX_CASE_FILE_BYTES) {
                                    // not read: a case file is small, but a case's own file this large must not vanish
                                    // unnoticed (eqd2sum's own large reports, a sum's dvh.json, are no cases: silent)
                                    if (!OWN_REPORTS.contains(name.toLowerCase(Locale.ROOT))) {
                                        warnings.add(displayPath(displayRoot, rel) + ": skipped, " + attrs.size()
                                                + " bytes; a case file is at most " + MAX_CASE_FILE_BYTES + " bytes");
                                    }
                                } else if (isCase(file, displayPath(displayRoot, rel))) {
                                    relative.add(rel);
                                }
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            if (!(e instanceof FileSystemLoopException)) {
                                warnings.add(displayPath(displayRoot, slashed(root.relativize(file)))
                                        + ": skipped, cannot be read (" + e.getMessage() + ")");
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new InvalidInputException(displayRoot, "cannot be scanned: " + e.getMessage());
        }
        relative.sort(null);
        List<Found> found = new ArrayList<>(relative.size());
        for (String rel : relative) {
            found.add(new Found(root.resolve(rel), displayPath(displayRoot, rel)));
        }
        return found;
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "a file";
        }
    }

    /**
     * Whether a {@code .json} file of the study folder is a case: it runs, and fails with the case-file reader's
     * line when it is a broken one. A mistyped or truncated case must fail where the user sees it (failures.csv,
     * exit 3), not vanish from the cohort; but another tool's JSON in the study folder must not fail the cohort
     * either. So a case is what shows a case's marks: a JSON object with {@code courses} or {@code course}
     * (compared ignoring upper/lower case, so "Courses" counts) or with two or more case-file fields ({@code caseId}
     * among them), and a file that is not valid JSON (or empty) whose text has a {@code course(s)} key or two
     * case-file keys, or whose name starts with "case" (a truncated case). Not cases: other JSON (a caseId alone is
     * any study export's key), eqd2sum's own outputs (they carry {@code schemaVersion}; a broken one keeps its name),
     * constraint files; an unreadable or empty file that shows no mark is skipped with a warning.
     */
    private boolean isCase(Path file, String display) {
        boolean ownReport = OWN_REPORTS.contains(file.getFileName().toString().toLowerCase(Locale.ROOT));
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (StreamConstraintsException e) {
            warnings.add(display + ": skipped, " + beyondReaderLimits(e));
            return false;
        } catch (IOException e) {
            if (!ownReport && looksLikeACase(file)) {
                return true; // a truncated case: the case-file reader says what is wrong with it
            }
            warnings.add(display + ": skipped, not valid JSON");
            return false;
        }
        if (root == null || root.isMissingNode()) {
            if (!ownReport && looksLikeACase(file)) {
                return true; // a case cut short before its first byte
            }
            warnings.add(display + ": skipped, empty");
            return false;
        }
        if (!root.isObject()) {
            return false;
        }
        Set<String> fields = new HashSet<>();
        root.fieldNames().forEachRemaining(f -> fields.add(f.toLowerCase(Locale.ROOT)));
        boolean courses = fields.contains("courses") || fields.contains("course");
        if (ownReport || fields.contains("schemaversion")) {
            // eqd2sum's reports carry schemaVersion and no courses; a case file given one is still a case (it fails)
            return courses && !ownReport;
        }
        if (!fields.isEmpty() && CONSTRAINT_FILE_FIELDS.containsAll(fields)) {
            return false; // a constraint file a case names ("constraints" is a field of both)
        }
        // courses, or two fields of a case file (caseId with structureSet, alphaBeta, ...): a caseId alone is
        // any study export's key ({"caseId": ..., "age": 64} beside each case), not a case
        return hasCaseMarks(fields);
    }

    /** A case's marks among an object's keys (lower case): courses (or "course"), or two fields of a case file. */
    private static boolean hasCaseMarks(Set<String> keys) {
        return keys.contains("courses") || keys.contains("course")
                || keys.stream().filter(CASE_FIELDS::contains).count() >= 2;
    }

    /** A key in JSON text, also one the text was cut off after. */
    private static final Pattern KEY = Pattern.compile("\"\\s*([A-Za-z]+)\\s*\"\\s*(?::|$)");

    /**
     * A file that is not (or not yet) JSON but shows a case's marks: its name, or the keys in its text by the rule
     * for objects ({@link #hasCaseMarks}).
     */
    private static boolean looksLikeACase(Path file) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("case")) {
            return true;
        }
        String text;
        try {
            text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return false;
        }
        Set<String> keys = new HashSet<>();
        Matcher m = KEY.matcher(text);
        while (m.find()) {
            keys.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return hasCaseMarks(keys);
    }

    /** Valid JSON, maybe, but beyond what the JSON reader reads (the case reader has the same limits). */
    private static String beyondReaderLimits(StreamConstraintsException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        Matcher m;
        if ((m = Pattern.compile("^Document nesting depth \\(\\d+\\) exceeds the maximum allowed \\((\\d+)")
                .matcher(message)).find()) {
            return "its JSON is nested deeper than " + m.group(1) + " levels";
        }
        if ((m = Pattern.compile("^Number value length \\(\\d+\\) exceeds the maximum allowed \\((\\d+)")
                .matcher(message)).find()) {
            return "a number in it has more than " + m.group(1) + " digits";
        }
        if ((m = Pattern.compile("^Name length \\(\\d+\\) exceeds the maximum allowed \\((\\d+)")
                .matcher(message)).find()) {
            return "a field name in it is longer than " + m.group(1) + " characters";
        }
        return "beyond the JSON reader's limits (" + message.lines().findFirst().orElse("") + ")";
    }

    private List<Found> readManifest(Path manifest, String displayManifest) {
        String text = manifestText(manifest, displayManifest);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String start = text.stripLeading();
        if (start.startsWith("{") || start.startsWith("[")) {
            throw new InvalidInputException(displayManifest, looksLikeCase(text)
                    ? "is a case file (JSON), not a CSV manifest: run `eqd2sum sum` on it, or give its folder to cohort"
                    : "is a JSON file, not a CSV manifest (a CSV file with a \"case\" column)");
        }
        List<List<String>> records;
        try {
            records = Csv.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(displayManifest, "is not valid CSV: " + e.getMessage());
        }
        if (records.isEmpty()) {
            throw new InvalidInputException(displayManifest, "is empty; a manifest is a CSV file with a \"case\" column");
        }
        int column = -1;
        List<String> header = records.get(0);
        for (int i = 0; i < header.size(); i++) {
            // a spreadsheet's export may capitalise its headers ("Case")
            if (header.get(i).trim().equalsIgnoreCase("case")) {
                if (column >= 0) {
                    throw new InvalidInputException(displayManifest, "column \"case\" appears twice in the header row"
                            + " (columns " + (column + 1) + " and " + (i + 1) + ", ignoring upper/lower case)");
                }
                column = i;
            }
        }
        if (column < 0) {
            throw new InvalidInputException(displayManifest, "has no \"case\" column in its header row (found: "
                    + String.join(",", header) + ")");
        }
        Path base = manifest.toAbsolutePath().normalize().getParent();
        Path displayBase = Path.of(displayManifest).getParent();
        List<Found> found = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> rec = records.get(r);
            if (rec.isEmpty() || rec.stream().allMatch(String::isBlank)) {
                continue;
            }
            String source = displayManifest + ": row " + (r + 1);
            String value = column < rec.size() ? rec.get(column).trim() : "";
            if (value.isEmpty()) {
                throw new InvalidInputException(source, "the case column is empty");
            }
            Path file = base.resolve(value).normalize();
            String display = displayBase == null ? value : displayBase.resolve(value).toString();
            if (Files.isDirectory(file)) {
                Path caseJson = file.resolve("case.json");
                throw new InvalidInputException(source, display + " is a folder, not a case file"
                        + (Files.isRegularFile(caseJson) ? " (did you mean " + Path.of(display).resolve("case.json") + "?)"
                        : ""));
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(source, "case file " + display + " not found");
            }
            if (!seen.add(RealPath.of(file))) {
                throw new InvalidInputException(source, "case file " + display + " is listed twice");
            }
            found.add(new Found(file, display));
        }
        return found;
    }

    /**
     * The manifest as UTF-8 text, or a one-line reason why it is not a CSV manifest: a DICOM file, other binary
     * content, UTF-16 text (as some spreadsheet programs save "Unicode text"), or bytes that are not UTF-8.
     */
    private static String manifestText(Path manifest, String displayManifest) {
        byte[] bytes;
        try {
            byte[] head;
            try (InputStream stream = Files.newInputStream(manifest)) {
                head = stream.readNBytes(132);
            }
            if (Part10.hasMarker(head)) {
                throw new InvalidInputException(displayManifest, "is not a CSV manifest: it looks like a DICOM file"
                        + " (DICM at byte 128); give a folder of case files or a CSV file with a \"case\" column");
            }
            long size = Files.size(manifest);
            if (size > MAX_MANIFEST_BYTES) {
                throw new InvalidInputException(displayManifest, "is " + size + " bytes; a CSV manifest is at most "
                        + MAX_MANIFEST_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(manifest);
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(displayManifest, "cannot be read (permission denied)");
        } catch (IOException e) {
            throw new InvalidInputException(displayManifest, "cannot be read: " + e.getMessage());
        }
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
                || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
            throw new InvalidInputException(displayManifest, "is UTF-16 text; save the manifest as CSV in UTF-8");
        }
        for (byte b : bytes) {
            if (b == 0) {
                throw new InvalidInputException(displayManifest, "is not a CSV manifest (binary content); give a"
                        + " folder of case files or a CSV file with a \"case\" column");
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = utf8.decode(in, out, true);
        if (result.isError()) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new InvalidInputException(displayManifest, "line " + line + " is not UTF-8 text (byte 0x"
                    + String.format(Locale.ROOT, "%02x", bytes[in.position()] & 0xFF) + "); save the manifest as CSV in UTF-8");
        }
        utf8.flush(out);
        return out.flip().toString();
    }

    /** Whether a manifest given by mistake is a case file (a JSON object with "courses"), for the error message. */
    private static boolean looksLikeCase(String text) {
        try {
            JsonNode root = JSON.readTree(text);
            return root != null && root.isObject() && root.has("courses") && !root.has("schemaVersion");
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> lowerCase(Set<String> names) {
        Set<String> lower = new HashSet<>();
        names.forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
        return Set.copyOf(lower);
    }

    private static String displayPath(String displayRoot, String rel) {
        return Path.of(displayRoot).resolve(rel).toString();
    }

    private static String slashed(Path p) {
        return p.toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}
