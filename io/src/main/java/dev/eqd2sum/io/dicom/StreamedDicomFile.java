package dev.eqd2sum.io.dicom;

import dev.eqd2sum.engine.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A DICOM file whose attributes are parsed and whose top-level native pixel data is still in the file
 * ({@link DicomReader#readStreamed}). {@link #decodePixels} reads the pixel data in pieces of
 * {@value #PIECE_BYTES} bytes and decodes each straight into the output array, so that the file's bytes
 * are never held whole (a 52 M-voxel dose: 210 MB less at its peak); every byte of the file passes a
 * {@link FileBytesSink} once, in file order, on the way. Close it to close the file.
 */
public final class StreamedDicomFile implements AutoCloseable {
    /** Pieces the pixel data is read in: a multiple of 4, so that every piece holds whole 16- and 32-bit values. */
    static final int PIECE_BYTES = 256 * 1024;

    private final DicomFile file;
    private final FileChannel channel;
    private final byte[] head;
    private final int headLength;
    private final PixelDataInFile pixels;
    private final byte[] tail;

    StreamedDicomFile(DicomFile file, FileChannel channel, byte[] head, int headLength, PixelDataInFile pixels,
                      byte[] tail) {
        this.file = file;
        this.channel = channel;
        this.head = head;
        this.headLength = headLength;
        this.pixels = pixels;
        this.tail = tail;
    }

    /** The attributes; without the pixel data element when {@link #pixelsInFile()} is not null. */
    public DicomFile file() {
        return file;
    }

    /** The top-level pixel data left in the file, or null when the file was read whole. */
    public PixelDataInFile pixelsInFile() {
        return pixels;
    }

    /**
     * Decodes integer pixel data into physical values, as {@link PixelDecoder#decode} does, and passes every
     * byte of the file to {@code sink} in file order.
     *
     * @param inMemory the data set's own pixel data element to decode (a file read whole, or pixel data that
     *                 follows the one left in the file), or null for the pixel data left in the file
     * @param range    receives the smallest value and a bound on the largest, as {@link PixelDecoder#decode} gives them
     */
    public float[] decodePixels(DicomElement inMemory, PixelDecoder.Layout layout, double scale, double[] range,
                                FileBytesSink sink) {
        if (inMemory != null) {
            float[] out = PixelDecoder.decode(file.source(), inMemory, file.transferSyntax(), layout, scale, range);
            passAllBytes(sink);
            return out;
        }
        if (pixels == null) {
            throw new IllegalStateException(file.source() + " has no pixel data left in the file");
        }
        PixelDecoder.Pieces decoder = new PixelDecoder.Pieces(file.source(), layout, pixels.order(), pixels.length(),
                scale);
        sink.accept(head, 0, headLength);
        byte[] piece = new byte[(int) Math.min(PIECE_BYTES, Math.max(4, pixels.length()))];
        long needed = decoder.bytesNeeded();
        for (long done = 0; done < pixels.length(); ) {
            // The voxels' bytes end on a value boundary, so the piece that reaches them stops there.
            long limit = done < needed ? needed : pixels.length();
            int n = (int) Math.min(piece.length, limit - done);
            readFully(channel, pixels.offset() + done, piece, n, file.source());
            if (done < needed) {
                decoder.decode(piece, 0, n);
            }
            sink.accept(piece, 0, n);
            done += n;
        }
        float[] out = decoder.finish(range);
        if (tail != null) {
            sink.accept(tail, 0, tail.length);
        }
        return out;
    }

    /** Every byte of the file to {@code sink}, in order, without decoding anything. */
    public void passAllBytes(FileBytesSink sink) {
        sink.accept(head, 0, headLength);
        if (pixels != null) {
            byte[] piece = new byte[(int) Math.min(PIECE_BYTES, Math.max(1, pixels.length()))];
            for (long done = 0; done < pixels.length(); ) {
                int n = (int) Math.min(piece.length, pixels.length() - done);
                readFully(channel, pixels.offset() + done, piece, n, file.source());
                sink.accept(piece, 0, n);
                done += n;
            }
        }
        if (tail != null) {
            sink.accept(tail, 0, tail.length);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    static long size(FileChannel channel, String source) {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read the file: " + e.getMessage());
        }
    }

    /** Bytes [position, position + length) of the file, which must all be there. */
    static byte[] readFully(FileChannel channel, long position, long length, String source) {
        if (length > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException(source, "file is too large to read");
        }
        byte[] out;
        try {
            out = new byte[(int) length];
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(source, "file is too large to read");
        }
        readFully(channel, position, out, (int) length, source);
        return out;
    }

    private static void readFully(FileChannel channel, long position, byte[] into, int length, String source) {
        ByteBuffer bb = ByteBuffer.wrap(into, 0, length);
        try {
            while (bb.hasRemaining()) {
                int got = channel.read(bb, position + bb.position());
                if (got < 0) {
                    // The file shrank since its size was taken (written to while being read).
                    throw new InvalidInputException(source, "file ends at byte " + (position + bb.position())
                            + " while it was being read (it changed meanwhile)");
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(source, "cannot read the file: " + e.getMessage());
        }
    }

    static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // only read from: nothing to lose
        }
    }
}
