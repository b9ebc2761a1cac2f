package dev.eqd2sum.engine.constraint;

import java.util.Optional;

/** The comparator of a constraint: the value must satisfy {@code value <op> limit}. */
public enum Comparison {
    LESS("<"), LESS_OR_EQUAL("<="), GREATER(">"), GREATER_OR_EQUAL(">=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public boolean holds(double value, double limit) {
        return switch (this) {
            case LESS -> value < limit;
            case LESS_OR_EQUAL -> value <= limit;
            case GREATER -> value > limit;
            case GREATER_OR_EQUAL -> value >= limit;
        };
    }

    /**
     * Whether {@code shown}, a rounded form of {@code value}, reads the same verdict against {@code limit}: the
     * reasons, constraints.json and the cohort table print a value to a few decimals unless that would put it on
     * the other side of its limit (49.9999996 as "50" against "< 50").
     */
    public boolean readsAlike(double shown, double value, double limit) {
        return holds(shown, limit) == holds(value, limit);
    }

    /** Distance from the limit on the passing side: positive passes (or ties under a non-strict sign). */
    public double margin(double value, double limit) {
        return switch (this) {
            case LESS, LESS_OR_EQUAL -> limit - value;
            case GREATER, GREATER_OR_EQUAL -> value - limit;
        };
    }

    public static Optional<Comparison> fromSymbol(String symbol) {
        for (Comparison c : values()) {
            if (c.symbol.equals(symbol)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
