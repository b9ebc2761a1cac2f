package dev.eqd2sum.io.cohort;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTest {
    @Property(tries = 300)
    void rowsReadBackAsWritten(@ForAll @Size(min = 2, max = 6) List<String> fields) {
        assertThat(Csv.parse(Csv.row(fields))).containsExactly(fields);
    }

    @Test
    void quotesOnlyWhenNeeded() {
        assertThat(Csv.row(List.of("a", "b,c", "say \"hi\"", ""))).isEqualTo("a,\"b,c\",\"say \"\"hi\"\"\",\n");
        assertThat(Csv.number(null)).isEmpty();
        assertThat(Csv.number(2.0)).isEqualTo("2.0000");
        assertThat(Csv.number(-0.00001)).isEqualTo("0.0000");
        assertThat(Csv.number(Double.NaN)).isEmpty();
    }

    @Test
    void anUnclosedQuoteIsReported() {
        assertThatThrownBy(() -> Csv.parse("case\n\"a.json\n")).hasMessage("the quoted field starting on line 2 is not closed");
    }
}
