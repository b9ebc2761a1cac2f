package dev.eqd2sum.io.dicom;

/** DICOM value representations (PS3.5 6.2). */
public enum Vr {
    AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV,
    TM, UC, UI, UL, UN, UR, US, UT, UV;

    /** Explicit VR encodings give these a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
    public boolean hasLongLength() {
        return switch (this) {
            case OB, OD, OF, OL, OV, OW, SQ, UC, UN, UR, UT, SV, UV -> true;
            default -> false;
        };
    }

    /** Text values, decoded with the character set where {@link #usesCharacterSet()}. */
    public boolean isText() {
        return switch (this) {
            case AE, AS, CS, DA, DS, DT, IS, LO, LT, PN, SH, ST, TM, UC, UI, UR, UT -> true;
            default -> false;
        };
    }

    public boolean usesCharacterSet() {
        return switch (this) {
            case LO, LT, PN, SH, ST, UC, UT -> true;
            default -> false;
        };
    }

    /** Size in bytes of one binary value (for byte swapping of big endian data); 1 for bytes and text. */
    public int binaryUnit() {
        return switch (this) {
            case US, SS, OW -> 2;
            case UL, SL, FL, OF, OL, AT -> 4;
            case FD, OD, SV, UV, OV -> 8;
            default -> 1;
        };
    }

    /** Text values are padded to even length with a space, UI with NUL (PS3.5 6.2). */
    public byte paddingByte() {
        return this == UI || !isText() ? 0 : (byte) ' ';
    }

    /** The VR named by two ASCII bytes, or null when they name none. */
    public static Vr of(int b0, int b1) {
        if (b0 < 'A' || b0 > 'Z' || b1 < 'A' || b1 > 'Z') {
            return null;
        }
        try {
            return valueOf(new String(new char[] {(char) b0, (char) b1}));
        } catch (IllegalArgumentException notAVr) {
            return null;
        }
    }
}
