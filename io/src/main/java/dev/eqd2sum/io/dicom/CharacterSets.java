package dev.eqd2sum.io.dicom;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Specific Character Set (0008,0005) defined terms to Java charsets (PS3.3 C.12.1.1.2). */
final class CharacterSets {
    private CharacterSets() {
    }

    /**
     * The charset for names and other text of a data set. Only the first value counts: code
     * extensions (ISO 2022 escapes for Japanese, Korean) are not interpreted, their bytes come out
     * as Latin-1. Unknown terms fall back to Latin-1, which never fails on any byte.
     */
    static Charset forSpecificCharacterSet(String value) {
        if (value == null) {
            return StandardCharsets.ISO_8859_1;
        }
        String first = value.split("\\\\", -1)[0].trim();
        return switch (first) {
            case "ISO_IR 192" -> StandardCharsets.UTF_8;
            case "", "ISO_IR 6", "ISO 2022 IR 6", "ISO_IR 100", "ISO 2022 IR 100" -> StandardCharsets.ISO_8859_1;
            case "ISO_IR 101", "ISO 2022 IR 101" -> charset("ISO-8859-2");
            case "ISO_IR 109", "ISO 2022 IR 109" -> charset("ISO-8859-3");
            case "ISO_IR 110", "ISO 2022 IR 110" -> charset("ISO-8859-4");
            case "ISO_IR 144", "ISO 2022 IR 144" -> charset("ISO-8859-5");
            case "ISO_IR 127", "ISO 2022 IR 127" -> charset("ISO-8859-6");
            case "ISO_IR 126", "ISO 2022 IR 126" -> charset("ISO-8859-7");
            case "ISO_IR 138", "ISO 2022 IR 138" -> charset("ISO-8859-8");
            case "ISO_IR 148", "ISO 2022 IR 148" -> charset("ISO-8859-9");
            case "ISO_IR 203", "ISO 2022 IR 203" -> charset("ISO-8859-15");
            case "ISO_IR 166", "ISO 2022 IR 166" -> charset("TIS-620");
            case "GB18030" -> charset("GB18030");
            case "GBK" -> charset("GBK");
            default -> StandardCharsets.ISO_8859_1;
        };
    }

    private static Charset charset(String name) {
        return Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.ISO_8859_1;
    }
}
