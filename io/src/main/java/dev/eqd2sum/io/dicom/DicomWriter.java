package dev.eqd2sum.io.dicom;

import dev.eqd2sum.io.CannotWriteException;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a data set as a DICOM Part 10 file in Explicit VR Little Endian: 128-byte preamble,
 * "DICM", File Meta Information with its group length, then the data set in tag order, every
 * value padded to even length. Sequences and items use undefined lengths with delimiters (no
 * length to get wrong); group lengths other than the meta group's are retired and left out.
 * A text value longer than its VR's 16-bit length allows (e.g. ContourData of a long contour) is
 * written as UN with a 32-bit length, as PS3.5 6.2.2 prescribes.
 */
public final class DicomWriter {
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid();

    private DicomWriter() {
    }

    /**
     * Writes atomically: into a temporary file beside the target, then moved over it, so a failure
     * never leaves a partial file under the target's name. A failed write (a full disk) throws
     * {@link CannotWriteException} naming the target.
     */
    public static void write(Path target, DicomObject dataset, String implementationClassUid, String implementationVersion) {
        write(target, dataset, implementationClassUid, implementationVersion, null);
    }

    /**
     * The value of a data set's last attribute, produced while it is written (e.g. pixel data
     * quantised piece by piece), so that a file of hundreds of megabytes never needs its bytes in
     * memory at once.
     */
    public interface TrailingValue {
        int tag();

        /** A binary VR with a 32-bit length (OW, OB, OF, ...). */
        Vr vr();

        /** Bytes {@link #writeTo} writes: even. */
        long length();

        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes atomically, as {@link #write(Path, DicomObject, String, String)}, with {@code trailing}
     * (may be null) as the last attribute: the data set must hold no attribute at or after its tag.
     */
    public static void write(Path target, DicomObject dataset, String implementationClassUid, String implementationVersion,
                             TrailingValue trailing) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its owner-only permissions would stick to the result.
            tmp = dir.resolve("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".part");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE), 1 << 16)) {
                write(out, dataset, implementationClassUid, implementationVersion, trailing);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new CannotWriteException(target, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more than a leftover temporary file
                }
            }
        }
    }

