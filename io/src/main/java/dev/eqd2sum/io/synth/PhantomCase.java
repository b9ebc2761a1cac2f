package dev.eqd2sum.io.synth;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;

import java.util.List;

/**
 * One synthetic case with known answers: an analytic shape contoured on axial planes, a linear dose
 * field on a grid, and the exact statistics of the shape (not of its contoured approximation).
 *
 * @param name              e.g. "Sphere_R12 doseAlongZ 2mm"
 * @param shape             the analytic solid
 * @param field             the dose field
 * @param gridSpacingMm     dose grid spacing (isotropic)
 * @param contourSpacingMm  distance between contour planes
 * @param dose              the field on the grid (voxel faces on multiples of the spacing)
 * @param structure         the contoured shape (ROI number 1)
 * @param truth             exact volume and dose statistics of the analytic shape
 * @param contouredTruth    exact statistics of the contoured shape (slabs of the contour polygons with
 *                          half-spacing end caps): what a perfect rasteriser and DVH would give
 */
public record PhantomCase(String name, AnalyticShape shape, LinearDoseField field, double gridSpacingMm,
                          double contourSpacingMm, DoseGrid dose, Structure structure, DvhTruth truth,
                          DvhTruth contouredTruth) {

    /** The structure set: this case's one structure. */
    public List<Structure> structureSet() {
        return List.of(structure);
    }

    /** Number of contour planes. */
    public int contourPlaneCount() {
        return (int) structure.contours().stream().mapToDouble(c -> c.pointsMm()[2]).distinct().count();
    }

    /** Total number of contour points. */
    public int contourPointCount() {
        return structure.contours().stream().mapToInt(PlanarContour::pointCount).sum();
    }
}
