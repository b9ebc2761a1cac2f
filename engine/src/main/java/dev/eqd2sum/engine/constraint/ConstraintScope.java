package dev.eqd2sum.engine.constraint;

import java.util.Optional;

/**
 * What a constraint's value is computed from.
 * <ul>
 *   <li>{@code course}: the current (reirradiation) course alone, unweighted EQD2;</li>
 *   <li>{@code cumulative}: all courses added without forgiveness (targets are never forgiven anyway);</li>
 *   <li>{@code cumulativeForgiven}: all courses with prior courses reduced by the forgiveness schedule;</li>
 *   <li>{@code interval}: months from the end of the latest prior course to the start of the current one;</li>
 *   <li>{@code ratio}: the current course's value as a percentage of the unforgiven cumulative value.</li>
 * </ul>
 */
public enum ConstraintScope {
    COURSE("course"), CUMULATIVE("cumulative"), CUMULATIVE_FORGIVEN("cumulativeForgiven"),
    INTERVAL("interval"), RATIO("ratio");

    private final String key;

    ConstraintScope(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** True for scopes that have no meaning without a prior course. */
    public boolean needsPriorCourse() {
        return this == INTERVAL || this == RATIO;
    }

    public boolean isDoseScope() {
        return this != INTERVAL;
    }

    public static Optional<ConstraintScope> fromKey(String key) {
        for (ConstraintScope s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
