package dev.eqd2sum.io.casefile;

import dev.eqd2sum.engine.constraint.Constraint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The built-in constraint sets (resource files in the constraint-file format) and user constraint files. */
public final class ConstraintSets {
    public static final String SPINE_REIRRADIATION = "spine-reirradiation";
    private static final List<String> BUILT_IN = List.of(SPINE_REIRRADIATION);

    private ConstraintSets() {
    }

    public static List<String> builtInNames() {
        return BUILT_IN;
    }

    /** The constraints a case asks for. */
    public static List<Constraint> load(ConstraintsSpec spec) {
        if (spec.isBuiltIn()) {
            return builtIn(spec.builtInName());
        }
        return ConstraintFileReader.read(spec.file(), spec.displayFile());
    }

    public static List<Constraint> builtIn(String name) {
        if (!BUILT_IN.contains(name)) {
            throw new IllegalArgumentException("no built-in constraint set " + name);
        }
        String resource = name + ".json";
        try (InputStream in = ConstraintSets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in constraint set resource missing: " + resource);
            }
            // Parsed by the same reader as user files, so the built-in set is held to the same format.
            return ConstraintFileReader.read(in.readAllBytes(), "built-in constraint set " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
