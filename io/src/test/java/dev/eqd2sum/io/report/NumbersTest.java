package dev.eqd2sum.io.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The CSV and JSON number formats without the Formatter or BigDecimal give exactly their text. */
class NumbersTest {

    private static String formatter(double v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.equals("-0.0000") ? "0.0000" : s;
    }

    @Property(tries = 2000)
    void csvEqualsTheFormatter(@ForAll long seed) {
        Random r = new Random(seed);
        double v = switch (r.nextInt(6)) {
            case 0 -> r.nextDouble() * 100;                                  // doses
            case 1 -> r.nextDouble() * 20_000;                               // volumes (cc)
            case 2 -> Math.round(r.nextDouble() * 1e6) / 1e4 + 0.00005;     // ties of the fourth decimal
            case 3 -> Math.round(r.nextDouble() * 1e6) / 1e4;               // exact four-decimal values
            case 4 -> (r.nextDouble() - 0.5) * 1e-3;                         // around 0, both signs
            default -> Math.scalb(r.nextDouble(), r.nextInt(80) - 40);        // every magnitude
        };
        assertThat(Numbers.csv(v)).as("%s", v).isEqualTo(formatter(v));
        assertThat(Numbers.csv(Math.nextUp(v))).isEqualTo(formatter(Math.nextUp(v)));
        assertThat(Numbers.csv(Math.nextDown(v))).isEqualTo(formatter(Math.nextDown(v)));
    }

    private static String bigDecimal(double v) {
        return Numbers.json(v).toPlainString();
    }

    /** dvh.json's numbers without BigDecimal: exactly BigDecimal's rounding to 6 decimals, as plain text. */
    @Property(tries = 2000)
    void jsonTextEqualsBigDecimal(@ForAll long seed) {
        Random r = new Random(seed);
        double v = switch (r.nextInt(7)) {
            case 0 -> r.nextDouble() * 100;                                  // doses
            case 1 -> r.nextDouble() * 20_000;                               // volumes (cc)
            case 2 -> Math.round(r.nextDouble() * 1e10) / 1e6 + 5e-7;       // ties of the sixth decimal
            case 3 -> Math.round(r.nextDouble() * 1e10) / 1e6;              // exact six-decimal values
            case 4 -> Math.round(r.nextDouble() * 1e6) / 100.0;             // DVH dose edges (0.01 Gy)
            case 5 -> (r.nextDouble() - 0.5) * 1e-5;                         // around 0, both signs
            default -> Math.scalb(r.nextDouble(), r.nextInt(80) - 40);        // every magnitude
        };
        for (double x : new double[] {v, Math.nextUp(v), Math.nextDown(v)}) {
            assertThat(Numbers.jsonText(x)).as("%s", x).isEqualTo(bigDecimal(x));
        }
    }

    @Test
    void jsonEdgeValues() {
        for (double v : new double[] {0, -0.0, 5e-7, 4.99999e-7, 1.5e-6, 2.5e-6, 0.9999995, 99999.9999995, 1e5,
                1e5 - 1e-9, 100, 1e12, -1.5, 0.125, 43.296000000000006, 19222.6725, 0.01, 12.34, 1e-7}) {
            assertThat(Numbers.jsonText(v)).as("%s", v).isEqualTo(bigDecimal(v));
        }
        assertThat(Numbers.jsonText(null)).isNull();
        assertThat(Numbers.jsonText(Double.NaN)).isNull();
        assertThat(Numbers.sixDecimals(100.0)).isEqualTo("100");
        assertThat(Numbers.sixDecimals(0.000120)).isEqualTo("0.00012");
        assertThat(Numbers.sixDecimals(2.5e-6)).isNull(); // a tie: left to BigDecimal
    }

    @Test
    void edgeValues() {
        for (double v : new double[] {0, -0.0, 0.00005, 0.00004999999, 0.99995, 9999.99995, 99999.99999, 1e5, 1e5 - 1e-9,
                1e12, -1.5, -0.00001, 0.125, 2.5e-5, 7.5e-5, 1.00005, 43.296000000000006}) {
            assertThat(Numbers.csv(v)).as("%s", v).isEqualTo(formatter(v));
        }
        assertThat(Numbers.csv(null)).isEmpty();
        assertThat(Numbers.csv(Double.NaN)).isEmpty();
        assertThat(Numbers.fourDecimals(12.34567)).isEqualTo("12.3457");
        assertThat(Numbers.fourDecimals(0.00005)).isNull(); // a tie: left to the Formatter
    }
}
