package dev.eqd2sum.io.dicom;

import java.math.BigDecimal;
import java.util.Locale;

/** Decimal String (DS) formatting: at most 16 characters (PS3.5 6.2), as precise as that allows. */
public final class DecimalStrings {
    public static final int MAX_LENGTH = 16;

    private DecimalStrings() {
    }

    public static String format(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("DS cannot hold " + value);
        }
        if (value == 0) {
            return "0";
        }
        String shortest = BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
        if (shortest.length() <= MAX_LENGTH) {
            return shortest;
        }
        // Fewer significant digits until it fits, plain or with an exponent, whichever is more precise.
        for (int digits = 15; digits >= 1; digits--) {
            String plain = new BigDecimal(value).round(new java.math.MathContext(digits)).stripTrailingZeros()
                    .toPlainString();
            if (plain.length() <= MAX_LENGTH) {
                return plain;
            }
            String sci = String.format(Locale.ROOT, "%." + (digits - 1) + "E", value);
            if (sci.length() <= MAX_LENGTH) {
                return sci;
            }
        }
        throw new IllegalArgumentException("DS cannot hold " + value);
    }
}
