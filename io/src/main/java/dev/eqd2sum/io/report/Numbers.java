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
        String fast = fourDecimals(v);
        if (fast != null) {
            return fast;
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.equals("-0.0000") ? "0.0000" : s;
    }

    /** Below this, v * 10^4 is known to within 2^-22 units of the fourth decimal (its ulp is 2^-23 or less). */
    private static final double FAST_LIMIT = 1e5;
    /** Distance from a rounding tie (in units of the fourth decimal) beyond which rounding cannot be in doubt. */
    private static final double TIE_MARGIN = 1e-4;

    /**
     * {@code %.4f} without the Formatter (dvh.csv has thousands of rows per case): for 0 <= v < 10^5 whose
     * scaled value is not within {@value #TIE_MARGIN} of a tie, the rounded number is the same whichever way
     * a tie would be broken and however v's decimal digits are produced, so it is formatted from a long.
     * Null when in doubt (the caller uses the Formatter).
     */
    static String fourDecimals(double v) {
        long q = roundedUnlessInDoubt(v, 1e4, TIE_MARGIN);
        if (q < 0) {
            return null;
        }
        long whole = q / 10_000;
        int part = (int) (q % 10_000);
        StringBuilder b = new StringBuilder(16).append(whole).append('.');
        if (part < 1000) {
            b.append('0');
            if (part < 100) {
                b.append('0');
                if (part < 10) {
                    b.append('0');
                }
            }
        }
        return b.append(part).toString();
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

    /**
     * {@link #json}'s number as the plain text the reports write (null for undefined), without BigDecimal where
     * the rounding cannot be in doubt (dvh.json has tens of thousands of numbers per case; a fresh JVM took
     * about 35 ms for 50,000 of them through BigDecimal).
     */
    static String jsonText(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return null;
        }
        String fast = sixDecimals(v);
        if (fast != null) {
            return fast;
        }
        // from 1e15 on in scientific notation ("1E+308"): the plain digits would run to hundreds
        return Math.abs(v) >= 1e15 ? BigDecimal.valueOf(v).stripTrailingZeros().toString() : json(v).toPlainString();
    }

    /**
     * As {@link #fourDecimals}, to 6 decimals with trailing zeros dropped ("12.34", "100", "0"): for
     * 0 <= v < 10^5 whose scaled value v * 10^6 (known to within 2^-16 units there) is not within
     * {@value #TIE_MARGIN_JSON} of a tie. Null when in doubt.
     */
    static String sixDecimals(double v) {
        long q = roundedUnlessInDoubt(v, 1e6, TIE_MARGIN_JSON);
        if (q < 0) {
            return null;
        }
        long whole = q / 1_000_000;
        int part = (int) (q % 1_000_000);
        StringBuilder b = new StringBuilder(16).append(whole);
        if (part != 0) {
            int digits = 6;
            while (part % 10 == 0) {
                part /= 10;
                digits--;
            }
            b.append('.');
            for (int width = String.valueOf(part).length(); width < digits; width++) {
                b.append('0');
            }
            b.append(part);
        }
        return b.toString();
    }

    /** As {@link #TIE_MARGIN}, for six decimals (v * 10^6 < 10^11 has an ulp of 2^-16 or less). */
    private static final double TIE_MARGIN_JSON = 1e-3;

    /**
     * v * scale rounded to an integer, for 0 <= v < {@link #FAST_LIMIT} when v * scale lies more than
     * {@code margin} from a tie: then no way of breaking ties or of producing v's decimal digits changes it.
     * -1 when in doubt.
     */
    private static long roundedUnlessInDoubt(double v, double scale, double margin) {
        if (!(v >= 0 && v < FAST_LIMIT)) {
            return -1;
        }
        double scaled = v * scale;
        double floor = Math.floor(scaled);
        double frac = scaled - floor;
        if (Math.abs(frac - 0.5) < margin) {
            return -1;
        }
        return (long) floor + (frac > 0.5 ? 1 : 0);
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
