package dev.eqd2sum.io.casefile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Alpha/beta ratios (Gy): the default for every voxel and structure not listed, and one per structure
 * name (kept as written; matched case-insensitively after trimming).
 */
public record AlphaBetaSpec(double defaultGy, Map<String, Double> byStructure) {
    public AlphaBetaSpec {
        byStructure = Collections.unmodifiableMap(new LinkedHashMap<>(byStructure));
    }

    /** The alpha/beta given for a structure name, if any. */
    public Optional<Double> forStructure(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Double> e : byStructure.entrySet()) {
            if (e.getKey().trim().toLowerCase(Locale.ROOT).equals(key)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** The structure's own alpha/beta: the one given for it, else the default. */
    public double of(String structureName) {
        return forStructure(structureName).orElse(defaultGy);
    }
}
