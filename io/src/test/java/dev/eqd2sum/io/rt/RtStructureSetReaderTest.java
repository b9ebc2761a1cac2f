package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.testsupport.CrossCheck;
import dev.eqd2sum.io.testsupport.Dcmtk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtStructureSetReaderTest {
    @TempDir
    Path dir;

    static String dump(String charset, String cordName) {
        return """
                (0008,0005) CS [%s]
                (0008,0016) UI =RTStructureSetStorage
                (0008,0018) UI [1.2.3.100]
                (0008,0060) CS [RTSTRUCT]
                (0010,0010) PN [%s^Test]
                (0020,000d) UI [1.2.3.1]
                (3006,0002) SH [RS1]
                (3006,0010) SQ (Sequence with undefined length)
                  (fffe,e000) na (Item with undefined length)
                    (0020,0052) UI [1.2.3.7]
                  (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                (3006,0020) SQ (Sequence with undefined length)
                  (fffe,e000) na (Item with undefined length)
                    (3006,0022) IS [1]
                    (3006,0024) UI [1.2.3.7]
                    (3006,0026) LO [ %s ]
                  (fffe,e00d) na (ItemDelimitationItem)
                  (fffe,e000) na (Item with undefined length)
                    (3006,0022) IS [7]
                    (3006,0024) UI [1.2.3.7]
                    (3006,0026) LO [PTV_High]
                  (fffe,e00d) na (ItemDelimitationItem)
                  (fffe,e000) na (Item with undefined length)
                    (3006,0022) IS [9]
                    (3006,0024) UI [1.2.3.7]
                    (3006,0026) LO [Empty]
                  (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                (3006,0039) SQ (Sequence with undefined length)
                  (fffe,e000) na (Item with undefined length)
                    (3006,002a) IS [255\\0\\128]
                    (3006,0040) SQ (Sequence with undefined length)
                      (fffe,e000) na (Item with undefined length)
                        (3006,0042) CS [CLOSED_PLANAR]
                        (3006,0046) IS [4]
                        (3006,0050) DS [-1.5\\ -2.25\\10\\ 1.5\\-2.25\\10\\1.5\\2.25\\10\\-1.5\\2.25\\10 ]
                      (fffe,e00d) na (ItemDelimitationItem)
                      (fffe,e000) na (Item with undefined length)
                        (3006,0042) CS [POINT]
                        (3006,0046) IS [1]
                        (3006,0050) DS [0\\0\\12.5]
                      (fffe,e00d) na (ItemDelimitationItem)
                    (fffe,e0dd) na (SequenceDelimitationItem)
                    (3006,0084) IS [1]
                  (fffe,e00d) na (ItemDelimitationItem)
                  (fffe,e000) na (Item with undefined length)
                    (3006,0040) SQ (Sequence with undefined length)
                      (fffe,e000) na (Item with undefined length)
                        (3006,0042) CS [CLOSEDPLANAR_XOR]
                        (3006,0046) IS [3]
                        (3006,0050) DS [0\\0\\0\\4\\0\\0\\0\\4\\0]
                      (fffe,e00d) na (ItemDelimitationItem)
                      (fffe,e000) na (Item with undefined length)
                        (3006,0042) CS [SPLINE]
                        (3006,0046) IS [2]
                        (3006,0050) DS [0\\0\\0\\1\\1\\0]
                      (fffe,e00d) na (ItemDelimitationItem)
                    (fffe,e0dd) na (SequenceDelimitationItem)
                    (3006,0084) IS [7]
                  (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                (3006,0080) SQ (Sequence with undefined length)
                  (fffe,e000) na (Item with undefined length)
                    (3006,0082) IS [1]
                    (3006,0084) IS [7]
                    (3006,00a4) CS [PTV]
                  (fffe,e00d) na (ItemDelimitationItem)
                  (fffe,e000) na (Item with undefined length)
                    (3006,0082) IS [2]
                    (3006,0084) IS [1]
                    (3006,00a4) CS [ORGAN]
                  (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                """.formatted(charset, cordName, cordName);
    }

    @Test
    void theSetsFrameIsTheOneMostRoisAreDrawnInNotTheFirstRois() throws IOException {
        // a CT + MR set whose first ROI is drawn on the MR (1.2.3.99): the other two, and the set, are on the CT
        String dump = dump("ISO_IR 192", "MR_Lesion").replaceFirst("\\(3006,0024\\) UI \\[1\\.2\\.3\\.7\\]",
                "(3006,0024) UI [1.2.3.99]");
        Path file = Dcmtk.variants(dir, "mixed", dump, StandardCharsets.UTF_8).values().iterator().next();
        RtStructureSet s = RtStructureSetReader.read(file);
        assertThat(s.frameOfReferenceUid()).isEqualTo("1.2.3.7");
        assertThat(s.structures().get(0).frameOfReferenceUid()).isEqualTo("1.2.3.99");
        assertThat(s.structures().get(1).frameOfReferenceUid()).isEqualTo("1.2.3.7");
    }

    @Test
    void dcmtkFilesInEveryEncodingReadAlike() throws IOException {
        for (var cs : List.of(Map.entry("ISO_IR 100", StandardCharsets.ISO_8859_1),
                Map.entry("ISO_IR 192", StandardCharsets.UTF_8))) {
            Map<String, Path> files = Dcmtk.variants(dir, "rs" + cs.getValue().name(), dump(cs.getKey(), "Rückenmark"),
                    cs.getValue());
            for (var e : files.entrySet()) {
                RtStructureSet s = RtStructureSetReader.read(e.getValue());
                String what = cs.getKey() + " " + e.getKey();
                assertThat(s.sopInstanceUid()).as(what).isEqualTo("1.2.3.100");
                assertThat(s.frameOfReferenceUid()).as(what).isEqualTo("1.2.3.7");
                assertThat(s.patientStudy().patientName()).as(what).isEqualTo("Rückenmark^Test");
                assertThat(s.structures()).as(what).extracting(Structure::name).containsExactly("Rückenmark", "PTV_High", "Empty");
                Structure cord = s.structures().get(0);
                assertThat(cord.interpretedType()).isEqualTo("ORGAN");
                assertThat(cord.colourRgb()).containsExactly(255, 0, 128);
                assertThat(cord.contours()).extracting(PlanarContour::type).containsExactly(ContourType.CLOSED_PLANAR, ContourType.POINT);
                assertThat(cord.contours().get(0).pointsMm()).containsExactly(-1.5, -2.25, 10, 1.5, -2.25, 10, 1.5, 2.25, 10, -1.5, 2.25, 10);
                Structure ptv = s.structures().get(1);
                assertThat(ptv.isTarget()).isTrue();
                assertThat(ptv.contours()).extracting(PlanarContour::type).containsExactly(ContourType.CLOSEDPLANAR_XOR);
                assertThat(s.unknownContours()).as(what).containsExactly(new RtStructureSet.UnknownContour(7, "PTV_High", "SPLINE", 2));
                assertThat(s.structures().get(2).isEmpty()).isTrue();
                assertThat(s.structures().get(2).frameOfReferenceUid()).isEqualTo("1.2.3.7");
            }
        }
    }

    @Test
    void debianPydicomRtstructBareDataSetWithPointRois() {
        RtStructureSet s = RtStructureSetReader.read(CrossCheck.pydicomTestFile("rtstruct.dcm"));
        assertThat(s.structures()).extracting(Structure::name).containsExactly("patient", "Isocenter 1", "Isocenter 2");
        assertThat(s.structures().get(0).contours()).hasSize(3).allMatch(c -> c.type() == ContourType.CLOSED_PLANAR);
        assertThat(s.structures().get(1).contours()).singleElement().matches(c -> c.type() == ContourType.POINT);
        assertThat(s.structures().get(0).interpretedType()).isEqualTo("EXTERNAL");
        assertThat(s.frameOfReferenceUid()).isEqualTo("1.2.826.0.1.3680043.8.498.2010020400001.2");
    }

    @Test
    void ourWriterRoundTripsAndPydicomAgrees() {
        double[] ring = new double[3 * 1000];
        for (int p = 0; p < 1000; p++) { // long enough that ContourData exceeds a 16-bit length
            double a = 2 * Math.PI * p / 1000;
            ring[3 * p] = 12.345678 * Math.cos(a);
            ring[3 * p + 1] = 12.345678 * Math.sin(a);
            ring[3 * p + 2] = -7.5;
        }
        List<Structure> in = List.of(
                new Structure(1, "SpinalCord", "ORGAN", new int[] {0, 255, 0}, "1.2.3.7",
                        List.of(new PlanarContour(ContourType.CLOSED_PLANAR, ring))),
                new Structure(2, "PTV_High", "PTV", null, "1.2.3.7", List.of()));
        Path f = dir.resolve("RS.dcm");
        String uid = RtStructureSetWriter.write(f, in, PatientStudy.synthetic("Doe^Jane", "pt9", "20240506"), "1.2.3.7");
        RtStructureSet s = RtStructureSetReader.read(f);
        assertThat(s.sopInstanceUid()).isEqualTo(uid).startsWith("2.25.");
        double[] back = s.structures().get(0).contours().get(0).pointsMm();
        assertThat(back).hasSize(ring.length);
        for (int i = 0; i < ring.length; i++) { // DS holds 16 characters: ~14 significant digits
            assertThat(back[i]).isCloseTo(ring[i], org.assertj.core.api.Assertions.within(1e-11));
        }
        assertThat(s.structures().get(1).isEmpty()).isTrue();
        String py = CrossCheck.python(dir, """
                import pydicom
                ds = pydicom.dcmread('RS.dcm')
                c = ds.ROIContourSequence[0].ContourSequence[0]
                print(ds.StructureSetROISequence[0].ROIName, len(c.ContourData), float(c.ContourData[3]), ds.RTROIObservationsSequence[1].RTROIInterpretedType)
                """);
        assertThat(py.trim()).isEqualTo("SpinalCord 3000 " + back[3] + " PTV");
    }

    @Test
    void malformedContoursAreNamed() throws IOException {
        String bad = dump("ISO_IR 100", "Cord").replace("(3006,0046) IS [4]", "(3006,0046) IS [5]");
        Path f = Dcmtk.variants(dir, "bad", bad, StandardCharsets.ISO_8859_1).get("explicit-le");
        assertThatThrownBy(() -> RtStructureSetReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ROI 'Cord' (ROINumber 1) contour 1: NumberOfContourPoints is 5 but ContourData holds 4 points");
    }

    @Test
    void aPointFarBeyondAnyPatientIsRefused() throws IOException {
        // 1e30 mm: indices on a millimetre grid lose every digit, and the volume outside the grid overflows
        String far = dump("ISO_IR 100", "Cord").replace("(3006,0050) DS [-1.5\\ -2.25", "(3006,0050) DS [-1e30\\ -2.25");
        assertThat(far).contains("-1e30");
        Path f = Dcmtk.variants(dir, "far", far, StandardCharsets.ISO_8859_1).get("explicit-le");
        assertThatThrownBy(() -> RtStructureSetReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ROI 'Cord' (ROINumber 1) contour 1: point 1 has x = -1.0E30 mm, more than 100000 mm"
                        + " from the frame's origin");
    }

    @Test
    void aDoseIsNotAStructureSet() throws IOException {
        Path f = dir.resolve("RD.dcm");
        java.nio.file.Files.write(f, dev.eqd2sum.io.testsupport.DoseFixture.encode(
                dev.eqd2sum.io.testsupport.DoseFixture.dataset("RD.dcm")));
        assertThatThrownBy(() -> RtStructureSetReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("RD.dcm: is an RT Dose, not an RT Structure Set");
    }
}
