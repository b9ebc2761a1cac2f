package dev.eqd2sum.io.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.testsupport.CrossCheck;
import dev.eqd2sum.io.testsupport.DoseFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The codec's handling of malformed and unusual input: every problem one clear error naming the file. */
class DicomReaderTest {
    /** Explicit VR LE bare element with a 2-byte length. */
    static byte[] element(int tag, String vr, byte[] value) {
        ByteBuffer bb = ByteBuffer.allocate(8 + value.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes()).putShort((short) value.length).put(value);
        return bb.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aFileReadWritesBackWithItsPixelDataWhateverTheBulkViewsOrder() {
        byte[] original = DoseFixture.encode(DoseFixture.dataset("RD.dcm"));
        DicomFile read = DicomReader.parse(original, "RD.dcm");
        assertThat(read.dataset().get(Tags.PixelData).bulk()).isNotNull(); // pixel data kept as a view of the file
        byte[] again = DicomWriter.toBytes(read.dataset(), "1.2.3", "TEST");
        assertThat(again).isEqualTo(original);

        DicomObject bigEndian = DicomReader.parse(original, "RD.dcm").dataset();
        bigEndian.put(DicomElement.ofBulk(Tags.PixelData, Vr.OW,
                ByteBuffer.wrap(DoseFixture.pixels32(false)).order(ByteOrder.BIG_ENDIAN)));
        assertThatThrownBy(() -> DicomWriter.toBytes(bigEndian, "1.2.3", "TEST"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("big endian bulk data");
    }

    @Test
    void truncatedPixelDataNamesTheByteAndTheDeclaredLength() {
        byte[] full = DoseFixture.encode(DoseFixture.dataset("RD.dcm"));
        byte[] cut = Arrays.copyOf(full, full.length - 10);
        assertThatThrownBy(() -> DicomReader.parse(cut, "RD.dcm")).isInstanceOf(InvalidInputException.class)
                .hasMessage("RD.dcm: file ends at byte " + cut.length + " inside PixelData (7FE0,0010) (declared length 96)");
    }

    @Test
    void everyTruncationOfAValidFileIsAnInputErrorNeverACrash() {
        byte[] full = DoseFixture.encode(DoseFixture.dataset("RD.dcm"));
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            try {
                DicomReader.parse(cut, "RD.dcm");
            } catch (InvalidInputException expected) {
                assertThat(expected.getMessage()).startsWith("RD.dcm: ").doesNotContain("\n");
            }
        }
    }

    @Test
    void declaredLengthBeyondTheFileIsRefusedBeforeAllocating() {
        byte[] huge = concat(element(Tags.SOPClassUID, "UI", "1.2".getBytes()),
                new byte[] {0x10, 0x00, 0x10, 0x00, 'U', 'T', 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F});
        assertThatThrownBy(() -> DicomReader.parse(huge, "x.dcm")).isInstanceOf(InvalidInputException.class)
                .hasMessage("x.dcm: file ends at byte 23 inside PatientName (0010,0010) (declared length 2147483632)");
    }

    @Test
    void absurdNestingIsBounded() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(element(Tags.SOPClassUID, "UI", "1.2".getBytes()));
        byte[] seqOpen = {0x08, 0x00, 0x15, 0x11, 'S', 'Q', 0, 0, -1, -1, -1, -1, // ReferencedSeriesSequence, undefined
                (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, -1, -1, -1, -1}; // item, undefined
        for (int i = 0; i < 100; i++) {
            out.writeBytes(seqOpen);
        }
        assertThatThrownBy(() -> DicomReader.parse(out.toByteArray(), "deep.dcm")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("deep.dcm: sequences nested deeper than 32 levels");
    }

    @Test
    void oddLengthValuesAndUnknownAttributesAreRead() {
        byte[] data = concat(element(Tags.SOPClassUID, "UI", "1.2.3".getBytes()),
                element(0x00091001, "LO", "abc".getBytes()), // private, odd length
                element(Tags.PatientID, "LO", "pt1".getBytes()));
        DicomFile f = DicomReader.parse(data, "odd.dcm");
        assertThat(f.dataset().getString(Tags.SOPClassUID)).isEqualTo("1.2.3");
        assertThat(f.dataset().getString(Tags.PatientID)).isEqualTo("pt1");
        assertThat(f.hasPart10Header()).isFalse();
        assertThat(f.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    @Test
    void notDicomAtAll() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertThatThrownBy(() -> DicomReader.parse(png, "image.png")).isInstanceOf(InvalidInputException.class)
                .hasMessage("image.png: not a DICOM file (no 'DICM' marker at byte 128 and no data set at byte 0)");
        assertThatThrownBy(() -> DicomReader.read(Path.of("/nonexistent/RD.dcm"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("/nonexistent/RD.dcm: file not found");
    }

    @Test
    void invalidVrIsNamed() {
        byte[] data = concat(element(Tags.SOPClassUID, "UI", "1.2".getBytes()), element(Tags.PatientID, "l0", "x".getBytes()));
        assertThatThrownBy(() -> DicomReader.parse(data, "v.dcm")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("v.dcm: attribute PatientID (0010,0020) at byte 11 has an invalid VR");
    }

    @Test
    void deflatedDataSetReadsAndItsTruncationIsNamed() {
        byte[] full = DoseFixture.encode(DoseFixture.dataset("RD.dcm"));
        DicomFile plain = DicomReader.parse(full, "RD.dcm");
        int metaEnd = 132 + 12 + (int) plain.meta().getDoubles(Tags.FileMetaInformationGroupLength)[0];
        java.util.zip.Deflater d = new java.util.zip.Deflater(6, true);
        d.setInput(Arrays.copyOfRange(full, metaEnd, full.length));
        d.finish();
        byte[] buf = new byte[full.length * 2];
        byte[] body = Arrays.copyOf(buf, d.deflate(buf));
        d.end();
        byte[] meta = concat(new byte[128], "DICM".getBytes(),
                element(Tags.TransferSyntaxUID, "UI", TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid().getBytes()));
        byte[] deflated = concat(meta, body);
        DicomFile f = DicomReader.parse(deflated, "RD.dcm");
        assertThat(f.transferSyntax()).isEqualTo(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(f.dataset().getString(Tags.DoseUnits)).isEqualTo("GY");
        byte[] cut = Arrays.copyOf(deflated, deflated.length - body.length / 2);
        assertThatThrownBy(() -> DicomReader.parse(cut, "RD.dcm")).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("RD.dcm: the deflated data set is truncated");
    }

    @Test
    void strayItemOutsideASequence() {
        byte[] data = concat(element(Tags.SOPClassUID, "UI", "1.2".getBytes()),
                new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 0, 0, 0, 0});
        assertThatThrownBy(() -> DicomReader.parse(data, "s.dcm")).isInstanceOf(InvalidInputException.class)
                .hasMessage("s.dcm: unexpected item at byte 11 outside a sequence");
    }

    /** Every file of Debian pydicom's test suite: parsed, or refused with one clear line; never another exception. */
    @Test
    void pydicomTestSuiteFilesParseOrAreRefusedCleanly() throws IOException {
        CrossCheck.pydicomTestFile("rtdose.dcm");
        int parsed = 0;
        try (Stream<Path> files = Files.list(CrossCheck.PYDICOM_TEST_FILES)) {
            for (Path p : files.filter(x -> x.toString().endsWith(".dcm")).sorted().toList()) {
                try {
                    DicomReader.read(p);
                    parsed++;
                } catch (InvalidInputException e) {
                    assertThat(e.getMessage()).startsWith(p.toString()).doesNotContain("\n");
                }
            }
        }
        assertThat(parsed).isGreaterThan(60);
    }

    @Test
    void bigEndianBareDataSet() {
        DicomFile f = DicomReader.read(CrossCheck.pydicomTestFile("ExplVR_BigEndNoMeta.dcm"));
        assertThat(f.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN);
        assertThat(f.dataset().getString(Tags.SpecificCharacterSet)).isEqualTo("ISO_IR 100");
    }
}
