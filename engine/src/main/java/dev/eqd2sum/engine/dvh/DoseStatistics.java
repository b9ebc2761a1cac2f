package dev.eqd2sum.engine.dvh;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Values of dose statistics of one dose distribution over a structure's samples. Undefined values
 * (no samples; a volume larger than the structure; a percentage of nothing) are {@code null},
 * never 0 or NaN.
 */
public final class DoseStatistics {
    private final Map<Key, Double> values;
    private final double volumeCc;
    private final int maxSample;
    private final int minSample;

    private record Key(DoseStatistic statistic, StatisticUnit unit) {
        // equals and hashCode written out, with the values the record's own would give: a record's generated ones are
        // bootstrapped through invokedynamic on first use, which the start-up cache does not keep (5-15 ms each in a
        // fresh JVM, on the path of every sum).
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && java.util.Objects.equals(statistic, k.statistic) && unit == k.unit;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(statistic) * 31 + java.util.Objects.hashCode(unit);
        }
    }

    DoseStatistics(double volumeCc, int maxSample, int minSample) {
        this.values = new HashMap<>();
        this.volumeCc = volumeCc;
        this.maxSample = maxSample;
        this.minSample = minSample;
    }

    void put(DoseStatistic statistic, StatisticUnit unit, Double value) {
        values.put(new Key(statistic, unit), value == null ? null : value + 0.0);
    }

    /** The same values, of {@code statistics} only (a distribution evaluated for several callers at once). */
    DoseStatistics restrictedTo(Collection<DoseStatistic> statistics) {
        DoseStatistics out = new DoseStatistics(volumeCc, maxSample, minSample);
        Set<DoseStatistic> keep = new HashSet<>(statistics);
        values.forEach((key, value) -> {
            if (keep.contains(key.statistic())) {
                out.values.put(key, value);
            }
        });
        return out;
    }

    /** The value in the given unit (one of {@link DoseStatistic#units()}), or null when undefined. */
    public Double value(DoseStatistic statistic, StatisticUnit unit) {
        Key key = new Key(statistic, unit);
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(statistic + " in " + unit.symbol() + " was not computed");
        }
        return values.get(key);
    }

    /** The value in the statistic's first unit (Gy for dose statistics, cc for volumes). */
    public Double value(DoseStatistic statistic) {
        return value(statistic, statistic.units().get(0));
    }

    public boolean has(DoseStatistic statistic) {
        return values.containsKey(new Key(statistic, statistic.units().get(0)));
    }

    /** Volume of the samples (the structure inside the grid), cc. */
    public double volumeCc() {
        return volumeCc;
    }

    /** Index of the sample holding the maximum (lowest index on ties), -1 without samples. */
    public int maxSample() {
        return maxSample;
    }

    public int minSample() {
        return minSample;
    }
}
