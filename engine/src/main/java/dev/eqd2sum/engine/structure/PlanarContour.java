package dev.eqd2sum.engine.structure;

/**
 * One contour of a structure: its geometric type and its points in patient mm as x,y,z triplets
 * (DICOM ContourData). Closed contours are implicitly closed (last point joins the first).
 */
public record PlanarContour(ContourType type, double[] pointsMm) {
    public PlanarContour {
        if (pointsMm.length % 3 != 0) {
            throw new IllegalArgumentException("contour data must be x,y,z triplets, got " + pointsMm.length + " values");
        }
    }

    public int pointCount() {
        return pointsMm.length / 3;
    }
}
