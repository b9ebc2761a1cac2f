package dev.eqd2sum.io.cohort;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a caseId into a folder name that is safe on Linux, macOS and Windows file systems: only letters,
 * digits, '.', '_' and '-' (others become '_'), no leading '.' (hidden, or "." and ".."), no Windows
 * device name, at most {@value #MAX_LENGTH} characters (longer ones keep a hash suffix so they stay
 * distinct). Two caseIds are a clash when their folder names are equal ignoring case, because
 * macOS and Windows file systems do not tell them apart.
 */
public final class FolderNames {
    static final int MAX_LENGTH = 100;
    private static final Set<String> WINDOWS_DEVICES = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3",
            "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
            "lpt8", "lpt9");

    private FolderNames() {
    }

    public static String sanitise(String caseId) {
        StringBuilder b = new StringBuilder(caseId.length());
        caseId.codePoints().forEach(c -> b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_'
                || c == '-') ? (char) c : '_'));
        if (b.isEmpty() || b.charAt(0) == '.') {
            b.insert(0, '_');
        }
        // Windows ignores trailing dots and treats "nul.txt" like "nul".
        while (b.charAt(b.length() - 1) == '.') {
            b.setCharAt(b.length() - 1, '_');
        }
        String stem = b.toString().split("\\.", 2)[0].toLowerCase(Locale.ROOT);
        if (WINDOWS_DEVICES.contains(stem)) {
            b.insert(0, '_');
        }
        if (b.length() > MAX_LENGTH) {
            String hash = sha256(caseId).substring(0, 12);
            return b.substring(0, MAX_LENGTH - 13) + "-" + hash;
        }
        return b.toString();
    }

    /** The key under which two folder names clash. */
    public static String clashKey(String folderName) {
        return folderName.toLowerCase(Locale.ROOT);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
