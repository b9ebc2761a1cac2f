package dev.eqd2sum.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * An output file could not be written (full disk, no permission, the folder gone): a problem of the environment,
 * not a bug. It names the file, so that the error line can say which output failed and why.
 */
public final class CannotWriteException extends UncheckedIOException {
    private final transient Path file;

    public CannotWriteException(Path file, IOException cause) {
        super("cannot write " + file, cause);
        this.file = file;
    }

    /** The operating system's reason ("No space left on device"), without the file name it may repeat. */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            if (f instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (f instanceof NoSuchFileException) {
                return "no such file or folder";
            }
            if (f instanceof FileAlreadyExistsException) {
                return "already exists";
            }
            if (f instanceof NotDirectoryException) {
                return "not a folder";
            }
            if (f instanceof DirectoryNotEmptyException) {
                return "folder not empty";
            }
            // no reason given: the message is only the path (perhaps a temporary one the user never named)
            return "the file system refused (" + e.getClass().getSimpleName() + ")";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The file that was being written (its final name, not a temporary one beside it). */
    public Path file() {
        return file;
    }
}
