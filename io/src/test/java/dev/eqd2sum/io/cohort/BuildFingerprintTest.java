package dev.eqd2sum.io.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build fingerprint that --resume records: the same for the same code, another for any changed byte. */
class BuildFingerprintTest {
    @TempDir
    Path tmp;

    @Test
    void sameCodeSameFingerprintAnyChangeAnother() throws IOException {
        Path classes = Files.createDirectories(tmp.resolve("classes/dev/x"));
        Files.write(classes.resolve("A.class"), new byte[] {1, 2, 3});
        Files.write(classes.resolve("B.class"), new byte[] {4, 5});
        Path jar = tmp.resolve("engine.jar");
        Files.write(jar, new byte[] {9, 9, 9});
        List<Path> sources = List.of(tmp.resolve("classes"), jar);
        String first = BuildFingerprint.of(sources);
        assertThat(first).hasSize(12).matches("[0-9a-f]+");
        assertThat(BuildFingerprint.of(sources)).isEqualTo(first);

        Files.write(classes.resolve("B.class"), new byte[] {4, 6}); // a class changed
        String second = BuildFingerprint.of(sources);
        assertThat(second).isNotEqualTo(first);

        Files.write(jar, new byte[] {9, 9, 8}); // a jar changed
        assertThat(BuildFingerprint.of(sources)).isNotEqualTo(second);

        Files.move(classes.resolve("A.class"), classes.resolve("C.class")); // same bytes under another name
        assertThat(BuildFingerprint.of(sources)).isNotEqualTo(second);
    }

    @Test
    void theRunningCodeHasOne() {
        String f = BuildFingerprint.of(CohortRun.class, dev.eqd2sum.engine.kernel.KernelProvider.class);
        assertThat(f).hasSize(12).matches("[0-9a-f]+");
        assertThat(BuildFingerprint.of(CohortRun.class, dev.eqd2sum.engine.kernel.KernelProvider.class))
                .isEqualTo(f);
    }
}
