package dev.eqd2sum.io;

/**
 * An error message as one printable line: its lines joined, and every other control character (C0, DEL, C1; a
 * DICOM value may hold an ESC or a NUL) shown as an escape such as {@code \x1b}, so that a value read from a file
 * can neither break the line nor drive the terminal.
 */
public final class PrintableLine {

    private PrintableLine() {
    }

    public static String of(String s) {
        if (s == null) {
            return "";
        }
        return escapeControls(joinLines(s.strip()));
    }

    /**
     * Each run of white space that holds a line break as one space (no regular expression: this runs on a sum's
     * path, where the regex classes are not loaded yet).
     */
    private static String joinLines(String s) {
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (!Character.isWhitespace(s.charAt(i))) {
                b.append(s.charAt(i++));
                continue;
            }
            int j = i;
            boolean lineBreak = false;
            while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
                lineBreak |= s.charAt(j) == '\n' || s.charAt(j) == '\r';
                j++;
            }
            b.append(lineBreak ? " " : s.substring(i, j));
            i = j;
        }
        return b.toString();
    }

    /** {@code s} with every control character (C0, DEL, C1) shown as an escape such as {@code \x1b}; null stays null. */
    public static String escapeControls(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F);
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (control) {
                b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
