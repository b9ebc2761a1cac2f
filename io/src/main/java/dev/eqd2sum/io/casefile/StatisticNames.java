package dev.eqd2sum.io.casefile;

import java.util.regex.Pattern;

/**
 * The statistics grammar of CONTRACT: {@code Dmax}, {@code Dmin}, {@code Dmean}, {@code D<x>cc},
 * {@code D<x>%}, {@code V<x>Gy}, {@code volume}, with x a plain decimal number.
 */
public final class StatisticNames {
    private static final Pattern GRAMMAR =
            Pattern.compile("Dmax|Dmin|Dmean|volume|D(\\d+(\\.\\d+)?)cc|D(\\d+(\\.\\d+)?)%|V(\\d+(\\.\\d+)?)Gy");

    private StatisticNames() {
    }

    /** Null when valid, else why not. */
    public static String problem(String statistic) {
        var m = GRAMMAR.matcher(statistic);
        if (!m.matches()) {
            return "\"" + statistic + "\" is not a statistic: use Dmax, Dmin, Dmean, D<x>cc, D<x>%, V<x>Gy or volume"
                    + " (e.g. D0.03cc, D95%, V20Gy)";
        }
        if (m.group(1) != null && !(Double.parseDouble(m.group(1)) > 0)) {
            return "\"" + statistic + "\" asks for the dose in 0 cc: use Dmax";
        }
        if (m.group(3) != null) {
            double p = Double.parseDouble(m.group(3));
            if (!(p > 0 && p <= 100)) {
                return "\"" + statistic + "\" needs a percentage above 0 and at most 100";
            }
        }
        return null;
    }

    /** True for statistics whose value is a dose (Gy), false for volumes (cc or %). */
    public static boolean isDose(String statistic) {
        return statistic.startsWith("D");
    }
}
