package dev.eqd2sum.io.casefile;

/** How far a structure extends beyond its first and last contour planes. */
public enum EndCaps {
    /** Half a contour spacing beyond each end plane (a single plane: the structure set's median spacing). */
    HALF_SPACING("halfSpacing"),
    /** The structure ends exactly at its first and last contour planes. */
    NONE("none");

    private final String key;

    EndCaps(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }
}
