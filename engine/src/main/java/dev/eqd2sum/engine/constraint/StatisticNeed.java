package dev.eqd2sum.engine.constraint;

/** A statistic that constraint evaluation will read: of {@code structure}, in EQD2 at {@code alphaBeta}. */
public record StatisticNeed(String structure, double alphaBeta, String statistic) {
}
