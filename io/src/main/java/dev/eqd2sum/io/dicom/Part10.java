package dev.eqd2sum.io.dicom;

/** DICOM Part 10 file facts that need no reader (what a case-file or manifest check may ask, cheaply). */
public final class Part10 {
    private Part10() {
    }

    /** "DICM" at byte 128, after the preamble: a DICOM Part 10 file (also how other readers tell one). */
    public static boolean hasMarker(byte[] head) {
        return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    }
}
