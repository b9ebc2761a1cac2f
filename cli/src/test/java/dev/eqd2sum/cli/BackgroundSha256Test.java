package dev.eqd2sum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDose;
import dev.eqd2sum.io.rt.RtDoseReader;
import dev.eqd2sum.io.rt.RtDoseWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provenance SHA-256 computed from a reader's pieces is the SHA-256 of the whole file. */
class BackgroundSha256Test {
    @TempDir
    Path dir;

    @Property(tries = 50)
    void piecesOfAnySizeDigestLikeTheWhole(@ForAll @IntRange(min = 0, max = 2_000_000) int size,
                                           @ForAll @IntRange(min = 1, max = 700_000) int piece, @ForAll long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        String hex;
        try (BackgroundSha256 sha = new BackgroundSha256()) {
            for (int off = 0; off < size; off += piece) {
                sha.accept(data, off, Math.min(piece, size - off));
            }
            hex = sha.hex();
        }
        assertThat(hex).isEqualTo(CaseInputs.sha256(data));
    }

    @Test
    void aDoseReadInPiecesHashesToItsFilesSha256() throws IOException {
        // 120 x 100 x 30 voxels at 32 bits: 1.4 MB of pixel data, read in several pieces past the first read.
        GridGeometry g = new GridGeometry(120, 100, 30, new double[] {-100, -80, -40}, new double[] {2, 2, 3},
                new double[] {1, 0, 0}, new double[] {0, 1, 0}, new double[] {0, 0, 1});
        float[] dose = new float[g.voxelCount()];
        for (int v = 0; v < dose.length; v++) {
            dose[v] = (v % 977) * 0.01f;
        }
        Path file = dir.resolve("RD.dcm");
        RtDoseWriter.writePhysical(file, new DoseGrid(g, dose), PatientStudy.synthetic("Test^Patient", "pt1", "20200101"),
                "1.2.3.4.9", null, 32);
        String hex;
        RtDose read;
        try (BackgroundSha256 sha = new BackgroundSha256()) {
            read = RtDoseReader.read(file, "RD.dcm", sha);
            hex = sha.hex();
        }
        assertThat(hex).isEqualTo(CaseInputs.sha256(Files.readAllBytes(file)));
        assertThat(read.grid().doseGy()).hasSize(dose.length);
    }
}
