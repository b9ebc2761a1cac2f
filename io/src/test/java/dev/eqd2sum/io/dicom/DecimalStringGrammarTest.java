package dev.eqd2sum.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The hand-written DS scanner accepts exactly what the PS3.5 DS grammar (as a regex) accepts. */
class DecimalStringGrammarTest {
    private static final Pattern DS = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    @Property(tries = 2000)
    void agreesWithTheRegularExpression(@ForAll @StringLength(max = 8) @Chars({'0', '7', '+', '-', '.', 'e', 'E', ' ', 'x'})
                                        String s) {
        assertThat(DicomObject.isDecimalString(s)).as("'%s'", s).isEqualTo(DS.matcher(s).matches());
    }

    @Test
    void typicalValues() {
        for (String ok : new String[] {"0", "-12.5", "+.5", "12.", "1e3", "-1.25E-07", "123.456"}) {
            assertThat(DicomObject.isDecimalString(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"", ".", "-", "e5", "1e", "1e+", "NaN", "Infinity", "0x1p3", "1.2.3", " 1"}) {
            assertThat(DicomObject.isDecimalString(bad)).as(bad).isFalse();
        }
    }
}
