package dev.eqd2sum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** OpenSSL's SHA-256 (the fast path) against the JDK's (the reference), on any length and any split. */
class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void knownAnswers() {
        assertThat(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
        assertThat(Sha256.of(new byte[0])).isEqualTo(EMPTY);
        Sha256 sha = Sha256.start();
        sha.update("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
        assertThat(sha.hex()).isEqualTo(ABC);
    }

    /**
     * The build runs the tests with native access, on Linux with OpenSSL installed (Debian's libssl3): there the
     * fast path must be the one in use, or the comparison below would compare the JDK with itself.
     */
    @Test
    void theFastPathIsInUseWhereOpenSslIsInstalled() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        boolean installed = java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
                || java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/aarch64-linux-gnu/libcrypto.so.3"));
        assumeTrue(linux && installed, "needs Linux with Debian's libcrypto.so.3 (package libssl3)");
        assertThat(OpenSslSha256.available()).as(Sha256.implementation()).isTrue();
        assertThat(Sha256.start()).isInstanceOf(OpenSslSha256.class);
    }

    @Property(tries = 60)
    void openSslEqualsTheJdkOnAnyLengthAndSplit(@ForAll @IntRange(min = 0, max = 600_000) int size,
                                                @ForAll @IntRange(min = 1, max = 200_000) int piece,
                                                @ForAll long seed) {
        byte[] data = new byte[size + 7];
        new Random(seed).nextBytes(data);
        int offset = (int) Math.floorMod(seed, 8L); // pieces that start at any byte of the array
        Sha256 reference = new Sha256.Jdk();
        Sha256 fast = Sha256.start();
        for (int off = 0; off < size; off += piece) {
            int n = Math.min(piece, size - off);
            reference.update(data, offset + off, n);
            fast.update(data, offset + off, n);
        }
        assertThat(fast.hex()).isEqualTo(reference.hex());
    }

    @Test
    void anEndedDigestRefusesMoreAndDiscardIsIdempotent() {
        Sha256 sha = Sha256.start();
        sha.update(new byte[10], 0, 10);
        sha.hex();
        sha.discard();
        sha.discard();
        if (sha instanceof OpenSslSha256) {
            assertThatThrownBy(() -> sha.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ended");
        }
    }

    @Test
    void outOfRangePiecesAreRefusedBeforeReachingNativeCode() {
        Sha256 sha = Sha256.start();
        try {
            assertThatThrownBy(() -> sha.update(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        } finally {
            sha.discard();
        }
    }

    /**
     * A digest that fails part way through a file (OpenSSL refusing an update) must not leave the reader waiting
     * for a buffer forever: the failure comes back to the reader, as the file's error.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDigestFailingPartWayNeitherHangsTheReaderNorGivesADigest() {
        BackgroundSha256 sha = new BackgroundSha256(() -> new FailingAfter(3));
        assertThatThrownBy(() -> readThrough(sha, 100_000, 200))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused");
        sha.close();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDigestThatCannotStartDoesNotHangTheReaderEither() {
        BackgroundSha256 sha = new BackgroundSha256(() -> {
            throw new IllegalStateException("refused to start");
        });
        assertThatThrownBy(() -> readThrough(sha, 300_000, 50))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refused to start");
        sha.close();
    }

    /** A reader's part: {@code pieces} pieces of {@code size} bytes handed over, then the digest asked for. */
    private static String readThrough(BackgroundSha256 sha, int size, int pieces) {
        byte[] piece = new byte[size];
        for (int i = 0; i < pieces; i++) {
            sha.accept(piece, 0, piece.length);
        }
        return sha.hex();
    }

    /**
     * An OpenSSL 3 configured without its default provider links but cannot digest: its self-test fails, and the
     * JDK's digest is used, with the same result (a fresh JVM, since the choice is made once per JVM).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anOpenSslThatCannotDigestFallsBackToTheJdk(@TempDir Path dir) throws Exception {
        assumeTrue(OpenSslSha256.available(), "needs a working OpenSSL to break: " + Sha256.implementation());
        Path conf = dir.resolve("base-only.cnf");
        Files.writeString(conf, String.join("\n", "openssl_conf = openssl_init", "[openssl_init]",
                "providers = provider_sect", "[provider_sect]", "base = base_sect", "[base_sect]", "activate = 1", ""));
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Probe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OPENSSL_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(out).isZero();
        byte[] data = new byte[700_000];
        new Random(7).nextBytes(data);
        Sha256.Jdk reference = new Sha256.Jdk();
        reference.update(data, 0, data.length);
        assertThat(out).contains("JDK MessageDigest (OpenSSL: libcrypto").contains("self-test")
                .endsWith(reference.hex());
    }

    /** Run in a JVM of its own by the test above: which implementation, and a 700 kB file's digest. */
    static final class Probe {
        public static void main(String[] args) {
            byte[] data = new byte[700_000];
            new Random(7).nextBytes(data);
            System.out.println(Sha256.implementation());
            System.out.println(Sha256.of(data));
        }
    }

    /** Accepts {@code good} pieces, then refuses every update. */
    private static final class FailingAfter extends Sha256 {
        private final Sha256 inner = new Sha256.Jdk();
        private int left;

        FailingAfter(int good) {
            left = good;
        }

        @Override
        void update(byte[] bytes, int offset, int length) {
            if (left-- <= 0) {
                throw new IllegalStateException("OpenSSL refused the update");
            }
            inner.update(bytes, offset, length);
        }

        @Override
        String hex() {
            return inner.hex();
        }

        @Override
        void discard() {
            inner.discard();
        }
    }
}
