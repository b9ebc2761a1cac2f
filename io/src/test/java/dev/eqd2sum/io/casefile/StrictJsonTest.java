package dev.eqd2sum.io.casefile;

import dev.eqd2sum.engine.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Syntax errors and non-JSON files are reported in the file author's words, with no parser internals. */
class StrictJsonTest {
    private static final String DISPLAY = "pt017/case.json";

    @TempDir
    Path dir;

    private static String problem(String json) {
        return problem(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String problem(byte[] bytes) {
        try {
            StrictJson.parse(bytes, DISPLAY);
        } catch (InvalidInputException e) {
            assertThat(e.source()).isEqualTo(DISPLAY);
            return e.problem();
        }
        throw new AssertionError("accepted: " + new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void trailingContentNaNCommentsAndDeepNestingInPlainWords() {
        assertThat(problem("{\"caseId\": \"a\"}\n{\"caseId\": \"b\"}"))
                .isEqualTo("is not valid JSON at line 2, column 1: more content after the end of the JSON object");
        assertThat(problem("\uFEFF {} []")).isEqualTo("is not valid JSON at line 1, column 8: more content after the"
                + " end of the JSON object");
        assertThat(problem("[1] 2")).isEqualTo("is not valid JSON at line 1, column 5: more content after the end of"
                + " the JSON value");
        assertThat(problem("{\"courses\": [{\"fractions\": NaN}]}"))
                .isEqualTo("is not valid JSON at line 1, column 31: NaN is not a JSON number");
        assertThat(problem("{\"a\": -Infinity}"))
                .isEqualTo("is not valid JSON at line 1, column 16: -Infinity is not a JSON number");
        assertThat(problem("// pt017\n{}")).isEqualTo("is not valid JSON at line 1, column 1: comments are not allowed"
                + " in JSON");
        assertThat(problem("{\"a\": 1 /* Gy */}")).isEqualTo("is not valid JSON at line 1, column 9: comments are not"
                + " allowed in JSON");
        assertThat(problem("{\"a\":\n" + "[".repeat(1200))).isEqualTo("is not valid JSON at line 2, column 1000: nested"
                + " deeper than 1000 levels");
        // brackets inside strings do not count
        assertThat(problem("{\"a[{\": \"[[[\", \"b\": " + "[".repeat(1000) + "{}"))
                .isEqualTo("is not valid JSON at line 1, column 1020: nested deeper than 1000 levels");
    }

    @Test
    void otherParserMessagesLoseClassFeatureAndTokenNames() {
        assertThat(problem("{\"a\": +1}")).isEqualTo("is not valid JSON at line 1, column 8: Unexpected character ('+'"
                + " (code 43)) in numeric value: JSON spec does not allow numbers to have plus signs");
        assertThat(problem("{\"a\": \"x")).isEqualTo("is not valid JSON at line 1, column 9: Unexpected end-of-input in"
                + " a string");
        assertThat(problem("{\"a\": [1}")).isEqualTo("is not valid JSON at line 1, column 9: Unexpected close marker"
                + " '}': expected ']' (for Array starting at line 1, column 7)");
        assertThat(problem("{\"a\": " + "1".repeat(1200) + "}"))
                .isEqualTo("is not valid JSON: a number has more than 1000 digits");
        assertThat(problem(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE9, '"', '}'}))
                .isEqualTo("is not valid JSON at line 1, column 9: the text is not UTF-8 here (save the file as UTF-8)");
        assertThat(StrictJson.firstLine("Trailing token (of type START_OBJECT) found after value (bound as"
                + " `com.fasterxml.jackson.databind.JsonNode`): not allowed as per"
                + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"))
                .isEqualTo("Trailing token (of type '{') found after value");
        assertThat(StrictJson.firstLine("Something (1000, from `StreamReadConstraints.getMaxTokenCount()`) exceeded;"
                + " see JsonReadFeature.ALLOW_X and com.fasterxml.jackson.core.Foo"))
                .isEqualTo("Something exceeded; see and");
    }

    @Test
    void aDicomFileOrOtherBinaryIsNotTakenForText() throws IOException {
        byte[] dicom = new byte[300];
        System.arraycopy("DICM".getBytes(StandardCharsets.US_ASCII), 0, dicom, 128, 4);
        assertThat(problem(dicom)).isEqualTo("is not a JSON file: it looks like a DICOM file (DICM at byte 128)");
        Path rs = dir.resolve("RS.dcm");
        Files.write(rs, dicom);
        assertThatThrownBy(() -> CaseFileReader.read(rs, "case/RS.dcm"))
                .hasMessage("case/RS.dcm: is not a JSON file: it looks like a DICOM file (DICM at byte 128)");
        assertThat(problem(new byte[] {'{', '}', 0, 1, 2})).isEqualTo("is not a JSON text file (binary content)");
        assertThat(problem(new byte[] {8, 0, 5, 0, 'C', 'S', 10, 0})).isEqualTo("is not a JSON text file (binary content)");
        assertThat(problem(new byte[] {0, 0, 0, 0, 0, 0, 0, 0})).isEqualTo("is not a JSON text file (binary content)");
    }

    @Test
    void utf16And32TextIsStillRead() {
        for (String charset : new String[] {"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
            assertThat(StrictJson.parse("{\"caseId\": \"a\"}".getBytes(java.nio.charset.Charset.forName(charset)), DISPLAY)
                    .get("caseId").textValue()).as(charset).isEqualTo("a");
        }
    }
}
