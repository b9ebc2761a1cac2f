package dev.eqd2sum.io.dicom;

import dev.eqd2sum.io.CannotWriteException;
import dev.eqd2sum.io.testsupport.DoseFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DicomWriterTest {
    @TempDir
    Path tmp;

    /** Pixel data whose writing fails half-way, as on a full disk. */
    static final class FullDisk implements DicomWriter.TrailingValue {
        @Override
        public int tag() {
            return Tags.PixelData;
        }

        @Override
        public Vr vr() {
            return Vr.OW;
        }

        @Override
        public long length() {
            return 1 << 20;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(new byte[1 << 18]);
            throw new IOException("No space left on device");
        }
    }

    @Test
    void aWriteThatFailsNamesTheFileAndLeavesNothingBehind() throws IOException {
        Path target = tmp.resolve("plan-sum-eqd2.dcm");
        DicomObject ds = DoseFixture.dataset("x");
        ds.remove(Tags.PixelData);
        assertThatThrownBy(() -> DicomWriter.write(target, ds, "1.2.3", "TEST", new FullDisk()))
                .isInstanceOfSatisfying(CannotWriteException.class, e -> {
                    assertThat(e.file()).isEqualTo(target);
                    assertThat(e.getCause()).hasMessage("No space left on device");
                });
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFolderThatCannotBeMadeIsAWriteFailureToo() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Path target = file.resolve("RS.dcm");
        assertThatThrownBy(() -> DicomWriter.write(target, DoseFixture.dataset("x"), "1.2.3", "TEST"))
                .isInstanceOfSatisfying(CannotWriteException.class, e -> assertThat(e.file()).isEqualTo(target));
    }
}
