package dev.eqd2sum.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The native little-endian loops give each voxel {@code (float) (stored * scale)}, whatever the stored value. */
class PixelDecoderTest {
    @Test
    void exactDoubleIsTheConversionForEveryValueBelowTwoToThe52() {
        SplittableRandom r = new SplittableRandom(5);
        long[] edges = {0, 1, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, (1L << 52) - 1};
        for (long u : edges) {
            assertThat(PixelDecoder.exactDouble(u)).as("u %d", u).isEqualTo((double) u);
        }
        for (int i = 0; i < 1_000_000; i++) {
            long u = r.nextLong(0, 1L << (1 + r.nextInt(52)));
            assertThat(PixelDecoder.exactDouble(u)).as("u %d", u).isEqualTo((double) u);
        }
    }

    @Test
    void everyNativeLayoutDecodesExtremeAndRandomValuesAsStoredTimesScale() {
        SplittableRandom r = new SplittableRandom(9);
        for (int bits : new int[] {16, 32}) {
            for (boolean signed : new boolean[] {false, true}) {
                long lo = signed ? -(1L << (bits - 1)) : 0;
                long hi = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
                int n = 1000;
                long[] stored = new long[n];
                stored[0] = lo;
                stored[1] = hi;
                stored[2] = 0;
                stored[3] = signed ? -1 : 1;
                for (int i = 4; i < n; i++) {
                    stored[i] = r.nextLong(lo, hi + 1);
                }
                ByteBuffer bb = ByteBuffer.allocate(n * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
                for (long v : stored) {
                    if (bits == 32) {
                        bb.putInt((int) v);
                    } else {
                        bb.putShort((short) v);
                    }
                }
                double scale = 1.2345678e-5;
                PixelDecoder.Layout layout = new PixelDecoder.Layout(n, 1, 1, bits, bits, signed);
                PixelDecoder.Pieces pieces = new PixelDecoder.Pieces("t.dcm", layout, ByteOrder.LITTLE_ENDIAN,
                        bb.capacity(), scale);
                pieces.decode(bb.array(), 0, bb.capacity());
                double[] range = new double[2];
                float[] out = pieces.finish(range);
                for (int i = 0; i < n; i++) {
                    assertThat(out[i]).as("%d-bit, signed %s, stored %d", bits, signed, stored[i])
                            .isEqualTo((float) (stored[i] * scale));
                }
                assertThat(range[0]).isEqualTo(signed ? lo * scale : 0);
                // the bound on the largest: at least it, below twice it plus one stored unit
                assertThat(range[1]).isGreaterThanOrEqualTo(hi * scale).isLessThan((2 * hi + 1) * scale);
                long largest = 0;
                for (int i = 4; i < n; i++) {
                    largest = Math.max(largest, stored[i]);
                }
                double[] withoutExtremes = new double[2];
                PixelDecoder.Pieces rest = new PixelDecoder.Pieces("t.dcm",
                        new PixelDecoder.Layout(n - 4, 1, 1, bits, bits, signed), ByteOrder.LITTLE_ENDIAN,
                        bb.capacity() - 4L * bits / 8, scale);
                rest.decode(bb.array(), 4 * bits / 8, bb.capacity() - 4 * bits / 8);
                rest.finish(withoutExtremes);
                assertThat(withoutExtremes[1]).isGreaterThanOrEqualTo(largest * scale)
                        .isLessThan((2 * largest + 1) * scale);
            }
        }
    }
}
