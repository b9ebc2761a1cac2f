package dev.eqd2sum.io.testsupport;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent tools (Debian's pydicom, dcmtk, dicom3tools, plastimatch). A missing tool
 * skips the test with the reason, unless EQD2SUM_REQUIRE_CROSSCHECK=1 (CI), where it fails.
 */
public final class CrossCheck {
    public static final String PYTHON = "/usr/bin/python3";
    public static final Path PYDICOM_TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private CrossCheck() {
    }

    public static boolean required() {
        return "1".equals(System.getenv("EQD2SUM_REQUIRE_CROSSCHECK"));
    }

    public static void requireAvailable(boolean available, String what) {
        if (!available) {
            if (required()) {
                fail(what + " is not installed, and EQD2SUM_REQUIRE_CROSSCHECK=1");
            }
            assumeTrue(false, what + " is not installed: cross-check skipped");
        }
    }

    public static void requirePydicom() {
        requireAvailable(Files.isExecutable(Path.of(PYTHON)) && run(List.of(PYTHON, "-c", "import pydicom"), null).exitCode == 0,
                "python3-pydicom (/usr/bin/python3 with pydicom)");
    }

    public static void requireTool(String name) {
        requireAvailable(which(name) != null, name);
    }

    public static Path pydicomTestFile(String name) {
        Path p = PYDICOM_TEST_FILES.resolve(name);
        requireAvailable(Files.isRegularFile(p), "pydicom's test file " + name);
        return p;
    }

    public static Path which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Path p = Path.of("/usr/bin", name);
        return Files.isExecutable(p) ? p : null;
    }

    /** Result of a tool run. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static Result run(List<String> command, Path workDir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            Path out = Files.createTempFile("xcheck", ".out");
            Path err = Files.createTempFile("xcheck", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs a Python script with Debian's python3 (pydicom) in {@code dir}; fails on a non-zero exit. */
    public static String python(Path dir, String script, String... args) {
        requirePydicom();
        try {
            Path file = Files.createTempFile(dir, "script", ".py");
            Files.writeString(file, script);
            List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
            cmd.addAll(List.of(args));
            Result r = run(cmd, dir);
            if (r.exitCode != 0) {
                fail("python failed (" + r.exitCode + "):\n" + r.stderr + r.stdout);
            }
            return r.stdout;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a tool and returns its result; fails when it cannot start. */
    public static Result tool(Path dir, String... command) {
        requireTool(command[0]);
        return run(List.of(command), dir);
    }
}
