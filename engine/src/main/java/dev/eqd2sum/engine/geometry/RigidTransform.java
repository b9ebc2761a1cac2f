package dev.eqd2sum.engine.geometry;

/**
 * A rigid map between two frames of reference in patient space (mm): rotation plus translation,
 * as a DICOM Spatial Registration of type RIGID gives. The rotation is checked orthonormal.
 */
public final class RigidTransform {
    /** Orthonormality tolerance for the rotation part (DICOM writers round to ~6 digits). */
    public static final double ORTHONORMAL_TOLERANCE = 1e-4;

    private final Affine3 map;

    private RigidTransform(Affine3 map) {
        this.map = map;
    }

    public static RigidTransform identity() {
        return new RigidTransform(Affine3.identity());
    }

    /**
     * From a 4x4 row-major homogeneous matrix (DICOM FrameOfReferenceTransformationMatrix order).
     *
     * @throws IllegalArgumentException when the bottom row is not (0,0,0,1) or the rotation is not
     *     orthonormal within {@link #ORTHONORMAL_TOLERANCE}; callers turn that into an input error
     *     naming their file.
     */
    public static RigidTransform fromMatrix4x4(double[] m) {
        if (m.length != 16) {
            throw new IllegalArgumentException("a 4x4 matrix needs 16 values, got " + m.length);
        }
        if (Math.abs(m[12]) > ORTHONORMAL_TOLERANCE || Math.abs(m[13]) > ORTHONORMAL_TOLERANCE
                || Math.abs(m[14]) > ORTHONORMAL_TOLERANCE || Math.abs(m[15] - 1) > ORTHONORMAL_TOLERANCE) {
            throw new IllegalArgumentException("the last row of the matrix is not (0, 0, 0, 1)");
        }
        Affine3 a = Affine3.of(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11]);
        double worst = orthonormalityError(a);
        if (worst > ORTHONORMAL_TOLERANCE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "the matrix is not rigid: its rotation part deviates from orthonormal by %.3g (tolerance %.0e)",
                    worst, ORTHONORMAL_TOLERANCE));
        }
        if (a.determinant() < 0) {
            throw new IllegalArgumentException("the matrix is not rigid: it mirrors (determinant -1)");
        }
        return new RigidTransform(a);
    }

    /** max |R^T R - I| over the entries. */
    static double orthonormalityError(Affine3 a) {
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += a.get(k, i) * a.get(k, j);
                }
                worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    public Affine3 asAffine() {
        return map;
    }

    public void apply(double x, double y, double z, double[] out) {
        map.apply(x, y, z, out);
    }

    public RigidTransform inverse() {
        return new RigidTransform(map.inverse());
    }

    /** {@code this} after {@code first}. */
    public RigidTransform after(RigidTransform first) {
        return new RigidTransform(map.after(first.map));
    }

    public boolean isIdentity(double tol) {
        Affine3 id = Affine3.identity();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                if (Math.abs(map.get(r, c) - id.get(r, c)) > tol) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The 16 row-major values of the homogeneous matrix. */
    public double[] toMatrix4x4() {
        double[] a = map.toArray();
        return new double[] {a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], 0, 0, 0, 1};
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
