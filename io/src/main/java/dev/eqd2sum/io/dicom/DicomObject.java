package dev.eqd2sum.io.dicom;

import dev.eqd2sum.engine.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A DICOM data set (or sequence item) in memory: attributes by tag, in tag order. Getters turn
 * missing or malformed values of required attributes into an {@link InvalidInputException}
 * naming the file and the attribute by keyword and tag. Binary values are held little endian
 * whatever the file's encoding.
 */
public final class DicomObject {
    private final String source;
    private final TreeMap<Integer, DicomElement> elements = new TreeMap<>();
    private Charset charset;

    /** @param source the file this data set came from (or will be written to), for messages */
    public DicomObject(String source) {
        this(source, StandardCharsets.ISO_8859_1);
    }

    DicomObject(String source, Charset charset) {
        this.source = source;
        this.charset = charset;
    }

    public String source() {
        return source;
    }

    Charset charset() {
        return charset;
    }

    void setCharset(Charset charset) {
        this.charset = charset;
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public DicomElement get(int tag) {
        return elements.get(tag);
    }

    public Collection<DicomElement> elements() {
        return elements.values();
    }

    public void put(DicomElement e) {
        elements.put(e.tag(), e);
        if (e.tag() == Tags.SpecificCharacterSet && e.bytes() != null) {
            charset = CharacterSets.forSpecificCharacterSet(new String(e.bytes(), StandardCharsets.ISO_8859_1));
        }
    }

    public void remove(int tag) {
        elements.remove(tag);
    }

    // ---------------------------------------------------------------- reading values

    /** The whole text value, trimmed of padding; null when absent or empty. */
    public String getString(int tag) {
        String[] values = getStrings(tag);
        if (values.length == 0) {
            return null;
        }
        String joined = values.length == 1 ? values[0] : String.join("\\", values);
        return joined.isEmpty() ? null : joined;
    }

    /** The text values split at backslashes, each trimmed; empty when absent. */
    public String[] getStrings(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.bytes() == null || e.bytes().length == 0) {
            return new String[0];
        }
        if (!e.vr().isText() && e.vr() != Vr.UN) {
            throw invalid(tag, "has VR " + e.vr() + ", not text");
        }
        Charset cs = e.vr().usesCharacterSet() ? charset : StandardCharsets.ISO_8859_1;
        String text = new String(e.bytes(), cs);
        // LT, ST, UT hold one value that may contain backslashes.
        if (e.vr() == Vr.LT || e.vr() == Vr.ST || e.vr() == Vr.UT) {
            return new String[] {trim(text)};
        }
        String[] parts = text.split("\\\\", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = trim(parts[i]);
        }
        return parts;
    }

