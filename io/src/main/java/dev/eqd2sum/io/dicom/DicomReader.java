package dev.eqd2sum.io.dicom;

import dev.eqd2sum.engine.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Parses a DICOM Part 10 file or a bare data set held in memory. Every declared length is checked
 * against the bytes that remain before anything is allocated, so memory is bounded by the file
 * size (and by {@link #MAX_INFLATED_BYTES} for deflated data sets); sequence nesting is bounded
 * by {@link #MAX_DEPTH}. Anything malformed is an {@link InvalidInputException} naming the file
 * and the byte where it went wrong.
 */
public final class DicomReader {
    /** Real RT objects nest 4-6 levels; a deeper file is malformed or hostile. */
    public static final int MAX_DEPTH = 32;
    /** Largest inflated data set of a Deflated transfer syntax (a 2 GiB dose would not fit in an array anyway). */
    public static final int MAX_INFLATED_BYTES = 1 << 30;
    /** Bound on attributes plus items, so that a file of empty items cannot exhaust the heap. */
    public static final int MAX_NODES = 5_000_000;

    /** First read of {@link #readStreamed}: an RT Dose's attributes take a few kilobytes before its pixel data. */
    public static final int FIRST_READ_BYTES = 64 * 1024;
    /** The smallest first read: enough to tell a Part 10 file (marker at byte 128) from a bare data set. */
    static final int MIN_FIRST_READ_BYTES = 256;

    private static final int UNDEFINED = -1;

    private final String source;
    private final byte[] buf;
    private final long fileSize;
    /** Offset of buf[0] in the file (the bytes after a streamed pixel data value), for messages that give file positions. */
    private final long base;
    private boolean bigEndian;
    private boolean inflated;
    private int nodes;
    /** buf holds only the file's first bytes: running into its end asks for more ({@link MoreBytes}) instead of failing. */
    private boolean prefix;
    /** Top-level native pixel data that a streamed read left in the file, else null. */
    private PixelDataInFile deferred;

    private DicomReader(String source, byte[] buf, long fileSize) {
        this(source, buf, fileSize, 0);
    }

    private DicomReader(String source, byte[] buf, long fileSize, long base) {
        this.source = source;
        this.buf = buf;
        this.fileSize = fileSize;
        this.base = base;
    }

    /** The first bytes were not enough: read more (twice as many, or the whole file) and parse again. */
    private static final class MoreBytes extends RuntimeException {
        static final MoreBytes DOUBLE = new MoreBytes(false);
        static final MoreBytes WHOLE_FILE = new MoreBytes(true);
        final boolean wholeFile;

        private MoreBytes(boolean wholeFile) {
            super(null, null, false, false);
            this.wholeFile = wholeFile;
        }
    }


    /** Reads and parses a file; the source in messages is the path as given. */
    public static DicomFile read(Path path) {
        String source = path.toString();
        byte[] data;
        try {
            if (Files.isDirectory(path)) {
                throw new InvalidInputException(source, "is a folder, not a DICOM file");
            }
            if (isDevice(path)) {
                throw new InvalidInputException(source, "is a device, not a file"); // /dev/zero never ends
            }
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, "file not found");
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(source, "file is too large to read");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read the file: " + e.getMessage());
        }
        return parse(data, source);
    }

    /** A character or block device (a pipe, as from {@code <(...)} or /dev/stdin, ends and is read). */
    private static boolean isDevice(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode");
            int type = mode instanceof Integer m ? m & 0170000 : 0;
            return type == 0020000 || type == 0060000;
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return false; // no unix view (Windows): no such devices to meet
        }
    }

    /**
     * Reads a file's attributes but leaves its top-level native (uncompressed) pixel data in the file, to be
     * decoded from there in pieces ({@link StreamedDicomFile#decodePixels}): the file's bytes are never held
     * whole. The first {@value #FIRST_READ_BYTES} bytes are read and parsed; when the attributes run on past
     * them, twice as many, and so on. A file whose pixel data is encapsulated or deeper than the top level, or
     * a deflated data set, ends up read whole, as {@link #read} does. Malformed files give the same
     * {@link InvalidInputException} as {@link #read}. The caller closes the result.
     */
    public static StreamedDicomFile readStreamed(Path path, String source) {
        return readStreamed(path, source, FIRST_READ_BYTES);
    }

    /** As {@link #readStreamed(Path, String)}, parsing the first {@code firstReadBytes} bytes (at least 256) first. */
    public static StreamedDicomFile readStreamed(Path path, String source, int firstReadBytes) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(source, "file not found");
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read the file: " + e.getMessage());
        }
        try {
            long size = StreamedDicomFile.size(channel, source);
            long want = Math.min(size, Math.max(MIN_FIRST_READ_BYTES, firstReadBytes));
            while (true) {
                byte[] head = StreamedDicomFile.readFully(channel, 0, want, source);
                DicomReader r = new DicomReader(source, head, size);
                r.prefix = want < size;
                try {
                    DicomFile file = r.parseFile();
                    PixelDataInFile pixels = r.deferred;
                    if (pixels == null) {
                        return new StreamedDicomFile(file, channel, head, head.length, null, null);
                    }
                    long tailStart = pixels.offset() + pixels.length();
                    byte[] tail = null;
                    if (tailStart < size) {
                        // Attributes after the pixel data (trailing padding, private tags): parsed into the same data set.
                        tail = StreamedDicomFile.readFully(channel, tailStart, size - tailStart, source);
                        DicomReader t = new DicomReader(source, tail, size, tailStart);
                        t.bigEndian = file.transferSyntax().bigEndian();
                        DicomObject ds = file.dataset();
                        DicomObject rest = t.parseDataSet(0, tail.length, file.transferSyntax().explicitVr(),
                                ds.charset(), 0, false, null);
                        for (DicomElement e : rest.elements()) {
                            ds.put(e);
                        }
                    }
                    return new StreamedDicomFile(file, channel, head, (int) pixels.offset(), pixels, tail);
                } catch (MoreBytes more) {
                    want = more.wholeFile ? size : Math.min(size, 2 * want);
                }
            }
        } catch (RuntimeException | Error e) {
            StreamedDicomFile.closeQuietly(channel);
            throw e;
        }
    }

    /** Parses bytes already in memory. The returned pixel data views {@code data}: do not change it. */
    public static DicomFile parse(byte[] data, String source) {
        return new DicomReader(source, data, data.length).parseFile();
    }

    private DicomFile parseFile() {
        int pos;
        boolean part10 = Part10.hasMarker(buf);
        if (part10) {
            pos = 132;
        } else {
            pos = 0;
        }
        DicomObject meta = new DicomObject(source);
        boolean hasMeta = buf.length >= pos + 8 && u16le(pos) == 0x0002;
        if (part10 && !hasMeta) {
            throw new InvalidInputException(source, "the File Meta Information (group 0002) is missing after the DICM marker");
        }
        if (hasMeta) {
            pos = parseMeta(meta, pos);
        }
        String tsUid = meta.getString(Tags.TransferSyntaxUID);
        TransferSyntax ts;
        if (tsUid != null) {
            ts = TransferSyntax.forUid(tsUid);
            if (ts == null) {
                throw new InvalidInputException(source, "transfer syntax " + tsUid + " is not supported"
                        + " (export as Explicit or Implicit VR Little Endian)");
            }
        } else {
            if (!part10 && !hasMeta && !looksLikeDataSet(pos)) {
                throw new InvalidInputException(source,
                        "not a DICOM file (no 'DICM' marker at byte 128 and no data set at byte 0)");
            }
            ts = guessEncoding(pos);
            tsUid = ts.uid();
        }
        DicomReader body = this;
        int start = pos;
        if (ts.deflated() && prefix) {
            throw MoreBytes.WHOLE_FILE; // inflation needs every byte
        }
        if (ts.deflated()) {
            body = new DicomReader(source, inflate(pos), fileSize);
            body.inflated = true;
            start = 0;
        }
        body.bigEndian = ts.bigEndian();
        DicomObject ds = body.parseDataSet(start, body.buf.length, ts.explicitVr(),
                StandardCharsets.ISO_8859_1, 0, false, null);
        if (prefix && deferred == null) {
            throw MoreBytes.DOUBLE; // the first bytes ended between two attributes, before any pixel data
        }
        return new DicomFile(source, meta, ds, ts, tsUid, part10 || hasMeta, fileSize);
    }

    private int parseMeta(DicomObject meta, int pos) {
        // Group 0002 is always Explicit VR Little Endian (PS3.10 7.1).
        bigEndian = false;
        int end = buf.length;
        while (pos + 4 <= buf.length && u16le(pos) == 0x0002) {
            int[] next = new int[1];
            DicomElement e = readElement(pos, end, true, StandardCharsets.ISO_8859_1, 0, next);
            meta.put(e);
            pos = next[0];
            if (e.tag() == Tags.FileMetaInformationGroupLength && e.bytes() != null && e.bytes().length == 4) {
                long groupLength = ByteBuffer.wrap(e.bytes()).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                if (groupLength > buf.length - pos) {
                    if (prefix) {
                        throw MoreBytes.DOUBLE;
                    }
                    throw new InvalidInputException(source, "file ends at byte " + buf.length
                            + " inside the File Meta Information (declared group length " + groupLength + ")");
                }
            }
        }
        return pos;
    }

    private boolean looksLikeDataSet(int pos) {
        if (buf.length < pos + 8) {
            return false;
        }
        int le = u16le(pos);
        int be = u16be(pos);
        return plausibleFirstGroup(le) || plausibleFirstGroup(be);
    }

    private static boolean plausibleFirstGroup(int g) {
        return g >= 0x0002 && g <= 0x0020 && (g & 1) == 0;
    }

    /** A bare data set says nothing about its encoding: recognise it from its first element. */
    private TransferSyntax guessEncoding(int pos) {
        if (buf.length < pos + 8) {
            if (prefix) {
                throw MoreBytes.DOUBLE;
            }
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        boolean vrFollows = Vr.of(buf[pos + 4] & 0xFF, buf[pos + 5] & 0xFF) != null;
        if (plausibleFirstGroup(u16le(pos))) {
            return vrFollows ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        if (vrFollows) {
            return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        }
        throw new InvalidInputException(source, "not a DICOM file (no 'DICM' marker at byte 128 and no data set at byte 0)");
    }

    private byte[] inflate(int pos) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(buf, pos, buf.length - pos);
            byte[] out = new byte[Math.max(1024, Math.min(MAX_INFLATED_BYTES, (buf.length - pos) * 4))];
            int n = 0;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length >= MAX_INFLATED_BYTES) {
                        throw new InvalidInputException(source, "the deflated data set inflates to more than "
                                + MAX_INFLATED_BYTES + " bytes");
                    }
                    out = java.util.Arrays.copyOf(out, (int) Math.min(MAX_INFLATED_BYTES, 2L * out.length));
                }
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new InvalidInputException(source, "the deflated data set is truncated (file ends at byte "
                            + buf.length + ")");
                }
                n += got;
            }
            return java.util.Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new InvalidInputException(source, "the deflated data set is corrupt: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /**
     * Parses attributes from {@code pos} up to {@code end}, or up to an item delimiter when
     * {@code undefinedItem}. {@code endHolder[0]} receives the position after the data set.
     */
    private DicomObject parseDataSet(int pos, int end, boolean explicit, Charset charset, int depth,
                                     boolean undefinedItem, int[] endHolder) {
        DicomObject ds = new DicomObject(source, charset);
        int[] next = new int[1];
        while (pos < end) {
            if (undefinedItem && end - pos >= 8 && tagAt(pos) == Tag.ITEM_DELIMITATION) {
                pos += 8;
                if (endHolder != null) {
                    endHolder[0] = pos;
                }
                return ds;
            }
            DicomElement e = readElement(pos, end, explicit, ds.charset(), depth, next);
            if (e == null) {
                pos = next[0]; // pixel data left in the file: the rest is parsed after it
                break;
            }
            if (e.tag() == Tag.ITEM || e.tag() == Tag.SEQUENCE_DELIMITATION) {
                throw new InvalidInputException(source, "unexpected " + (e.tag() == Tag.ITEM ? "item" : "sequence delimiter")
                        + " at byte " + position(pos) + " outside a sequence");
            }
            if (e.tag() == Tag.ITEM_DELIMITATION) {
                // A stray item delimiter at top level (seen in some exports): skip it.
                pos = next[0];
                continue;
            }
            ds.put(e);
            pos = next[0];
        }
        if (undefinedItem) {
            throw truncated(end, "an item without its item delimiter", -1);
        }
        if (endHolder != null) {
            endHolder[0] = pos;
        }
        return ds;
    }

    private DicomElement readElement(int pos, int end, boolean explicit, Charset charset, int depth, int[] next) {
        if (++nodes > MAX_NODES) {
            throw new InvalidInputException(source, "more than " + MAX_NODES + " attributes and items");
        }
        if (end - pos < 8) {
            throw truncated(end, "the header of the attribute at byte " + position(pos), -1);
        }
        int tag = tagAt(pos);
        Vr vr;
        long length;
        int headerLength;
        boolean delimiter = Tag.group(tag) == 0xFFFE;
        if (explicit && !delimiter) {
            vr = Vr.of(buf[pos + 4] & 0xFF, buf[pos + 5] & 0xFF);
            if (vr == null) {
                throw new InvalidInputException(source, String.format(Locale.ROOT,
                        "attribute %s at byte %d has an invalid VR (bytes 0x%02X 0x%02X)",
                        Tag.describe(tag), position(pos), buf[pos + 4] & 0xFF, buf[pos + 5] & 0xFF));
            }
            if (vr.hasLongLength()) {
                if (end - pos < 12) {
                    throw truncated(end, "the header of " + Tag.describe(tag), -1);
                }
                length = u32(pos + 8);
                headerLength = 12;
            } else {
                length = u16(pos + 6);
                headerLength = 8;
            }
        } else {
            length = u32(pos + 4);
            headerLength = 8;
            Vr known = DicomDictionary.vr(tag);
            vr = known == null ? Vr.UN : known;
        }
        int valueStart = pos + headerLength;
        if (delimiter) {
            next[0] = valueStart;
            if (tag != Tag.ITEM && length != 0 && length != 0xFFFFFFFFL) {
                throw new InvalidInputException(source, "delimiter " + Tag.toString(tag) + " at byte " + position(pos)
                        + " has length " + length + " (must be 0)");
            }
            return DicomElement.ofBytes(tag, Vr.UN, new byte[0]);
        }
        boolean undefinedLength = length == 0xFFFFFFFFL;
        if (prefix && depth == 0 && !undefinedLength && isPixelData(tag) && vr != Vr.SQ) {
            Vr known = DicomDictionary.vr(tag);
            return deferPixelData(tag, vr == Vr.UN && known != null ? known : vr, valueStart, length, end, next);
        }
        if (undefinedLength) {
            if (isPixelData(tag) && vr != Vr.SQ && vr != Vr.UN) {
                return readFragments(tag, vr, valueStart, end, next);
            }
            if (vr == Vr.SQ || vr == Vr.UN) {
                // An undefined-length UN is a sequence in Implicit VR Little Endian (PS3.5 6.2.2).
                boolean itemsExplicit = explicit && vr == Vr.SQ;
                boolean savedOrder = bigEndian;
                if (vr == Vr.UN) {
                    bigEndian = false;
                }
                List<DicomObject> items = readItems(tag, valueStart, end, UNDEFINED, itemsExplicit, charset, depth, next);
                bigEndian = savedOrder;
                return DicomElement.ofSequence(tag, items);
            }
            throw new InvalidInputException(source, Tag.describe(tag) + " at byte " + position(pos)
                    + " has an undefined length, which only sequences and pixel data may have");
        }
        if (length > end - valueStart) {
            throw truncated(end, Tag.describe(tag), length);
        }
        int len = (int) length;
        int valueEnd = valueStart + len;
        next[0] = valueEnd;
        if (vr == Vr.UN) {
            Vr known = DicomDictionary.vr(tag);
            if (known == Vr.SQ) {
                boolean savedOrder = bigEndian;
                bigEndian = false;
                List<DicomObject> items = readItems(tag, valueStart, valueEnd, len, false, charset, depth, new int[1]);
                bigEndian = savedOrder;
                return DicomElement.ofSequence(tag, items);
            }
            if (known != null) {
                vr = known;
            }
        }
        if (vr == Vr.SQ) {
            List<DicomObject> items = readItems(tag, valueStart, valueEnd, len, explicit, charset, depth, new int[1]);
            return DicomElement.ofSequence(tag, items);
        }
        if (isPixelData(tag)) {
            ByteBuffer bulk = ByteBuffer.wrap(buf, valueStart, len).slice()
                    .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            return DicomElement.ofBulk(tag, vr, bulk);
        }
        byte[] value = java.util.Arrays.copyOfRange(buf, valueStart, valueEnd);
        if (bigEndian && vr.binaryUnit() > 1) {
            swap(value, vr.binaryUnit());
        }
        return DicomElement.ofBytes(tag, vr, value);
    }

    /**
     * Leaves top-level native pixel data in the file: its place is kept, the top-level parse ends here, and
     * whatever follows it is read separately. Its length is checked against the file, as for any value.
     */
    private DicomElement deferPixelData(int tag, Vr vr, int valueStart, long length, int end, int[] next) {
        if (length > fileSize - (base + valueStart)) {
            throw new InvalidInputException(source, "file ends at byte " + fileSize + " inside " + Tag.describe(tag)
                    + " (declared length " + length + ")");
        }
        deferred = new PixelDataInFile(tag, vr, base + valueStart, length,
                bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        next[0] = end;
        return null;
    }

    private static boolean isPixelData(int tag) {
        return tag == Tags.PixelData || tag == Tags.FloatPixelData || tag == Tags.DoubleFloatPixelData;
    }

    private List<DicomObject> readItems(int seqTag, int pos, int end, long seqLength, boolean explicit, Charset charset,
                                        int depth, int[] next) {
        if (depth + 1 > MAX_DEPTH) {
            throw new InvalidInputException(source, "sequences nested deeper than " + MAX_DEPTH + " levels at "
                    + Tag.describe(seqTag) + " (byte " + position(pos) + ")");
        }
        List<DicomObject> items = new ArrayList<>();
        int[] itemEnd = new int[1];
        while (true) {
            if (seqLength != UNDEFINED && pos >= end) {
                next[0] = pos;
                return items;
            }
            if (end - pos < 8) {
                throw truncated(end, Tag.describe(seqTag) + (seqLength == UNDEFINED
                        ? " (a sequence of undefined length without its delimiter)" : ""), -1);
            }
            if (++nodes > MAX_NODES) {
                throw new InvalidInputException(source, "more than " + MAX_NODES + " attributes and items");
            }
            int tag = tagAt(pos);
            long length = u32(pos + 4);
            pos += 8;
            if (tag == Tag.SEQUENCE_DELIMITATION) {
                if (seqLength != UNDEFINED) {
                    // Tolerated inside a defined-length sequence (some writers add it); it ends the sequence.
                    next[0] = pos;
                    return items;
                }
                next[0] = pos;
                return items;
            }
            if (tag != Tag.ITEM) {
                throw new InvalidInputException(source, "expected an item of " + Tag.describe(seqTag) + " at byte "
                        + position(pos - 8) + ", found " + Tag.toString(tag));
            }
            if (length == 0xFFFFFFFFL) {
                DicomObject item = parseDataSet(pos, end, explicit, charset, depth + 1, true, itemEnd);
                items.add(item);
                pos = itemEnd[0];
            } else {
                if (length > end - pos) {
                    throw truncated(end, "an item of " + Tag.describe(seqTag), length);
                }
                int itemStop = pos + (int) length;
                items.add(parseDataSet(pos, itemStop, explicit, charset, depth + 1, false, null));
                pos = itemStop;
            }
        }
    }

    private DicomElement readFragments(int tag, Vr vr, int pos, int end, int[] next) {
        List<ByteBuffer> fragments = new ArrayList<>();
        while (true) {
            if (end - pos < 8) {
                throw truncated(end, Tag.describe(tag) + " (encapsulated, without its sequence delimiter)", -1);
            }
            int itemTag = tagAt(pos);
            long length = u32(pos + 4);
            pos += 8;
            if (itemTag == Tag.SEQUENCE_DELIMITATION) {
                next[0] = pos;
                return DicomElement.ofFragments(tag, vr, fragments);
            }
            if (itemTag != Tag.ITEM) {
                throw new InvalidInputException(source, "expected a fragment of " + Tag.describe(tag) + " at byte "
                        + position(pos - 8) + ", found " + Tag.toString(itemTag));
            }
            if (length > end - pos) {
                throw truncated(end, "a fragment of " + Tag.describe(tag), length);
            }
            if (++nodes > MAX_NODES) {
                throw new InvalidInputException(source, "more than " + MAX_NODES + " attributes and items");
            }
            fragments.add(ByteBuffer.wrap(buf, pos, (int) length).slice().order(ByteOrder.LITTLE_ENDIAN));
            pos += (int) length;
        }
    }

    private InvalidInputException truncated(int end, String where, long declared) {
        String decl = declared >= 0 ? " (declared length " + declared + ")" : "";
        if (end == buf.length && prefix) {
            throw MoreBytes.DOUBLE;
        }
        if (end == buf.length) {
            String at = inflated ? "the inflated data set ends at byte " + end : "file ends at byte " + fileSize;
            return new InvalidInputException(source, at + " inside " + where + decl);
        }
        return new InvalidInputException(source, where + decl + " runs past the end of its enclosing item or sequence"
                + " (at byte " + position(end) + ")");
    }

    private long position(int pos) {
        return base + pos;
    }

    private int tagAt(int pos) {
        return (u16(pos) << 16) | u16(pos + 2);
    }

    private int u16(int pos) {
        return bigEndian ? u16be(pos) : u16le(pos);
    }

    private int u16le(int pos) {
        return (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    }

    private int u16be(int pos) {
        return (buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF);
    }

    private long u32(int pos) {
        if (bigEndian) {
            return ((long) u16be(pos) << 16) | u16be(pos + 2);
        }
        return ((long) u16le(pos + 2) << 16) | u16le(pos);
    }

    private static void swap(byte[] v, int unit) {
        for (int i = 0; i + unit <= v.length; i += unit) {
            for (int a = i, b = i + unit - 1; a < b; a++, b--) {
                byte t = v[a];
                v[a] = v[b];
                v[b] = t;
            }
        }
    }
}
