package dev.eqd2sum.io.dicom;

import java.util.Locale;

/** Tags are ints: group in the high 16 bits, element in the low 16. */
public final class Tag {
    private Tag() {
    }

    public static final int ITEM = 0xFFFEE000;
    public static final int ITEM_DELIMITATION = 0xFFFEE00D;
    public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    public static int of(int group, int element) {
        return (group << 16) | element;
    }

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** "(3004,000E)" */
    public static String toString(int tag) {
        return String.format(Locale.ROOT, "(%04X,%04X)", group(tag), element(tag));
    }

    /** "DoseGridScaling (3004,000E)", or just the tag when the dictionary does not know it. */
    public static String describe(int tag) {
        String keyword = DicomDictionary.keyword(tag);
        return keyword == null ? toString(tag) : keyword + " " + toString(tag);
    }
}
