package dev.eqd2sum.engine.structure;

/** DICOM ContourGeometricType. Only the closed types enclose volume; the others are kept apart. */
public enum ContourType {
    CLOSED_PLANAR, CLOSEDPLANAR_XOR, POINT, OPEN_PLANAR, OPEN_NONPLANAR;

    /** The DICOM code string, or null when it is not one of the defined terms. */
    public static ContourType fromDicom(String code) {
        if (code == null) {
            return null;
        }
        return switch (code.trim()) {
            case "CLOSED_PLANAR" -> CLOSED_PLANAR;
            case "CLOSEDPLANAR_XOR" -> CLOSEDPLANAR_XOR;
            case "POINT" -> POINT;
            case "OPEN_PLANAR" -> OPEN_PLANAR;
            case "OPEN_NONPLANAR" -> OPEN_NONPLANAR;
            default -> null;
        };
    }

    public boolean enclosesVolume() {
        return this == CLOSED_PLANAR || this == CLOSEDPLANAR_XOR;
    }
}
