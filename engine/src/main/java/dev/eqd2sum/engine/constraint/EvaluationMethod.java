package dev.eqd2sum.engine.constraint;

import java.util.Optional;

/**
 * How a cumulative value is formed: {@code voxelwise} takes the statistic of the voxel-wise EQD2
 * plan sum; {@code summary} adds each course's own statistic converted to EQD2 (what the
 * published limits were derived with: "per-course maxima added").
 */
public enum EvaluationMethod {
    VOXELWISE("voxelwise"), SUMMARY("summary");

    private final String key;

    EvaluationMethod(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<EvaluationMethod> fromKey(String key) {
        for (EvaluationMethod m : values()) {
            if (m.key.equals(key)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
