package dev.eqd2sum.io.dicom;

import java.nio.ByteOrder;

/**
 * Where a streamed read ({@link DicomReader#readStreamed}) left a file's top-level native pixel data.
 *
 * @param tag    PixelData, FloatPixelData or DoubleFloatPixelData
 * @param offset the value's first byte in the file
 * @param length the value's length in bytes (checked against the file's size)
 * @param order  the byte order of its values
 */
public record PixelDataInFile(int tag, Vr vr, long offset, long length, ByteOrder order) {
}
