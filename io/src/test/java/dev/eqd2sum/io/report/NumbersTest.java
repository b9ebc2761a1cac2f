package dev.eqd2sum.io.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The CSV number format without the Formatter gives exactly the Formatter's text. */
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
