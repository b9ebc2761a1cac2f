package dev.eqd2sum.io.dicom;

/**
 * Sees every byte of a file exactly once, in file order, as a reader reads it: a digest for provenance
 * is computed from the very bytes that were parsed, without holding the file whole. The bytes are the
 * reader's buffer, valid only during the call.
 */
@FunctionalInterface
public interface FileBytesSink {
    FileBytesSink NONE = (bytes, offset, length) -> { };

    void accept(byte[] bytes, int offset, int length);
}
