package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.engine.InvalidInputException;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * The record that lets {@code --resume} skip a case: tool version, options, and the SHA-256 of the case file and
 * of every file it references, one per line in sha256sum's format ({@code <hex>  <path relative to the case
 * folder>}). Stored as {@value #FILE_NAME} in the case's output folder, followed by the outputs the case wrote
 * ({@link CaseOutputs}); the case's outputs are reused only when the stored record's other lines equal the freshly
 * computed record, byte for byte, and those outputs are all there as written.
 */
public final class CaseInputs {
    public static final String FILE_NAME = "inputs.sha256";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CaseInputs() {
    }

    public static String describe(CohortCase c, String toolVersion, CaseOptions options) {
        return describe(c, toolVersion, options, Map.of());
    }

    /**
     * The same record, taking each file's SHA-256 from {@code knownSha256} (absolute normalised path to
     * lower-case hex, e.g. the digests the case run computed for its provenance) where it is there, and hashing
     * only the other files.
     */
    public static String describe(CohortCase c, String toolVersion, CaseOptions options,
                                  Map<Path, String> knownSha256) {
        Path dir = c.caseFile().toAbsolutePath().normalize().getParent();
        StringBuilder b = new StringBuilder();
        b.append("# eqd2sum cohort --resume record: this case's outputs are reused while these lines stay the same\n");
        b.append("# tool ").append(toolVersion).append('\n');
        b.append("# options ").append(options.describe()).append('\n');
        b.append(sha256(c.caseFile(), c.displayCaseFile(), knownSha256)).append("  ")
                .append(slashed(c.caseFile().getFileName())).append('\n');
        for (Path f : c.referencedFiles()) {
            b.append(sha256(f, f.toString(), knownSha256)).append("  ").append(slashed(dir.relativize(f))).append('\n');
        }
        return b.toString();
    }

    /**
     * The SHA-256 of the constraint file a case names, taken before the case runs: the run's own digests cover the
     * case file and its DICOM files only, and a digest taken after the run would describe a file edited meanwhile
     * (a study's shared limits) as the one the case's verdicts came from, so that --resume kept stale verdicts.
     * Empty when the case names no constraint file (or a built-in set).
     */
    public static Map<Path, String> hashedBeforeRun(CohortCase c) {
        Path dir = c.caseFile().toAbsolutePath().normalize().getParent();
        JsonNode root;
        try {
            root = JSON.readTree(c.caseFile().toFile());
        } catch (IOException e) {
            return Map.of(); // the case fails when it runs
        }
        if (root == null || !root.path("constraints").isTextual()) {
            return Map.of();
        }
        Path file;
        try {
            file = dir.resolve(root.get("constraints").asText()).normalize();
        } catch (InvalidPathException e) {
            return Map.of();
        }
        if (!c.referencedFiles().contains(file)) {
            return Map.of(); // a built-in set's name, or no file
        }
        return Map.of(file, sha256(file, file.toString(), Map.of()));
    }

    private static String sha256(Path file, String display, Map<Path, String> known) {
        String k = known.get(file.toAbsolutePath().normalize());
        if (k != null) {
            return k;
        }
        MessageDigest md = Sha256Files.newDigest();
        try {
            Sha256Files.update(md, file);
        } catch (IOException e) {
            throw new InvalidInputException(display, "cannot be read: " + e.getMessage());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String slashed(Path p) {
        return p.toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}
