package dev.eqd2sum.io.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Number formats of the outputs. */
final class Numbers {
    private Numbers() {
    }

    /** CSV: Locale.ROOT, 4 decimals, empty for undefined (CONTRACT). */
    static String csv(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return "";
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.equals("-0.0000") ? "0.0000" : s;
    }

    /**
     * JSON: rounded to 6 decimals, so float noise (43.296000000000006) does not reach users; null for undefined.
     */
    static BigDecimal json(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return null;
        }
        BigDecimal b = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return b.signum() == 0 ? BigDecimal.ZERO : b;
    }

    /** Console: 2 decimals. */
    static String twoDecimals(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return "-";
        }
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.equals("-0.00") ? "0.00" : s;
    }

    /** 2.0 -> "2", 0.33 -> "0.33". */
    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