    public static byte[] toBytes(DicomObject dataset, String implementationClassUid, String implementationVersion) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, dataset, implementationClassUid, implementationVersion);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void write(OutputStream out, DicomObject dataset, String implementationClassUid,
                             String implementationVersion) throws IOException {
        write(out, dataset, implementationClassUid, implementationVersion, null);
    }

    private static void write(OutputStream out, DicomObject dataset, String implementationClassUid,
                              String implementationVersion, TrailingValue trailing) throws IOException {
        if (trailing != null) {
            if (!trailing.vr().hasLongLength() || (trailing.length() & 1) != 0 || trailing.length() >= 0xFFFFFFFFL) {
                throw new IllegalArgumentException("trailing value " + Tag.describe(trailing.tag()) + " must be an even"
                        + " length below 2^32 - 1 of a VR with a 32-bit length");
            }
            for (DicomElement e : dataset.elements()) {
                if (Integer.compareUnsigned(e.tag(), trailing.tag()) >= 0) {
                    throw new IllegalArgumentException(Tag.describe(e.tag()) + " would follow the trailing value "
                            + Tag.describe(trailing.tag()));
                }
            }
        }
        DicomObject meta = new DicomObject(dataset.source());
        meta.setBytes(Tags.FileMetaInformationVersion, Vr.OB, new byte[] {0, 1});
        meta.setString(Tags.MediaStorageSOPClassUID, Vr.UI, require(dataset, Tags.SOPClassUID));
        meta.setString(Tags.MediaStorageSOPInstanceUID, Vr.UI, require(dataset, Tags.SOPInstanceUID));
        meta.setString(Tags.TransferSyntaxUID, Vr.UI, EXPLICIT_VR_LITTLE_ENDIAN);
        meta.setString(Tags.ImplementationClassUID, Vr.UI, implementationClassUid);
        meta.setString(Tags.ImplementationVersionName, Vr.SH, implementationVersion);
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        Encoder metaEncoder = new Encoder(metaBytes);
        for (DicomElement e : meta.elements()) {
            metaEncoder.element(e);
        }
        out.write(new byte[128]);
        out.write("DICM".getBytes(StandardCharsets.US_ASCII));
        Encoder enc = new Encoder(out);
        enc.header(Tags.FileMetaInformationGroupLength, Vr.UL, 4);
        enc.u32(metaBytes.size());
        metaBytes.writeTo(out);
        for (DicomElement e : dataset.elements()) {
            if (Tag.group(e.tag()) != 0x0002 && Tag.element(e.tag()) != 0) {
                enc.element(e);
            }
        }
        if (trailing != null) {
            enc.header(trailing.tag(), trailing.vr(), trailing.length());
            CountingStream counted = new CountingStream(out);
            trailing.writeTo(counted);
            if (counted.count != trailing.length()) {
                throw new IllegalStateException(Tag.describe(trailing.tag()) + " declared " + trailing.length()
                        + " bytes but wrote " + counted.count);
            }
        }
        out.flush();
    }

    /** Counts what passes through, so that a trailing value cannot contradict its declared length. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static String require(DicomObject ds, int tag) {
        String s = ds.getString(tag);
        if (s == null) {
            throw new IllegalArgumentException("cannot write a data set without " + Tag.describe(tag));
        }
        return s;
    }

    /** Explicit VR Little Endian element encoder. */
    private static final class Encoder {
        private final OutputStream out;
        private final byte[] scratch = new byte[12];

        Encoder(OutputStream out) {
            this.out = out;
        }

        void element(DicomElement e) throws IOException {
            if (e.isSequence()) {
                header(e.tag(), Vr.SQ, 0xFFFFFFFFL);
                for (DicomObject item : e.items()) {
                    tagAndLength(Tag.ITEM, 0xFFFFFFFFL);
                    for (DicomElement child : item.elements()) {
                        if (Tag.element(child.tag()) != 0) {
                            element(child);
                        }
                    }
                    tagAndLength(Tag.ITEM_DELIMITATION, 0);
                }
                tagAndLength(Tag.SEQUENCE_DELIMITATION, 0);
                return;
            }
            if (e.isEncapsulated()) {
                throw new IllegalArgumentException("writing encapsulated pixel data is not supported");
            }
            Vr vr = e.vr();
            if (e.bulk() != null) {
                // the element's own order: a duplicate's is always big endian
                if (e.bulk().order() != ByteOrder.LITTLE_ENDIAN && vr.binaryUnit() > 1) {
                    throw new IllegalArgumentException("big endian bulk data cannot be written as little endian");
                }
                ByteBuffer b = e.bulk().duplicate();
                int n = b.remaining();
                header(e.tag(), vr, n + (n & 1));
                if (b.hasArray()) {
                    out.write(b.array(), b.arrayOffset() + b.position(), n);
                } else {
                    byte[] copy = new byte[n];
                    b.get(copy);
                    out.write(copy);
                }
                if ((n & 1) != 0) {
                    out.write(0);
                }
                return;
            }
            byte[] v = e.bytes();
            int padded = v.length + (v.length & 1);
            if (vr == Vr.UN && DicomDictionary.vr(e.tag()) != null && DicomDictionary.vr(e.tag()) != Vr.UN) {
                vr = DicomDictionary.vr(e.tag());
            }
            if (!vr.hasLongLength() && padded > 0xFFFF) {
                vr = Vr.UN;
            }
            header(e.tag(), vr, padded);
            out.write(v);
            if ((v.length & 1) != 0) {
                out.write(e.vr().paddingByte());
            }
        }

        void header(int tag, Vr vr, long length) throws IOException {
            le16(scratch, 0, Tag.group(tag));
            le16(scratch, 2, Tag.element(tag));
            String name = vr.name();
            scratch[4] = (byte) name.charAt(0);
            scratch[5] = (byte) name.charAt(1);
            if (vr.hasLongLength()) {
                scratch[6] = 0;
                scratch[7] = 0;
                le32(scratch, 8, length);
                out.write(scratch, 0, 12);
            } else {
                le16(scratch, 6, (int) length);
                out.write(scratch, 0, 8);
            }
        }

        void tagAndLength(int tag, long length) throws IOException {
            le16(scratch, 0, Tag.group(tag));
            le16(scratch, 2, Tag.element(tag));
            le32(scratch, 4, length);
            out.write(scratch, 0, 8);
        }

        void u32(long v) throws IOException {
            le32(scratch, 0, v);
            out.write(scratch, 0, 4);
        }

        private static void le16(byte[] b, int at, int v) {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >>> 8);
        }

        private static void le32(byte[] b, int at, long v) {
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >>> 8);
            b[at + 2] = (byte) (v >>> 16);
            b[at + 3] = (byte) (v >>> 24);
        }
    }
}
