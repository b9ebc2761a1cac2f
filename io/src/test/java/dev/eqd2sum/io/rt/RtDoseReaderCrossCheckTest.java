package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.io.testsupport.CrossCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RT Dose files written by pydicom in every encoding and orientation read back exactly. */
class RtDoseReaderCrossCheckTest {
    static final int NX = 7, NY = 5, NZ = 4;
    static final String[] TS = {"ile", "ele", "dle", "ebe"};
    static final String[] ORIENT = {"hfs", "ffs", "hfp"};
    static final String[] OFFSETS = {"rel", "abs", "desc"};

    @TempDir
    static Path dir;

    static List<String> specs = new ArrayList<>();

    @BeforeAll
    static void writeWithPydicom() throws IOException {
        for (String ts : TS) {
            for (int bits : new int[] {16, 32}) {
                for (int signed = 0; signed <= 1; signed++) {
                    for (String o : ORIENT) {
                        for (String off : OFFSETS) {
                            if (off.equals("abs") && !o.equals("hfs")) {
                                continue; // the absolute form is only valid for the standard orientation
                            }
                            specs.add(String.join(":", ts + bits + "s" + signed + o + off, ts, "" + bits, "" + signed, o, off));
                        }
                    }
                }
            }
        }
        List<String> args = new ArrayList<>(List.of(dir.toString()));
        args.addAll(specs);
        CrossCheck.python(dir, script("make_rtdose.py"), args.toArray(String[]::new));
    }

