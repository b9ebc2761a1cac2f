package dev.eqd2sum.io.casefile;

/**
 * The grid the plan sum is computed on: the current course's grid, the union of all course grids at the
 * current grid's spacing, or the current grid's extent at a given spacing (mm, x y z).
 */
public record OutputGridSpec(Kind kind, double[] spacingMm) {
    public static final OutputGridSpec CURRENT = new OutputGridSpec(Kind.CURRENT, null);
    public static final OutputGridSpec UNION = new OutputGridSpec(Kind.UNION, null);

    public enum Kind { CURRENT, UNION, SPACING }

    public OutputGridSpec {
        spacingMm = spacingMm == null ? null : spacingMm.clone();
    }

    @Override
    public double[] spacingMm() {
        return spacingMm == null ? null : spacingMm.clone();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CURRENT -> "current";
            case UNION -> "union";
            case SPACING -> "spacing " + spacingMm[0] + " x " + spacingMm[1] + " x " + spacingMm[2] + " mm";
        };
    }
}
