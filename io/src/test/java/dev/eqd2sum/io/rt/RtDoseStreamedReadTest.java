package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.StreamedDicomFile;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import dev.eqd2sum.io.testsupport.DoseFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The RT Dose read in pieces from its file ({@link RtDoseReader#read(Path, String, dev.eqd2sum.io.dicom.FileBytesSink)})
 * against the same bytes read whole ({@link RtDoseReader#read(byte[], String)}): the same dose, or the same
 * refusal, for any size of first read, and the sink sees exactly the file's bytes.
 */
class RtDoseStreamedReadTest {
    private static final String SOURCE = "RD.dcm";

    /** Outcome of one read: the dose's description and values, or the refusal; and the bytes the sink saw. */
    private record Outcome(String described, float[] doseGy, byte[] seen) {
    }

    private static String describe(RtDose d) {
        return String.join(" | ", d.source(), d.grid().geometry().toString(), d.sopInstanceUid(),
                d.frameOfReferenceUid(), d.doseType(), d.doseSummationType(), d.referencedPlanUids().toString(),
                String.valueOf(d.seriesDescription()), d.transferSyntaxUid(), Double.toString(d.doseGridScaling()),
                Integer.toString(d.bitsAllocated()));
    }

    private static Outcome whole(byte[] file) {
        try {
            RtDose d = RtDoseReader.read(file, SOURCE);
            return new Outcome(describe(d), d.grid().doseGy(), file);
        } catch (InvalidInputException e) {
            return new Outcome("refused: " + e.getMessage(), null, null);
        }
    }

    private static Outcome streamed(byte[] file, int firstReadBytes) {
        try {
            Path p = Files.createTempFile("streamed", ".dcm");
            try {
                Files.write(p, file);
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                try {
                    RtDose d = RtDoseReader.read(p, SOURCE, seen::write, firstReadBytes);
                    return new Outcome(describe(d), d.grid().doseGy(), seen.toByteArray());
                } catch (InvalidInputException e) {
                    return new Outcome("refused: " + e.getMessage(), null, null);
                }
            } finally {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sameAsWhole(byte[] file, int firstReadBytes) {
        Outcome w = whole(file);
        Outcome s = streamed(file, firstReadBytes);
        assertThat(s.described()).as("first read %d of %d bytes", firstReadBytes, file.length).isEqualTo(w.described());
        if (w.doseGy() != null) {
            assertThat(s.doseGy()).containsExactly(w.doseGy());
            assertThat(s.seen()).as("bytes the sink saw").isEqualTo(file);
        }
    }

    /** A grid of nx x ny x nz voxels, 32-bit unsigned or 16-bit signed, of about 300 kB: more than one piece. */
    private static DicomObject big(int bits) {
        int nx = 64, ny = 48, nz = bits == 32 ? 25 : 50;
        DicomObject ds = DoseFixture.dataset(SOURCE);
        ds.setInts(Tags.Columns, nx);
        ds.setInts(Tags.Rows, ny);
        ds.setInts(Tags.NumberOfFrames, nz);
        String[] offsets = new String[nz];
        for (int k = 0; k < nz; k++) {
            offsets[k] = Integer.toString(3 * k);
        }
        ds.setString(Tags.GridFrameOffsetVector, Vr.DS, offsets);
        ds.setInts(Tags.BitsAllocated, bits);
        ds.setInts(Tags.BitsStored, bits);
        ds.setInts(Tags.HighBit, bits - 1);
        ds.setInts(Tags.PixelRepresentation, bits == 32 ? 0 : 1);
        ByteBuffer bb = ByteBuffer.allocate(nx * ny * nz * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v = 0; v < nx * ny * nz; v++) {
            int value = (v * 7919) % 30011;
            if (bits == 32) {
                bb.putInt(value);
            } else {
                bb.putShort((short) (value % 32000));
            }
        }
        ds.setBytes(Tags.PixelData, Vr.OW, bb.array());
        return ds;
    }

    @Test
    void largeDosesDecodeAlikeWhateverTheFirstRead() {
        for (int bits : new int[] {16, 32}) {
            byte[] file = DoseFixture.encode(big(bits));
            assertThat(file.length).isGreaterThan(300_000);
            for (int first : new int[] {1, 256, 300, 1000, 4096, 65536, file.length - 1, file.length, 1 << 24}) {
                sameAsWhole(file, first);
            }
        }
    }

    @Test
    void thePixelDataOfALargeDoseStaysInTheFileUntilDecoded() throws IOException {
        Path p = Files.createTempFile("streamed", ".dcm");
        try {
            byte[] file = DoseFixture.encode(big(32));
            Files.write(p, file);
            try (StreamedDicomFile s = DicomReader.readStreamed(p, SOURCE, 4096)) {
                assertThat(s.pixelsInFile()).isNotNull();
                assertThat(s.pixelsInFile().length()).isEqualTo(64 * 48 * 25 * 4);
                assertThat(s.pixelsInFile().offset() + s.pixelsInFile().length()).isEqualTo(file.length);
                assertThat(s.file().dataset().contains(Tags.PixelData)).isFalse();
            }
            try (StreamedDicomFile s = DicomReader.readStreamed(p, SOURCE, file.length)) {
                assertThat(s.pixelsInFile()).as("a file that fits in the first read is read whole").isNull();
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void attributesAfterThePixelDataAreRead() {
        DicomObject ds = big(32);
        ds.setString(0x7FE10010, Vr.LO, "PRIVATE CREATOR");
        ds.setBytes(0xFFFCFFFC, Vr.OB, new byte[] {0, 0, 0, 0});
        byte[] file = DoseFixture.encode(ds);
        sameAsWhole(file, 256);
        sameAsWhole(file, 4096);
    }

    @Test
    void paddingAfterTheVoxelsIsHashedNotDecoded() {
        DicomObject ds = big(16);
        byte[] pixels = ds.get(Tags.PixelData).bytes();
        ds.setBytes(Tags.PixelData, Vr.OW, Arrays.copyOf(pixels, pixels.length + 6));
        sameAsWhole(DoseFixture.encode(ds), 256);
    }

    @Test
    void floatPixelDataBeforeIntegerPixelDataIsSkippedAlike() {
        DicomObject ds = big(32);
        ds.setBytes(Tags.FloatPixelData, Vr.OF, new byte[4 * 8]);
        sameAsWhole(DoseFixture.encode(ds), 256);
        ds.remove(Tags.PixelData);
        sameAsWhole(DoseFixture.encode(ds), 256);
    }

    @Test
    void everyTruncationIsTheSameRefusal() {
        byte[] file = DoseFixture.encode(big(32));
        int header = file.length - big(32).get(Tags.PixelData).bytes().length;
        for (int len = 0; len < header + 40; len++) {
            sameAsWhole(Arrays.copyOf(file, len), 256);
        }
        for (int len = header + 40; len < file.length; len += 4099) {
            sameAsWhole(Arrays.copyOf(file, len), 256);
        }
    }

    @Test
    void aHugeDeclaredPixelDataLengthIsARefusalNotAnAllocation() {
        byte[] file = DoseFixture.encode(big(32));
        int header = file.length - big(32).get(Tags.PixelData).bytes().length;
        // Explicit VR OW: 4 bytes of length right before the value.
        for (int length : new int[] {0xFFFFFFF0, 0x7FFFFFF0, 0x40000000}) {
            byte[] bad = file.clone();
            ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(header - 4, length);
            Outcome s = streamed(bad, 256);
            assertThat(s.described()).startsWith("refused: ").contains("file ends at byte " + file.length);
            sameAsWhole(bad, 256);
        }
    }

    @Property(tries = 200)
    void corruptedHeadersAreRefusedOrReadAlike(@ForAll @IntRange(min = 0, max = 2000) int position,
                                               @ForAll byte value, @ForAll @IntRange(min = 0, max = 5000) int first) {
        byte[] file = DoseFixture.encode(DoseFixture.dataset(SOURCE));
        byte[] bad = file.clone();
        bad[position % bad.length] = value;
        sameAsWhole(bad, first);
    }
}
