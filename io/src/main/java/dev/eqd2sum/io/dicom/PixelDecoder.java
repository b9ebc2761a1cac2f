package dev.eqd2sum.io.dicom;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.kernel.Jit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Integer pixel data straight into a float array of physical values (pixel * scale), with no
 * per-voxel objects. Native data is read in place from the file's bytes; RLE Lossless is decoded
 * frame by frame first; other compressed pixel data is refused.
 */
public final class PixelDecoder {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** The layout of the stored integers. */
    public record Layout(int columns, int rows, int frames, int bitsAllocated, int bitsStored, boolean signed) {
        public long count() {
            return (long) columns * rows * frames;
        }

        public int bytesPerValue() {
            return bitsAllocated / 8;
        }
    }

    private PixelDecoder() {
    }

    /**
     * @param source file name for messages
     * @param range  receives, times scale, the smallest stored value (index 0; 0 when unsigned), for callers that
     *               refuse negatives, and a bound on the largest (index 1): at least the largest, below twice it plus
     *               one stored unit, for callers that refuse implausible values
     */
    public static float[] decode(String source, DicomElement pixelData, TransferSyntax ts, Layout layout, double scale,
                                 double[] range) {
        checkLayout(source, layout);
        long count = layout.count();
        long needed = count * layout.bytesPerValue();
        byte[] array;
        int offset;
        ByteOrder order;
        if (pixelData.isEncapsulated()) {
            if (ts != TransferSyntax.RLE_LOSSLESS) {
                throw new InvalidInputException(source, "PixelData is compressed (" + ts.title()
                        + "); export the dose uncompressed (Explicit or Implicit VR Little Endian)");
            }
            array = RleDecoder.decode(source, pixelData.fragments(), layout);
            offset = 0;
            order = ByteOrder.LITTLE_ENDIAN;
        } else {
            ByteBuffer bulk = pixelData.bulk();
            if (bulk == null) {
                bulk = ByteBuffer.wrap(pixelData.bytes() == null ? new byte[0] : pixelData.bytes());
            }
            checkLength(source, layout, bulk.remaining());
            array = bulk.array();
            offset = bulk.arrayOffset() + bulk.position();
            order = bulk.order();
        }
        float[] out = new float[(int) count];
        long[] high = new long[1];
        range[0] = convert(array, offset, order, layout, scale, out, 0, out.length, high);
        range[1] = high[0] * scale;
        return out;
    }


    private static void checkLayout(String source, Layout layout) {
        if (layout.bitsAllocated() != 16 && layout.bitsAllocated() != 32) {
            throw new InvalidInputException(source, "BitsAllocated " + layout.bitsAllocated() + " is not supported (16 or 32)");
        }
        if (layout.bitsStored() < 1 || layout.bitsStored() > layout.bitsAllocated()) {
            throw new InvalidInputException(source, "BitsStored " + layout.bitsStored() + " does not fit BitsAllocated "
                    + layout.bitsAllocated());
        }
        if (layout.count() * layout.bytesPerValue() > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException(source, "grid of " + layout.count() + " voxels is too large");
        }
    }

    private static void checkLength(String source, Layout layout, long valueBytes) {
        long needed = layout.count() * layout.bytesPerValue();
        if (valueBytes < needed) {
            throw new InvalidInputException(source, String.format(java.util.Locale.ROOT,
                    "PixelData has %d bytes, but Columns x Rows x NumberOfFrames x BitsAllocated/8 = "
                            + "%d x %d x %d x %d needs %d",
                    valueBytes, layout.columns(), layout.rows(), layout.frames(), layout.bytesPerValue(), needed));
        }
    }

    /**
     * Decodes native pixel data handed over in consecutive pieces (each a whole number of values), so that
     * the stored bytes need never be held whole: what {@link #decode} does for a value in memory.
     */
    public static final class Pieces {
        private final Layout layout;
        private final ByteOrder order;
        private final double scale;
        private final float[] out;
        private int decoded;
        private double min = Double.POSITIVE_INFINITY;
        private final long[] high = new long[1];

        /**
         * Checks the layout against the value's length (the same refusals as {@link #decode}) before the
         * output array is allocated.
         *
         * @param valueBytes the pixel data value's length in bytes
         */
        public Pieces(String source, Layout layout, ByteOrder order, long valueBytes, double scale) {
            checkLayout(source, layout);
            checkLength(source, layout, valueBytes);
            this.layout = layout;
            this.order = order;
            this.scale = scale;
            try {
                this.out = new float[(int) layout.count()];
            } catch (OutOfMemoryError e) {
                // The file is never held whole now, so this array is the first big allocation of a huge grid.
                throw new InvalidInputException(source, "a grid of " + layout.count()
                        + " voxels is too large for the Java heap (run with a larger one: EQD2SUM_JAVA_OPTS=-Xmx"
                        + dev.eqd2sum.engine.plansum.MemoryNeed.largerHeapOption(Runtime.getRuntime().maxMemory(),
                        Float.BYTES * layout.count()) + ")");
            }
        }

