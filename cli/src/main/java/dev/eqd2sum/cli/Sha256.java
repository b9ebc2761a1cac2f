package dev.eqd2sum.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of an input file, for the provenance in dvh.json (CONTRACT). Where the system's OpenSSL
 * {@code libcrypto} can be called ({@link OpenSslSha256}), it computes the digest: a one-case run hashes
 * every input (31 MB on the std comparison case) in a fresh JVM whose C1 compiler has no SHA-256
 * intrinsic, and OpenSSL's SHA-NI code is about 8x faster there (bench/RESULTS.md, section 2). Elsewhere
 * the JDK's {@link MessageDigest} does it. Both give the same digest; {@code Sha256Test} checks it.
 *
 * <p>One digest per file, used by one thread; {@link #hex()} ends it and frees what it holds.
 */
abstract class Sha256 {
    /** Below this many bytes the JDK's digest is used: linking OpenSSL costs more than it saves. */
    static final int NATIVE_MIN_BYTES = 256 * 1024;

    /** A new digest, OpenSSL's when available (the JDK's if OpenSSL cannot start one). */
    static Sha256 start() {
        if (OpenSslSha256.available()) {
            try {
                return OpenSslSha256.start();
            } catch (RuntimeException e) {
                // OpenSSL linked and passed its self-test but cannot start a digest now: nothing is lost yet
            }
        }
        return new Jdk();
    }

    /** The lowercase hex SHA-256 of {@code bytes}. */
    static String of(byte[] bytes) {
        if (bytes.length >= NATIVE_MIN_BYTES) {
            Sha256 sha = start();
            try {
                sha.update(bytes, 0, bytes.length);
                return sha.hex();
            } catch (RuntimeException e) {
                sha.discard(); // OpenSSL failed part way: the bytes are all here, so the JDK does it again
            }
        }
        Sha256 jdk = new Jdk();
        jdk.update(bytes, 0, bytes.length);
        return jdk.hex();
    }

    /** Links (and self-tests) OpenSSL now, so that the first digest does not wait for it. */
    static void prepare() {
        OpenSslSha256.available();
    }

    /** Which implementation {@link #start()} gives, in words (for EQD2SUM_TIMINGS and the tests). */
    static String implementation() {
        return OpenSslSha256.description(); // OpenSSL's library, or the JDK's and why not OpenSSL
    }

    abstract void update(byte[] bytes, int offset, int length);

    /** The lowercase hex digest of every byte given; the digest cannot be used after. */
    abstract String hex();

    /** Frees what the digest holds without a result (a failed read). Idempotent, also after {@link #hex()}. */
    abstract void discard();

    /** The JDK's SHA-256: the reference, and the fallback where OpenSSL cannot be called. */
    static final class Jdk extends Sha256 {
        private final MessageDigest md;

        Jdk() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }

        @Override
        void update(byte[] bytes, int offset, int length) {
            md.update(bytes, offset, length);
        }

        @Override
        String hex() {
            return HexFormat.of().formatHex(md.digest());
        }

        @Override
        void discard() {
            md.reset();
        }
    }
}
