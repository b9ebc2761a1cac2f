package dev.eqd2sum.engine.dvh;

/** The unit a statistic's value is reported in; {@link #symbol()} is what dvh.json and metrics.csv write. */
public enum StatisticUnit {
    GY("Gy"),
    CC("cc"),
    PERCENT("%");

    private final String symbol;

    StatisticUnit(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
