package dev.eqd2sum.cli;

import dev.eqd2sum.io.CannotWriteException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * An I/O failure a command threw, as its error line: "OUT: cannot write plan-sum-eqd2.dcm: No space left on
 * device". A full disk or a missing permission is the environment's problem (exit 2), not a bug.
 */
final class IoFailure {
    private IoFailure() {
    }

    /**
     * The line (without the "eqd2sum: error: " prefix) for an I/O failure, or null when {@code ex} is none.
     * A checked IOException reaches the top only from writing the outputs (the inputs' failures are
     * InvalidInputExceptions); an UncheckedIOException says in its message what it was doing.
     *
     * @param outFolder the output folder as the user named it (--out), or null
     */
    static String describe(Throwable ex, String outFolder) {
        if (ex instanceof CannotWriteException w) {
            return written(w.file(), w.getCause(), outFolder);
        }
        if (ex instanceof UncheckedIOException u) {
            // its message names what it was doing and on which file ("cannot remove the temporary output folder ...")
            IOException cause = u.getCause();
            String message = u.getMessage();
            if (message == null || message.equals(String.valueOf(cause))) {
                String file = cause instanceof FileSystemException f ? f.getFile() : null;
                return (file == null ? "" : file + ": ") + CannotWriteException.reason(cause);
            }
            return message + ": " + CannotWriteException.reason(cause);
        }
        if (ex instanceof IOException io) {
            String file = io instanceof FileSystemException f ? f.getFile() : null;
            return written(file == null ? null : Path.of(file), io, outFolder);
        }
        return null;
    }

    private static String written(Path file, IOException cause, String outFolder) {
        if (outFolder == null) {
            return (file == null ? "cannot write the outputs" : file + ": cannot write") + ": "
                    + CannotWriteException.reason(cause);
        }
        Path name = file == null ? null : file.getFileName();
        return outFolder + ": cannot write " + (name == null ? "the outputs" : name.toString()) + ": "
                + CannotWriteException.reason(cause);
    }
}
