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
abstract sealed class Sha256 permits Sha256.Jdk, OpenSslSha256 {
    /** Below this many bytes the JDK's digest is used: linking OpenSSL costs more than it saves. */
    static final int NATIVE_MIN_BYTES = 256 * 1024;

    /** A new digest, OpenSSL's when available. */
    static Sha256 start() {
        return OpenSslSha256.available() ? OpenSslSha256.start() : new Jdk();
    }

    /** The lowercase hex SHA-256 of {@code bytes}. */
    static String of(byte[] bytes) {
        Sha256 sha = bytes.length >= NATIVE_MIN_BYTES ? start() : new Jdk();
        sha.update(bytes, 0, bytes.length);
        return sha.hex();
    }

    /** Which implementation {@link #start()} gives, in words (for EQD2SUM_TIMINGS and the tests). */
    static String implementation() {
        return OpenSslSha256.available() ? OpenSslSha256.description() : "JDK MessageDigest";
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