        /** Bytes of the value that hold the voxels; any after them are padding. */
        public long bytesNeeded() {
            return layout.count() * layout.bytesPerValue();
        }

        /** Decodes the next {@code length} bytes (a multiple of BitsAllocated/8). */
        public void decode(byte[] piece, int offset, int length) {
            int bytes = layout.bytesPerValue();
            if (length % bytes != 0 || decoded + length / bytes > out.length) {
                throw new IllegalArgumentException("piece of " + length + " bytes does not fit at value " + decoded);
            }
            int count = length / bytes;
            if (count > 0) {
                min = Math.min(min, convert(piece, offset, order, layout, scale, out, decoded, count, high));
                decoded += count;
            }
        }

        /** The physical values; {@code range} receives the smallest and a bound on the largest, as {@link #decode} gives them. */
        public float[] finish(double[] range) {
            if (decoded != out.length) {
                throw new IllegalStateException(decoded + " of " + out.length + " values decoded");
            }
            range[0] = out.length == 0 ? 0 : min;
            range[1] = high[0] * scale;
            return out;
        }
    }

    /**
     * The common layouts (little endian, all bits stored) get loops of their own with constant
     * VarHandles, which the JIT compiles to plain loads; a VarHandle chosen at run time would be
     * called through a method handle per voxel, several times slower. Other layouts go through a
     * ByteBuffer view.
     */
    /**
     * Values a[off..] into out[from, from + n); returns the smallest stored value times scale (0 when unsigned), and
     * ORs into {@code high[0]} a bound on the largest: the OR of the stored values (or of the largest, where it is
     * tracked anyway) is at least each of them and below twice the largest, and costs the unsigned loops one OR per
     * value where a maximum would cost C1 code a compare and branch. (C2 code pays more: a reduction in the loop
     * makes the reader about 20 % slower in perf-guard, 0.25 ns a value; a separate OR loop cost twice that.)
     */
    private static double convert(byte[] a, int off, ByteOrder order, Layout layout, double scale, float[] out,
                                  int from, int n, long[] high) {
        boolean signed = layout.signed();
        int bits = layout.bitsStored();
        if (order == ByteOrder.LITTLE_ENDIAN && bits == layout.bitsAllocated()) {
            if (bits == 32) {
                return signed ? signed32(a, off, scale, out, from, n, high)
                        : unsigned32(a, off, scale, out, from, n, high);
            }
            return signed ? signed16(a, off, scale, out, from, n, high) : unsigned16(a, off, scale, out, from, n, high);
        }
        ByteBuffer bb = ByteBuffer.wrap(a).order(order);
        long min = Long.MAX_VALUE;
        long max = 0;
        boolean is32 = layout.bitsAllocated() == 32;
        for (int i = 0; i < n; i++) {
            int raw = is32 ? bb.getInt(off + 4 * i) : bb.getShort(off + 2 * i) & 0xFFFF;
            long v = storedBits(raw, bits, signed);
            min = Math.min(min, v);
            max = Math.max(max, v);
            out[from + i] = (float) (v * scale);
        }
        high[0] |= max;
        return min * scale;
    }

    private static double unsigned32(byte[] a, int off, double scale, float[] out, int from, int n, long[] high) {
        int or = 0;
        for (int i = 0; i < n; i++) {
            int raw = (int) INT_LE.get(a, off + 4 * i);
            or |= raw;
            long v = raw & 0xFFFFFFFFL;
            out[from + i] = (float) ((Jit.C1_ONLY ? exactDouble(v) : (double) v) * scale);
        }
        high[0] |= or & 0xFFFFFFFFL;
        return 0;
    }

