package dev.eqd2sum.io.cohort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which build of eqd2sum's own code runs: the SHA-256 of its jars (or class folders), shortened. A snapshot keeps
 * its version string from build to build, so {@code --resume} keys its records on this as well: a case computed by
 * another build (one with a fix, say) is computed again rather than kept.
 */
public final class BuildFingerprint {
    private static final int HEX_DIGITS = 12;

    private BuildFingerprint() {
    }

    /** The fingerprint of the code that holds these classes (one per module: cli, io, engine). */
    public static String of(Class<?>... classes) {
        List<Path> sources = new ArrayList<>();
        for (Class<?> c : classes) {
            CodeSource cs = c.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return "unknown";
            }
            try {
                Path p = Path.of(cs.getLocation().toURI());
                if (!sources.contains(p)) {
                    sources.add(p);
                }
            } catch (URISyntaxException | IllegalArgumentException e) {
                return "unknown";
            }
        }
        return of(sources);
    }

    /** The fingerprint of these jars or class folders (a folder: every file under it, by relative path, sorted). */
    static String of(List<Path> sources) {
        try {
            MessageDigest md = Sha256Files.newDigest();
            for (Path source : sources) {
                md.update(source.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isDirectory(source)) {
                    List<Path> files;
                    try (Stream<Path> walk = Files.walk(source)) {
                        files = walk.filter(Files::isRegularFile).sorted().toList();
                    }
                    for (Path f : files) {
                        md.update(source.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                        Sha256Files.update(md, f);
                    }
                } else {
                    Sha256Files.update(md, source);
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, HEX_DIGITS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read eqd2sum's own code to fingerprint it", e);
        }
    }
}
