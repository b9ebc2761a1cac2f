package dev.eqd2sum.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

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
}
