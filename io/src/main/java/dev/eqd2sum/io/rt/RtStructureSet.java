package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.structure.Structure;
import java.util.List;
import java.util.Optional;

/**
 * The structures of an RT Structure Set. Contours of a geometric type DICOM does not define are
 * kept apart in {@code unknownContours} (reported, never rasterised).
 *
 * @param frameOfReferenceUid the frame the ROIs are drawn in
 */
public record RtStructureSet(String source, String sopInstanceUid, String frameOfReferenceUid, String label,
                             List<Structure> structures, List<UnknownContour> unknownContours,
                             PatientStudy patientStudy) {
    public RtStructureSet {
        structures = List.copyOf(structures);
        unknownContours = List.copyOf(unknownContours);
    }

    /** A contour whose ContourGeometricType is not one DICOM defines. */
    public record UnknownContour(int roiNumber, String roiName, String geometricType, int pointCount) {
    }

    /** The structure with this name (case-insensitive, trimmed: CONTRACT). */
    public Optional<Structure> find(String name) {
        return structures.stream().filter(s -> s.hasName(name)).findFirst();
    }
}
