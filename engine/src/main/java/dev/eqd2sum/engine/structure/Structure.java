package dev.eqd2sum.engine.structure;

import java.util.List;
import java.util.Locale;

/**
 * A named region of interest from an RT Structure Set: ROI number, name (trimmed),
 * RTROIInterpretedType (PTV, ORGAN, EXTERNAL, ...; may be empty), display colour (RGB, may be
 * null), frame of reference UID, and its contours. A structure without contours is kept, empty.
 */
public record Structure(int roiNumber, String name, String interpretedType, int[] colourRgb,
                        String frameOfReferenceUid, List<PlanarContour> contours) {
    public Structure {
        name = name == null ? "" : name.trim();
        interpretedType = interpretedType == null ? "" : interpretedType.trim();
        contours = List.copyOf(contours);
    }

    /**
     * Targets are never forgiven (DOMAIN, forgiveness): RTROIInterpretedType PTV/CTV/GTV, or a
     * name starting with PTV/CTV/GTV (CONTRACT).
     */
    public boolean isTarget() {
        String t = interpretedType.toUpperCase(Locale.ROOT);
        String n = name.toUpperCase(Locale.ROOT);
        return t.equals("PTV") || t.equals("CTV") || t.equals("GTV")
                || n.startsWith("PTV") || n.startsWith("CTV") || n.startsWith("GTV");
    }

    public boolean isEmpty() {
        return contours.isEmpty();
    }

    /** Names match case-insensitively after trimming (CONTRACT). */
    public boolean hasName(String other) {
        return other != null && name.equalsIgnoreCase(other.trim());
    }
}
