package dev.eqd2sum.io.dicom;

/** Transfer syntaxes: how a data set is encoded (PS3.5 10, Annex A). */
public enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true),
    EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false),
    RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false),
    /** Any other encapsulated (JPEG, JPEG-LS, JPEG 2000, MPEG, HTJ2K, ...): explicit VR LE, compressed pixels. */
    OTHER_ENCAPSULATED(null, "compressed (encapsulated) pixel data", true, false, false);

    private final String uid;
    private final String title;
    private final boolean explicitVr;
    private final boolean bigEndian;
    private final boolean deflated;

    TransferSyntax(String uid, String title, boolean explicitVr, boolean bigEndian, boolean deflated) {
        this.uid = uid;
        this.title = title;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.deflated = deflated;
    }

    public String uid() {
        return uid;
    }

    public String title() {
        return title;
    }

    public boolean explicitVr() {
        return explicitVr;
    }

    public boolean bigEndian() {
        return bigEndian;
    }

    public boolean deflated() {
        return deflated;
    }

    /** The syntax for a UID, or null when unknown. */
    public static TransferSyntax forUid(String uid) {
        for (TransferSyntax ts : values()) {
            if (uid.equals(ts.uid)) {
                return ts;
            }
        }
        // PS3.5 Annex A: the compressed syntaxes all encode the data set as Explicit VR Little Endian.
        if (uid.startsWith("1.2.840.10008.1.2.4.") || uid.startsWith("1.2.840.10008.1.2.6.")
                || uid.startsWith("1.2.840.10008.1.2.7.") || uid.startsWith("1.2.840.10008.1.2.8.")) {
            return OTHER_ENCAPSULATED;
        }
        return null;
    }
}
