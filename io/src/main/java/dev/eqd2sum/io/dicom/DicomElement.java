package dev.eqd2sum.io.dicom;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One attribute of a data set. Exactly one of the value fields is set: {@code bytes} (the value
 * as stored, little endian for binary VRs), {@code items} (a sequence), {@code bulk} (native pixel
 * data: a view of the file's bytes, not a copy, in the file's byte order) or {@code fragments}
 * (encapsulated pixel data, the basic offset table first).
 */
public record DicomElement(int tag, Vr vr, byte[] bytes, List<DicomObject> items, ByteBuffer bulk,
                           List<ByteBuffer> fragments) {
    public static DicomElement ofBytes(int tag, Vr vr, byte[] bytes) {
        return new DicomElement(tag, vr, bytes, null, null, null);
    }

    public static DicomElement ofSequence(int tag, List<DicomObject> items) {
        return new DicomElement(tag, Vr.SQ, null, List.copyOf(items), null, null);
    }

    public static DicomElement ofBulk(int tag, Vr vr, ByteBuffer bulk) {
        return new DicomElement(tag, vr, null, null, bulk, null);
    }

    public static DicomElement ofFragments(int tag, Vr vr, List<ByteBuffer> fragments) {
        return new DicomElement(tag, vr, null, null, null, List.copyOf(fragments));
    }

    public boolean isSequence() {
        return items != null;
    }

    public boolean isEncapsulated() {
        return fragments != null;
    }

    /** Length of the value in bytes as stored (sequences: -1). */
    public long valueLength() {
        if (bytes != null) {
            return bytes.length;
        }
        if (bulk != null) {
            return bulk.remaining();
        }
        if (fragments != null) {
            long n = 0;
            for (ByteBuffer f : fragments) {
                n += f.remaining();
            }
            return n;
        }
        return -1;
    }
}