    private static double signed32(byte[] a, int off, double scale, float[] out, int from, int n, long[] high) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < n; i++) {
            int v = (int) INT_LE.get(a, off + 4 * i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            out[from + i] = (float) ((Jit.C1_ONLY ? exactDouble(v + 0x8000_0000L) - 0x1p31 : (double) v) * scale);
        }
        high[0] |= max;
        return min * scale;
    }

    private static double unsigned16(byte[] a, int off, double scale, float[] out, int from, int n, long[] high) {
        int or = 0;
        for (int i = 0; i < n; i++) {
            int v = ((short) SHORT_LE.get(a, off + 2 * i)) & 0xFFFF;
            or |= v;
            out[from + i] = (float) ((Jit.C1_ONLY ? exactDouble(v) : (double) v) * scale);
        }
        high[0] |= or;
        return 0;
    }

    private static double signed16(byte[] a, int off, double scale, float[] out, int from, int n, long[] high) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < n; i++) {
            short v = (short) SHORT_LE.get(a, off + 2 * i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            out[from + i] = (float) ((Jit.C1_ONLY ? exactDouble(v + 0x8000L) - 0x1p15 : (double) v) * scale);
        }
        high[0] |= max;
        return min * scale;
    }

    /**
     * {@code (double) u} for 0 <= u < 2^52, exactly, from the bits of 2^52 + u. C1 code's integer-to-double
     * conversion waits on the register's previous value (it writes only part of it): this way a 52 M-voxel dose
     * decodes about 30 % faster on C1 (a single case), to the same bits. C2 vectorises the plain conversion and not
     * this (13 against 37 ms), so the loops use it only when {@link Jit#C1_ONLY}.
     */
    static double exactDouble(long u) {
        return Double.longBitsToDouble(0x4330_0000_0000_0000L | u) - 0x1p52;
    }

    /** The low {@code bits} bits, sign-extended when signed (HighBit = BitsStored - 1, PS3.5 8.1.1). */
    private static long storedBits(int raw, int bits, boolean signed) {
        long v = raw & ((1L << bits) - 1);
        if (signed && (v & (1L << (bits - 1))) != 0) {
            v -= 1L << bits;
        }
        return v;
    }

    /** RLE Lossless (PS3.5 Annex G): one fragment per frame, one PackBits segment per byte plane, most significant first. */
    static final class RleDecoder {
        private RleDecoder() {
        }

        static byte[] decode(String source, List<ByteBuffer> fragments, Layout layout) {
            int frames = layout.frames();
            int bytes = layout.bytesPerValue();
            int perFrame = layout.columns() * layout.rows();
            long compressed = 0;
            for (ByteBuffer f : fragments) {
                compressed += f.remaining();
            }
            // PackBits expands 2 bytes into at most 128: a grid larger than that cannot be in these fragments.
            if (layout.count() * bytes > 64 * compressed + 64L * frames) {
                throw new InvalidInputException(source, "RLE PixelData of " + compressed
                        + " bytes cannot hold Columns x Rows x NumberOfFrames = " + layout.count() + " values");
            }
            if (fragments.size() - 1 != frames) {
                throw new InvalidInputException(source, "RLE PixelData has " + Math.max(0, fragments.size() - 1)
                        + " frame fragments, but NumberOfFrames is " + frames);
            }
            byte[] out = new byte[(int) layout.count() * bytes];
            for (int f = 0; f < frames; f++) {
                ByteBuffer frag = fragments.get(f + 1).duplicate().order(ByteOrder.LITTLE_ENDIAN);
                int len = frag.remaining();
                if (len < 64) {
                    throw new InvalidInputException(source, "RLE frame " + (f + 1) + " is shorter than its 64-byte header");
                }
                int base = frag.position();
                int segments = frag.getInt(base);
                if (segments != bytes) {
                    throw new InvalidInputException(source, "RLE frame " + (f + 1) + " has " + segments
                            + " segments, expected " + bytes + " for BitsAllocated " + layout.bitsAllocated());
                }
                for (int s = 0; s < segments; s++) {
                    long start = frag.getInt(base + 4 + 4 * s) & 0xFFFFFFFFL;
                    long stop = s + 1 < segments ? frag.getInt(base + 8 + 4 * s) & 0xFFFFFFFFL : len;
                    if (start < 64 || stop > len || start > stop) {
                        throw new InvalidInputException(source, "RLE frame " + (f + 1) + " has a segment offset outside the frame");
                    }
                    int plane = bytes - 1 - s; // segment 0 holds the most significant byte
                    unpack(source, frag, base + (int) start, base + (int) stop, out, (long) f * perFrame * bytes + plane,
                            bytes, perFrame, f + 1);
                }
            }
            return out;
        }

        /** PackBits: n in 0..127 copies n+1 bytes, -127..-1 repeats the next byte 1-n times, -128 is a no-op. */
        private static void unpack(String source, ByteBuffer in, int pos, int end, byte[] out, long outStart, int stride,
                                   int count, int frame) {
            int written = 0;
            int o = (int) outStart;
            while (pos < end && written < count) {
                int n = in.get(pos++);
                if (n >= 0) {
                    int run = n + 1;
                    if (pos + run > end || written + run > count) {
                        throw new InvalidInputException(source, "RLE frame " + frame + " has a literal run past its segment");
                    }
                    for (int r = 0; r < run; r++) {
                        out[o] = in.get(pos++);
                        o += stride;
                    }
                    written += run;
                } else if (n != -128) {
                    int run = 1 - n;
                    if (pos >= end || written + run > count) {
                        throw new InvalidInputException(source, "RLE frame " + frame + " has a repeat run past its segment");
                    }
                    byte b = in.get(pos++);
                    for (int r = 0; r < run; r++) {
                        out[o] = b;
                        o += stride;
                    }
                    written += run;
                }
            }
            if (written < count) {
                throw new InvalidInputException(source, "RLE frame " + frame + " decodes to " + written + " of "
                        + count + " pixels");
            }
        }
    }
}
