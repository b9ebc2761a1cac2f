package dev.eqd2sum.cli;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.CannotWriteException;
import dev.eqd2sum.io.RealPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An output folder that appears whole or not at all: everything is written into a temporary folder next
 * to it and moved into place at the end ({@link #commit()}); {@link #discard()} removes the temporary
 * folder (and any parent folders created for it). The target must be absent or empty; with overwrite, an
 * existing folder is replaced only when eqd2sum wrote it (it holds the {@link #MARKER} file), so a typo in
 * {@code --out} can never delete a user's folder.
 */
public final class OutputFolder implements AutoCloseable {
    /** Marks a folder as eqd2sum's output, so {@code --overwrite} may replace it. */
    public static final String MARKER = ".eqd2sum-output";

    private final Path target;
    private final String display;
    private final boolean overwrite;
    private final List<Path> inputs;
    private final Path temp;
    private final List<Path> createdParents;
    private volatile boolean committed;
    private volatile boolean discarded;
    /** Removes the temporary folder when the JVM is stopped (Ctrl-C, kill) before the outputs were moved. */
    private final Thread onShutdown;

    private OutputFolder(Path target, String display, boolean overwrite, List<Path> inputs, Path temp,
                         List<Path> createdParents) {
        this.target = target;
        this.display = display;
        this.overwrite = overwrite;
        this.inputs = List.copyOf(inputs);
        this.temp = temp;
        this.createdParents = createdParents;
        this.onShutdown = new Thread(this::discardQuietly, "eqd2sum-output-cleanup");
        Runtime.getRuntime().addShutdownHook(onShutdown);
    }

    /**
     * Checks the target and creates the temporary folder.
     *
     * @param display the folder as the user named it (for messages)
     */
    public static OutputFolder prepare(Path dir, String display, boolean overwrite) {
        return prepare(dir, display, overwrite, List.of());
    }

    /**
     * As {@link #prepare(Path, String, boolean)}, refusing to replace a folder that holds one of the run's
     * {@code inputs}: an {@code --out} typed one level too short (the demo's folder, which holds its case) would
     * otherwise delete the case it just summed.
     */
    public static OutputFolder prepare(Path dir, String display, boolean overwrite, List<Path> inputs) {
        if (display.isBlank()) {
            throw new InvalidInputException("--out", "must name a folder (it is empty)");
        }
        Path target = dir.toAbsolutePath().normalize();
        if (target.getParent() == null) {
            throw new InvalidInputException(display, "cannot write into the file system root");
        }
        checkTarget(target, display, overwrite, inputs);
        List<Path> created = new ArrayList<>();
        try {
            Path p = target.getParent();
            List<Path> missing = new ArrayList<>();
            while (p != null && !Files.exists(p)) {
                missing.addFirst(p);
                p = p.getParent();
            }
            for (Path m : missing) {
                Files.createDirectory(m);
                created.addFirst(m);
            }
            Path temp = target.resolveSibling("." + target.getFileName() + ".eqd2sum-tmp-" + UUID.randomUUID());
            Files.createDirectory(temp);
            Files.writeString(temp.resolve(MARKER), "Written by eqd2sum; --overwrite may replace this folder.\n");
            return new OutputFolder(target, display, overwrite, inputs, temp, created);
        } catch (IOException e) {
            for (Path c : created) {
                try {
                    Files.deleteIfExists(c);
                } catch (IOException ignored) {
                    // best effort: the folder we could not create a file in may be unusable anyway
                }
            }
            throw new InvalidInputException(display, "cannot create the output folder: "
                    + CannotWriteException.reason(e));
        }
    }

    /** The rules a target must meet, at {@link #prepare} and again at {@link #commit}. */
    private static void checkTarget(Path target, String display, boolean overwrite, List<Path> inputs) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new InvalidInputException(display, "exists and is not a folder");
        }
        if (isEmpty(target)) {
            return;
        }
        if (!overwrite) {
            throw new InvalidInputException(display, "the output folder is not empty (use --overwrite to"
                    + " replace a previous result)");
        }
        if (!Files.isRegularFile(target.resolve(MARKER))) {
            throw new InvalidInputException(display, "the output folder is not empty and was not written"
                    + " by eqd2sum (no " + MARKER + " file), so --overwrite will not replace it");
        }
        Path input = inputInside(target, inputs);
        if (input != null) {
            throw new InvalidInputException(display, "holds " + input + ", an input of this run, so"
                    + " --overwrite will not replace it; give another output folder");
        }
    }

    /** The first input that lies inside {@code folder} (links followed, as the replacement would delete it). */
    private static Path inputInside(Path folder, List<Path> inputs) {
        Path real = RealPath.of(folder);
        for (Path in : inputs) {
            if (RealPath.of(in).startsWith(real)) {
                return in;
            }
        }
        return null;
    }

    /** Where to write the outputs before they are moved into place. */
    public Path temp() {
        return temp;
    }

    public Path target() {
        return target;
    }

    public String display() {
        return display;
    }

    /**
     * Moves the outputs into place; replaces a previous eqd2sum output folder when present. The target is checked
     * again first: a run takes seconds to minutes, and a folder made at {@code --out} meanwhile (by the user, or
     * by another run without {@code --overwrite}) must not be replaced.
     */
    public void commit() throws IOException {
        try {
            checkTarget(target, display, overwrite, inputs);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(display, "changed while eqd2sum ran, so the outputs were not moved"
                    + " into place: " + e.problem());
        }
        Path old = null;
        try {
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".eqd2sum-old-" + UUID.randomUUID());
                move(target, old);
            }
            try {
                move(temp, target);
            } catch (IOException e) {
                if (old != null) {
                    try {
                        move(old, target);
                    } catch (IOException restore) {
                        // the earlier outputs stay where they were moved aside: say where
                        throw new InvalidInputException(display, "cannot move the outputs into place: "
                                + CannotWriteException.reason(e)
                                + "; the earlier outputs are in " + old);
                    }
                }
                throw e;
            }
        } catch (IOException e) {
            // the file system's message names the temporary folder, which the user never named
            throw new InvalidInputException(display, "cannot move the outputs into place: "
                    + CannotWriteException.reason(e));
        }
        committed = true;
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Removes the temporary folder unless committed. */
    public void discard() {
        try {
            Runtime.getRuntime().removeShutdownHook(onShutdown);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is running or about to: it does the same work
        }
        discardNow();
    }

    private void discardQuietly() {
        try {
            discardNow();
        } catch (RuntimeException ignored) {
            // the JVM is stopping; nothing more can be done about a folder that cannot be removed
        }
    }

    private synchronized void discardNow() {
        if (committed || discarded) {
            return;
        }
        discarded = true;
        try {
            deleteTree(temp);
            for (Path c : createdParents) {
                Files.deleteIfExists(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the temporary output folder " + temp, e);
        }
    }

    @Override
    public void close() {
        discard();
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        dev.eqd2sum.io.FileTrees.delete(root);
    }
}
