package dev.eqd2sum.engine.structure;

import java.util.Locale;

/**
 * How far a structure reaches beyond its first and last contour plane (CONTRACT, {@code endCaps}).
 * A single-plane structure always takes the structure set's median contour spacing, whatever this says.
 */
public enum EndCaps {
    /** End contours extend half a contour spacing (the default). */
    HALF_SPACING("halfSpacing"),
    /** The structure stops at its first and last contour plane. */
    NONE("none");

    private final String contractName;

    EndCaps(String contractName) {
        this.contractName = contractName;
    }

    /** The spelling used in case files. */
    public String contractName() {
        return contractName;
    }

    /** The value for a case file's spelling ("halfSpacing" or "none", case-insensitive), or null when unknown. */
    public static EndCaps fromContractName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (EndCaps e : values()) {
            if (e.contractName.toLowerCase(Locale.ROOT).equals(n)) {
                return e;
            }
        }
        return null;
    }
}
