package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.kernel.Jit;
import dev.eqd2sum.io.dicom.PixelDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The RT Dose codec's loops have a form for C1 and one for C2 ({@link Jit}): a JVM told it runs C1 only
 * ({@code -Deqd2sum.jit=c1}, as the launcher's one-case runs are) quantises and decodes to exactly the bytes and
 * floats this JVM's forms give, on values of every kind (0, negatives, NaN, half steps, the largest).
 */
class JitFormsTest {
    @Test
    void theC1FormsGiveTheSameBitsAsTheOthers() throws IOException, InterruptedException {
        assertThat(Jit.C1_ONLY).as("the tests run the C2 forms here").isFalse();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Deqd2sum.jit=c1", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                JitFormsTest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String child = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(child).isZero();
        assertThat(child).isEqualTo("C1_ONLY=true " + digest());
    }

    /** Run in the child JVM: which forms it uses, and the digest of what they make. */
    public static void main(String[] args) {
        System.out.println("C1_ONLY=" + Jit.C1_ONLY + " " + digest());
    }

    static String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Random r = new Random(17);
            int n = 100_003;
            float[] dose = new float[n];
            for (int i = 0; i < n; i++) {
                dose[i] = switch (r.nextInt(8)) {
                    case 0 -> 0f;
                    case 1 -> -1e-7f;
                    case 2 -> Float.NaN;
                    case 3 -> (r.nextInt(1000) + 0.5f) * 0.01f; // near half steps of a 0.01 scaling
                    default -> r.nextFloat() * 80f;
                };
            }
            dose[7] = 80f;
            for (int bits : new int[] {16, 32}) {
                for (double scaling : new double[] {80.0 / (bits == 32 ? 0xFFFFFFFFL : 0xFFFF), 0.01, 1e-3}) {
                    byte[] out = new byte[n * bits / 8];
                    RtDoseWriter.encode(dose, 0, n, scaling, bits, out);
                    md.update(out);
                }
            }
            for (int bits : new int[] {16, 32}) {
                for (boolean signed : new boolean[] {false, true}) {
                    ByteBuffer bb = ByteBuffer.allocate(n * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < n; i++) {
                        long v = i < 4 ? new long[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}[i] : r.nextLong();
                        if (bits == 32) {
                            bb.putInt((int) v);
                        } else {
                            bb.putShort((short) v);
                        }
                    }
                    PixelDecoder.Pieces pieces = new PixelDecoder.Pieces("t.dcm",
                            new PixelDecoder.Layout(n, 1, 1, bits, bits, signed), ByteOrder.LITTLE_ENDIAN,
                            bb.capacity(), 1.2345678e-5);
                    pieces.decode(bb.array(), 0, bb.capacity());
                    float[] decoded = pieces.finish(new double[2]);
                    ByteBuffer asBytes = ByteBuffer.allocate(4 * n);
                    asBytes.asFloatBuffer().put(decoded);
                    md.update(asBytes.array());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
