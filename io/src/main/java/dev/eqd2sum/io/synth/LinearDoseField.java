package dev.eqd2sum.io.synth;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;

/**
 * Dose rising linearly along one patient axis: {@code dose = doseAtCentreGy + gradientGyPerMm * (c - centreMm)}
 * where c is the patient y or z coordinate. Trilinear interpolation reproduces it exactly, so phantom
 * errors are the geometry's alone.
 */
public record LinearDoseField(Axis axis, double doseAtCentreGy, double gradientGyPerMm, double centreMm) {
    /** Axis the dose rises along. */
    public enum Axis { Y, Z }

    public LinearDoseField {
        if (!(gradientGyPerMm > 0)) {
            throw new IllegalArgumentException("the gradient must be positive, got " + gradientGyPerMm);
        }
    }

    /** The phantoms' field: 30 Gy at the shape's centre plus 1 Gy/mm. */
    public static LinearDoseField nelms(Axis axis) {
        return new LinearDoseField(axis, 30.0, 1.0, 0.0);
    }

    public double doseGy(double x, double y, double z) {
        return doseAtCentreGy + gradientGyPerMm * ((axis == Axis.Y ? y : z) - centreMm);
    }

    /** The field sampled at the voxel centres of a grid. */
    public DoseGrid onGrid(GridGeometry g) {
        float[] d = new float[g.voxelCount()];
        double[] p = new double[3];
        var toPatient = g.indexToPatient();
        int q = 0;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    toPatient.apply(i, j, k, p);
                    d[q++] = (float) doseGy(p[0], p[1], p[2]);
                }
            }
        }
        return new DoseGrid(g, d);
    }

    public String label() {
        return axis == Axis.Y ? "doseAlongY" : "doseAlongZ";
    }
}
