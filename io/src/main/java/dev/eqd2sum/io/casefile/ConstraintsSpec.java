package dev.eqd2sum.io.casefile;

import java.nio.file.Path;

/** The constraints a case asks for: a built-in set by name, or a constraint file (resolved, checked to exist). */
public record ConstraintsSpec(String builtInName, Path file, String displayFile) {
    public static ConstraintsSpec builtIn(String name) {
        return new ConstraintsSpec(name, null, null);
    }

    public static ConstraintsSpec file(Path file, String display) {
        return new ConstraintsSpec(null, file, display);
    }

    public boolean isBuiltIn() {
        return builtInName != null;
    }
}
