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

    /**
     * The summed areas (mm^2) of the closed contours, each as drawn in patient x and y (shoelace formula): a cheap
     * measure of how large the structure is, for ordering work by size before anything is rasterised.
     */
    public double closedContourAreaMm2() {
        double sum = 0;
        for (PlanarContour c : contours) {
            if (!c.type().enclosesVolume()) {
                continue;
            }
            double[] p = c.pointsMm();
            int n = p.length / 3;
            double twice = 0;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                twice += p[3 * j] * p[3 * i + 1] - p[3 * i] * p[3 * j + 1];
            }
            sum += Math.abs(twice) / 2;
        }
        return sum;
    }

    /** Names match case-insensitively after trimming (CONTRACT). */
    public boolean hasName(String other) {
        return sameName(name, other);
    }

    /** Whether a name given in a case or constraint file is the structure set's {@code structureSetName}. */
    public static boolean sameName(String structureSetName, String given) {
        return given != null && structureSetName.equalsIgnoreCase(given.trim());
    }
}
