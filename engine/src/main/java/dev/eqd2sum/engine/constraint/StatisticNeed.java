package dev.eqd2sum.engine.constraint;

/** A statistic that constraint evaluation will read: of {@code structure}, in EQD2 at {@code alphaBeta}. */
public record StatisticNeed(String structure, double alphaBeta, String statistic) {
    // equals and hashCode written out, with the values the record's own would give: a record's generated ones are
    // bootstrapped through invokedynamic on first use, which the start-up cache does not keep (5-15 ms each in a
    // fresh JVM, on the path of every sum).
    @Override
    public boolean equals(Object o) {
        return o instanceof StatisticNeed n && java.util.Objects.equals(structure, n.structure)
                && Double.compare(alphaBeta, n.alphaBeta) == 0 && java.util.Objects.equals(statistic, n.statistic);
    }

    @Override
    public int hashCode() {
        return (java.util.Objects.hashCode(structure) * 31 + Double.hashCode(alphaBeta)) * 31
                + java.util.Objects.hashCode(statistic);
    }
}
