package dev.eqd2sum.cli;

import dev.eqd2sum.io.dicom.FileBytesSink;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.FutureTask;

/**
 * The SHA-256 of a file handed over in pieces by its reader, computed on a second thread while the reader
 * goes on decoding (in a fresh JVM the digest of a 24 MB dose costs about as much as its decoding). Each
 * piece is copied into one of {@link #BUFFERS} buffers, so the file is never held whole. Close it when the
 * read fails, so that the thread ends.
 */
final class BackgroundSha256 implements FileBytesSink, AutoCloseable {
    private static final int BUFFERS = 4;
    private static final int BUFFER_BYTES = 256 * 1024;

    private record Piece(byte[] bytes, int length) {
    }

    private static final Piece END = new Piece(new byte[0], 0);

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    /** Room for every buffer and the end mark, so that ending never waits. */
    private final BlockingQueue<Piece> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final FutureTask<String> digest;
    private final java.util.function.Supplier<Sha256> digests;
    private boolean ended;

    BackgroundSha256() {
        this(Sha256::start);
    }

    /** @param digests makes the digest, on the digest thread (tests give one that fails) */
    BackgroundSha256(java.util.function.Supplier<Sha256> digests) {
        this.digests = digests;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER_BYTES]);
        }
        digest = new FutureTask<>(this::digestPieces);
        Thread.ofPlatform().daemon().name("eqd2sum-sha256").start(digest);
    }

    private String digestPieces() throws InterruptedException {
        Sha256 sha = digests.get(); // on this thread: linking OpenSSL overlaps the reader's first pieces
        RuntimeException failure = null;
        try {
            while (true) {
                Piece p = filled.take();
                if (p == END) {
                    if (failure != null) {
                        throw failure;
                    }
                    return sha.hex();
                }
                if (failure == null) {
                    try {
                        sha.update(p.bytes(), 0, p.length());
                    } catch (RuntimeException e) {
                        failure = e; // the pieces are gone: report it at the end, and keep the reader going
                    }
                }
                free.put(p.bytes());
            }
        } finally {
            sha.discard();
        }
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        while (length > 0) {
            byte[] buffer = uninterruptibly(this::freeBuffer);
            int n = Math.min(length, buffer.length);
            System.arraycopy(bytes, offset, buffer, 0, n);
            Piece piece = new Piece(buffer, n);
            uninterruptibly(() -> {
                filled.put(piece);
                return null;
            });
            offset += n;
            length -= n;
        }
    }

    /**
     * The next free buffer. The digest thread returns each buffer it has read; if it ended without the end mark
     * (it failed), waiting would never end: what it threw is thrown here instead.
     */
    private byte[] freeBuffer() throws InterruptedException {
        while (true) {
            byte[] b = free.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (b != null) {
                return b;
            }
            if (digest.isDone()) {
                Tasks.join(digest);
                throw new IllegalStateException("the SHA-256 thread ended before the end of the file");
            }
        }
    }

    /** The lowercase hex SHA-256 of every byte accepted. */
    String hex() {
        end();
        return Tasks.join(digest);
    }

    @Override
    public void close() {
        end();
    }

    private void end() {
        if (!ended) {
            ended = true;
            filled.add(END);
        }
    }

    private interface Blocking<T> {
        T call() throws InterruptedException;
    }

    /** The digest thread always makes progress, so a wait ends; an interrupt is kept for the caller. */
    private static <T> T uninterruptibly(Blocking<T> step) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return step.call();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
