package dev.eqd2sum.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a path really is, links followed, so that "is this file inside that folder" has one answer. */
public final class RealPath {
    private RealPath() {
    }

    /** The real path of p, or of its nearest existing ancestor with the rest appended (p may not exist yet). */
    public static Path of(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs));
        } catch (IOException e) {
            return abs;
        }
    }
}