    private static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == 0)) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == 0)) {
            e--;
        }
        return s.substring(b, e);
    }

    public String requireString(int tag) {
        String s = getString(tag);
        if (s == null) {
            throw missing(tag);
        }
        return s;
    }

    /** Numbers of a DS, IS, FL, FD, US, SS, UL or SL attribute; empty when absent. */
    public double[] getDoubles(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.bytes() == null || e.bytes().length == 0) {
            return new double[0];
        }
        byte[] b = e.bytes();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (e.vr()) {
            case FD -> {
                double[] out = new double[b.length / 8];
                bb.asDoubleBuffer().get(out);
                return out;
            }
            case FL -> {
                double[] out = new double[b.length / 4];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bb.getFloat(4 * i);
                }
                return out;
            }
            case US, SS, UL, SL -> {
                long[] ints = getLongs(e);
                double[] out = new double[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    out[i] = ints[i];
                }
                return out;
            }
            case DS, IS, UN -> {
                String[] parts = getStrings(tag);
                double[] out = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    out[i] = parseDecimal(tag, parts, i);
                }
                return out;
            }
            default -> throw invalid(tag, "has VR " + e.vr() + ", not a number");
        }
    }

    private double parseDecimal(int tag, String[] parts, int i) {
        String p = parts[i];
        try {
            // Double.parseDouble also accepts "NaN", "Infinity", hex floats and a d/f suffix, which DS does not.
            if (!decimalCharactersOnly(p)) {
                throw new NumberFormatException();
            }
            double d = Double.parseDouble(p);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException notANumber) {
            String shown = p.length() > 40 ? p.substring(0, 40) + "..." : p;
            throw invalid(tag, parts.length == 1 ? "value '" + shown + "' is not a number"
                    : "value " + (i + 1) + " of " + parts.length + " ('" + shown + "') is not a number");
        }
    }

    private static boolean decimalCharactersOnly(String s) {
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c != '.' && c != '+' && c != '-' && c != 'e' && c != 'E') {
                return false;
            }
        }
        return digit;
    }

    private static long[] getLongs(DicomElement e) {
        byte[] b = e.bytes();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return switch (e.vr()) {
            case US -> {
                long[] out = new long[b.length / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bb.getShort(2 * i) & 0xFFFF;
                }
                yield out;
            }
            case SS -> {
                long[] out = new long[b.length / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bb.getShort(2 * i);
                }
                yield out;
            }
            case UL -> {
                long[] out = new long[b.length / 4];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bb.getInt(4 * i) & 0xFFFFFFFFL;
                }
                yield out;
            }
            case SL -> {
                long[] out = new long[b.length / 4];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bb.getInt(4 * i);
                }
                yield out;
            }
            default -> throw new IllegalStateException("not a binary integer VR: " + e.vr());
        };
    }

    /** Integers of an IS, US, SS, UL or SL attribute; empty when absent. */
    public int[] getInts(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.bytes() == null || e.bytes().length == 0) {
            return new int[0];
        }
        switch (e.vr()) {
            case US, SS, UL, SL -> {
                long[] v = getLongs(e);
                int[] out = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    if (v[i] > Integer.MAX_VALUE) {
                        throw invalid(tag, "value " + v[i] + " is too large");
                    }
                    out[i] = (int) v[i];
                }
                return out;
            }
            case IS, DS, UN -> {
                String[] parts = getStrings(tag);
                int[] out = new int[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    double d = parseDecimal(tag, parts, i);
                    // Some writers put "1.0" into IS; accept integral values, refuse fractions.
                    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                        throw invalid(tag, "value '" + parts[i] + "' is not an integer");
                    }
                    out[i] = (int) d;
                }
                return out;
            }
            default -> throw invalid(tag, "has VR " + e.vr() + ", not an integer");
        }
    }

    public int getInt(int tag, int defaultValue) {
        int[] v = getInts(tag);
        return v.length == 0 ? defaultValue : v[0];
    }

    public int requireInt(int tag) {
        int[] v = getInts(tag);
        if (v.length == 0) {
            throw missing(tag);
        }
        return v[0];
    }

    public double requireDouble(int tag) {
        return requireDoubles(tag, 1)[0]; // a second value would be silently dropped otherwise
    }

    /** Exactly {@code count} numbers, or an error naming the attribute. */
    public double[] requireDoubles(int tag, int count) {
        double[] v = getDoubles(tag);
        if (v.length == 0) {
            throw missing(tag);
        }
        if (v.length != count) {
            throw invalid(tag, "has " + v.length + " values, expected " + count);
        }
        return v;
    }

    /** Tags held by an AT attribute. */
    public int[] getTags(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.bytes() == null) {
            return new int[0];
        }
        ByteBuffer bb = ByteBuffer.wrap(e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[e.bytes().length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = Tag.of(bb.getShort(4 * i) & 0xFFFF, bb.getShort(4 * i + 2) & 0xFFFF);
        }
        return out;
    }

    /** Items of a sequence; empty when absent. */
    public List<DicomObject> getSequence(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null) {
            return List.of();
        }
        if (!e.isSequence()) {
            if (e.bytes() != null && e.bytes().length == 0) {
                return List.of();
            }
            throw invalid(tag, "is not a sequence");
        }
        return e.items();
    }

    public List<DicomObject> requireSequence(int tag) {
        List<DicomObject> items = getSequence(tag);
        if (items.isEmpty()) {
            throw new InvalidInputException(source, Tag.describe(tag) + " is missing or empty");
        }
        return items;
    }

    public InvalidInputException missing(int tag) {
        return new InvalidInputException(source, Tag.describe(tag) + " is missing");
    }

    public InvalidInputException invalid(int tag, String problem) {
        return new InvalidInputException(source, Tag.describe(tag) + " " + problem);
    }

    // ---------------------------------------------------------------- setting values

    /** Sets text values (joined with backslashes), encoded in UTF-8 where the VR takes a character set. */
    public DicomObject setString(int tag, Vr vr, String... values) {
        String joined = String.join("\\", values);
        Charset cs = vr.usesCharacterSet() ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        put(DicomElement.ofBytes(tag, vr, joined.getBytes(cs)));
        return this;
    }

    /** Sets a text attribute from the keyword's dictionary VR. */
    public DicomObject setString(int tag, String... values) {
        return setString(tag, dictionaryVr(tag), values);
    }

    public DicomObject setDecimals(int tag, double... values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            s[i] = DecimalStrings.format(values[i]);
        }
        return setString(tag, Vr.DS, s);
    }

    /** Integers as IS, US, SS, UL or SL (the VR from the dictionary). */
    public DicomObject setInts(int tag, int... values) {
        Vr vr = dictionaryVr(tag);
        switch (vr) {
            case IS -> {
                String[] s = new String[values.length];
                for (int i = 0; i < values.length; i++) {
                    s[i] = Integer.toString(values[i]);
                }
                return setString(tag, Vr.IS, s);
            }
            case US, SS -> {
                ByteBuffer bb = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : values) {
                    bb.putShort((short) v);
                }
                put(DicomElement.ofBytes(tag, vr, bb.array()));
                return this;
            }
            case UL, SL -> {
                ByteBuffer bb = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : values) {
                    bb.putInt(v);
                }
                put(DicomElement.ofBytes(tag, vr, bb.array()));
                return this;
            }
            default -> throw new IllegalArgumentException(Tag.describe(tag) + " is " + vr + ", not an integer VR");
        }
    }

    public DicomObject setTags(int tag, int... tags) {
        ByteBuffer bb = ByteBuffer.allocate(4 * tags.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int t : tags) {
            bb.putShort((short) Tag.group(t)).putShort((short) Tag.element(t));
        }
        put(DicomElement.ofBytes(tag, Vr.AT, bb.array()));
        return this;
    }

    public DicomObject setBytes(int tag, Vr vr, byte[] value) {
        put(DicomElement.ofBytes(tag, vr, value));
        return this;
    }

    public DicomObject setSequence(int tag, List<DicomObject> items) {
        put(DicomElement.ofSequence(tag, items));
        return this;
    }

    public DicomObject setSequence(int tag, DicomObject... items) {
        return setSequence(tag, List.of(items));
    }

    /** A new empty item for a sequence of this data set (same source, same character set). */
    public DicomObject newItem() {
        return new DicomObject(source, charset);
    }

    private static Vr dictionaryVr(int tag) {
        Vr vr = DicomDictionary.vr(tag);
        if (vr == null) {
            throw new IllegalArgumentException("no dictionary entry for " + Tag.toString(tag));
        }
        return vr;
    }

    /** Copies the listed attributes (where present) from another data set. */
    public DicomObject copyFrom(DicomObject other, int... tags) {
        for (int t : tags) {
            DicomElement e = other.get(t);
            if (e != null) {
                put(e);
            }
        }
        return this;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (DicomElement e : elements.values()) {
            parts.add(Tag.describe(e.tag()) + " " + e.vr());
        }
        return String.format(Locale.ROOT, "DicomObject[%s: %s]", source, String.join(", ", parts));
    }
}