    static String script(String name) throws IOException {
        try (InputStream in = RtDoseReaderCrossCheckTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyEncodingOrientationAndOffsetFormReadsBackExactly() {
        assertThat(specs).hasSize(4 * 2 * 2 * 7);
        for (String spec : specs) {
            String[] p = spec.split(":");
            RtDose dose = RtDoseReader.read(dir.resolve(p[0] + ".dcm"));
            GridGeometry g = dose.grid().geometry();
            assertThat(new int[] {g.nx(), g.ny(), g.nz()}).as(spec).containsExactly(NX, NY, NZ);
            double[] u = switch (p[4]) { case "hfs" -> new double[] {1, 0, 0}; default -> new double[] {-1, 0, 0}; };
            double[] v = p[4].equals("hfp") ? new double[] {0, -1, 0} : new double[] {0, 1, 0};
            double[] n = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
            double dz = p[5].equals("desc") ? -3 : 3;
            float[] d = dose.grid().doseGy();
            for (int k = 0; k < NZ; k++) {
                for (int j = 0; j < NY; j++) {
                    for (int i = 0; i < NX; i++) {
                        int stored = 1 + 3 * i + 5 * j + 7 * k;
                        assertThat(d[g.index(i, j, k)]).as(spec).isEqualTo((float) (stored * 0.0025));
                        double[] c = g.voxelCentreMm(i, j, k);
                        double[] ipp = {-12.5, 30.25, -100.0};
                        for (int a = 0; a < 3; a++) {
                            double expected = ipp[a] + i * 2.0 * u[a] + j * 2.5 * v[a] + k * dz * n[a];
                            assertThat(c[a]).as(spec + " axis " + a).isCloseTo(expected, within(1e-9));
                        }
                    }
                }
            }
            assertThat(dose.frameOfReferenceUid()).isEqualTo("1.2.3.7");
            assertThat(dose.referencedPlanUids()).containsExactly("1.2.3.5");
            assertThat(dose.doseSummationType()).isEqualTo("PLAN");
            assertThat(dose.patientStudy().patientName()).isEqualTo("Müller^Jürgen");
            assertThat(dose.bitsAllocated()).isEqualTo(Integer.parseInt(p[2]));
        }
    }

    /**
     * dcmtk's dump2dcm, with the pixels from a raw little-endian file. Big endian is left out here:
     * dump2dcm swaps 32-bit OW pixel data in 16-bit words (the retired syntax's OW ambiguity);
     * pydicom's and our reading of big endian 32-bit doses agree (the test above and the next).
     */
    @Test
    void dcmtkDosesInEveryLittleEndianEncodingReadBackExactly() throws IOException {
        java.nio.ByteBuffer px = java.nio.ByteBuffer.allocate(24 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int v = 0; v < 24; v++) {
            px.putInt(v * 1000 + 7);
        }
        Files.write(dir.resolve("px.raw"), px.array());
        String dump = """
                (0008,0016) UI =RTDoseStorage
                (0008,0018) UI [1.2.3.400]
                (0008,0060) CS [RTDOSE]
                (0020,0032) DS [-10\\20\\30]
                (0020,0037) DS [1\\0\\0\\0\\1\\0]
                (0020,0052) UI [1.2.3.7]
                (0028,0002) US 1
                (0028,0004) CS [MONOCHROME2]
                (0028,0008) IS [2]
                (0028,0009) AT (3004,000c)
                (0028,0010) US 3
                (0028,0011) US 4
                (0028,0030) DS [2\\3]
                (0028,0100) US 32
                (0028,0101) US 32
                (0028,0102) US 31
                (0028,0103) US 0
                (3004,0002) CS [GY]
                (3004,0004) CS [PHYSICAL]
                (3004,000a) CS [FRACTION]
                (3004,000c) DS [0\\-5]
                (3004,000e) DS [1e-4]
                (7fe0,0010) OW =px.raw
                """;
        var files = dev.eqd2sum.io.testsupport.Dcmtk.variants(dir, "rd", dump, java.nio.charset.StandardCharsets.US_ASCII);
        int checked = 0;
        for (var e : files.entrySet()) {
            if (e.getKey().startsWith("big-endian")) {
                continue;
            }
            RtDose d = RtDoseReader.read(e.getValue());
            GridGeometry g = d.grid().geometry();
            assertThat(d.doseSummationType()).isEqualTo("FRACTION");
            assertThat(g.voxelCentreMm(3, 2, 1)).as(e.getKey()).containsExactly(-10 + 9, 20 + 4, 30 - 5);
            for (int v = 0; v < 24; v++) {
                assertThat(d.grid().doseGy()[v]).as(e.getKey()).isEqualTo((float) ((v * 1000 + 7) * 1e-4));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(10);
    }

    /** Every file above, and pydicom's own (big endian, RLE), read in pieces from a first read of 256 bytes: as read whole. */
    @Test
    void readingInPiecesGivesWhatReadingWholeGives() throws IOException {
        for (String spec : specs) {
            RtDoseStreamedReadTest.sameAsWhole(Files.readAllBytes(dir.resolve(spec.split(":")[0] + ".dcm")), 256);
        }
        for (String name : new String[] {"rtdose.dcm", "rtdose_expb.dcm", "rtdose_rle.dcm"}) {
            RtDoseStreamedReadTest.sameAsWhole(Files.readAllBytes(CrossCheck.pydicomTestFile(name)), 256);
        }
        String asGy = """
                import sys, pydicom
                for name in sys.argv[1:]:
                    ds = pydicom.dcmread('%s/' + name)
                    ds.DoseUnits = 'GY'
                    ds.DoseSummationType = 'PLAN'
                    ds.save_as('streamed_' + name)
                """.formatted(CrossCheck.PYDICOM_TEST_FILES);
        CrossCheck.python(dir, asGy, "rtdose.dcm", "rtdose_expb.dcm", "rtdose_rle.dcm");
        for (String name : new String[] {"rtdose.dcm", "rtdose_expb.dcm", "rtdose_rle.dcm"}) {
            RtDoseStreamedReadTest.sameAsWhole(Files.readAllBytes(dir.resolve("streamed_" + name)), 256);
        }
    }

    @Test
    void debianPydicomRtDoseIsRefusedForItsRelativeUnits() {
        Path f = CrossCheck.pydicomTestFile("rtdose.dcm");
        assertThatThrownBy(() -> RtDoseReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("DoseUnits (3004,0002) is RELATIVE");
    }

    /** pydicom's rtdose, rtdose_expb (big endian) and rtdose_rle (RLE) carry the same dose: all three decode alike. */
    @Test
    void debianPydicomBigEndianAndRleDosesDecodeLikeTheLittleEndianOne() throws IOException {
        String asGy = """
                import sys, pydicom
                for name in sys.argv[1:]:
                    ds = pydicom.dcmread('%s/' + name)
                    ds.DoseUnits = 'GY'
                    ds.DoseSummationType = 'PLAN'
                    ds.save_as(name.replace('.dcm', '_gy.dcm'))
                    print(name, float(ds.pixel_array.max()) * float(ds.DoseGridScaling) if name == 'rtdose.dcm' else '')
                """.formatted(CrossCheck.PYDICOM_TEST_FILES);
        CrossCheck.pydicomTestFile("rtdose_rle.dcm");
        CrossCheck.python(dir, asGy, "rtdose.dcm", "rtdose_expb.dcm", "rtdose_rle.dcm");
        RtDose le = RtDoseReader.read(dir.resolve("rtdose_gy.dcm"));
        RtDose be = RtDoseReader.read(dir.resolve("rtdose_expb_gy.dcm"));
        RtDose rle = RtDoseReader.read(dir.resolve("rtdose_rle_gy.dcm"));
        assertThat(le.grid().geometry().toString()).isEqualTo("10x10x15 voxels of 10.00x10.00x5.000 mm at (189.43, 199.43, -761.87) mm");
        assertThat(be.grid().doseGy()).containsExactly(le.grid().doseGy());
        assertThat(rle.grid().doseGy()).containsExactly(le.grid().doseGy());
        assertThat(le.grid().maxGy()).isGreaterThan(0);
        assertThat(le.isBeamDose()).isFalse();
        // The pixel values against pydicom's own decoding.
        String values = CrossCheck.python(dir, """
                import pydicom
                ds = pydicom.dcmread('rtdose_gy.dcm')
                a = ds.pixel_array.astype('float64') * float(ds.DoseGridScaling)
                print(' '.join(repr(float(x)) for x in a.ravel()))
                """);
        String[] parts = values.trim().split(" ");
        float[] d = le.grid().doseGy();
        assertThat(parts).hasSize(d.length);
        for (int i = 0; i < d.length; i++) {
            assertThat(d[i]).isEqualTo((float) Double.parseDouble(parts[i]));
        }
        Files.deleteIfExists(dir.resolve("rtdose_gy.dcm"));
    }
}
