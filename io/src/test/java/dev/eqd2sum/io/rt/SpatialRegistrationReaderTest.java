package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.io.testsupport.CrossCheck;
import dev.eqd2sum.io.testsupport.Dcmtk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpatialRegistrationReaderTest {
    static final String PRIOR = "1.2.3.1", CURRENT = "1.2.3.2";
    /** Prior -> current: rotate 30 degrees about z, then shift (5, -3, 12) mm. */
    static final RigidTransform PRIOR_TO_CURRENT;

    static {
        double c = Math.cos(Math.toRadians(30)), s = Math.sin(Math.toRadians(30));
        PRIOR_TO_CURRENT = RigidTransform.fromMatrix4x4(new double[] {c, -s, 0, 5, s, c, 0, -3, 0, 0, 1, 12, 0, 0, 0, 1});
    }

    @TempDir
    Path dir;

    static void assertSameMap(RigidTransform a, RigidTransform b) {
        double[] x = a.toMatrix4x4();
        double[] y = b.toMatrix4x4();
        for (int i = 0; i < 16; i++) {
            assertThat(x[i]).as("entry " + i).isCloseTo(y[i], within(1e-9));
        }
    }

    @Test
    void aRegInEitherDirectionGivesTheSamePriorToCurrentMapping() {
        PatientStudy ps = PatientStudy.synthetic("Doe^Jane", "pt9", "20240506");
        Path inCurrent = dir.resolve("REG_current.dcm");
        Path inPrior = dir.resolve("REG_prior.dcm");
        // A REG in the current frame holds prior -> current; one in the prior frame holds current -> prior.
        SpatialRegistrationWriter.write(inCurrent, ps, CURRENT, Map.of(PRIOR, PRIOR_TO_CURRENT, CURRENT, RigidTransform.identity()));
        SpatialRegistrationWriter.write(inPrior, ps, PRIOR, Map.of(CURRENT, PRIOR_TO_CURRENT.inverse()));
        SpatialRegistration a = SpatialRegistrationReader.read(inCurrent);
        SpatialRegistration b = SpatialRegistrationReader.read(inPrior);
        assertThat(a.frameOfReferenceUid()).isEqualTo(CURRENT);
        assertThat(b.frameOfReferenceUid()).isEqualTo(PRIOR);
        assertSameMap(a.mapping(PRIOR, CURRENT), PRIOR_TO_CURRENT);
        assertSameMap(b.mapping(PRIOR, CURRENT), PRIOR_TO_CURRENT);
        assertSameMap(a.mapping(CURRENT, PRIOR), PRIOR_TO_CURRENT.inverse());
        double[] p = new double[3];
        a.mapping(PRIOR, CURRENT).apply(10, 0, 0, p);
        assertThat(p).containsExactly(new double[] {5 + 10 * Math.cos(Math.toRadians(30)), -3 + 5, 12}, within(1e-9));
        assertThatThrownBy(() -> a.mapping("9.9.9", CURRENT)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not register frame of reference 9.9.9");
    }

    static String dump(String type, String matrix1, String matrix2) {
        return """
                (0008,0016) UI =SpatialRegistrationStorage
                (0008,0018) UI [1.2.3.300]
                (0008,0060) CS [REG]
                (0020,0052) UI [%s]
                (0070,0308) SQ (Sequence with undefined length)
                  (fffe,e000) na (Item with undefined length)
                    (0020,0052) UI [%s]
                    (0070,0309) SQ (Sequence with undefined length)
                      (fffe,e000) na (Item with undefined length)
                        (0070,030a) SQ (Sequence with undefined length)
                          (fffe,e000) na (Item with undefined length)
                            (0070,030c) CS [%s]
                            (3006,00c6) DS [%s]
                          (fffe,e00d) na (ItemDelimitationItem)
                          (fffe,e000) na (Item with undefined length)
                            (0070,030c) CS [RIGID]
                            (3006,00c6) DS [%s]
                          (fffe,e00d) na (ItemDelimitationItem)
                        (fffe,e0dd) na (SequenceDelimitationItem)
                      (fffe,e00d) na (ItemDelimitationItem)
                    (fffe,e0dd) na (SequenceDelimitationItem)
                  (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                """.formatted(CURRENT, PRIOR, type, matrix1, matrix2);
    }

    static final String ROT_Z_90 = "0\\-1\\0\\0\\1\\0\\0\\0\\0\\0\\1\\0\\0\\0\\0\\1";
    static final String SHIFT_X_10 = "1\\0\\0\\10\\0\\1\\0\\0\\0\\0\\1\\0\\0\\0\\0\\1";

    @Test
    void dcmtkRegsInEveryEncodingApplyMatrixItemsInOrder() throws IOException {
        for (var e : Dcmtk.variants(dir, "reg", dump("RIGID", ROT_Z_90, SHIFT_X_10), StandardCharsets.US_ASCII).entrySet()) {
            SpatialRegistration r = SpatialRegistrationReader.read(e.getValue());
            double[] p = new double[3];
            // first item first: rotate (1,0,0) to (0,1,0), then shift x by 10
            r.mapping(PRIOR, CURRENT).apply(1, 0, 0, p);
            assertThat(p).as(e.getKey()).containsExactly(new double[] {10, 1, 0}, within(1e-12));
        }
    }

    @Test
    void nonRigidAndNonOrthonormalAndDeformableAreRefused() throws IOException {
        Path affine = Dcmtk.variants(dir, "affine", dump("AFFINE", ROT_Z_90, SHIFT_X_10), StandardCharsets.US_ASCII).get("explicit-le");
        assertThatThrownBy(() -> SpatialRegistrationReader.read(affine)).isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("registration 1, matrix 1: FrameOfReferenceTransformationMatrixType is AFFINE; only RIGID registrations are supported");
        String scaled = "1.01\\0\\0\\0\\0\\1\\0\\0\\0\\0\\1\\0\\0\\0\\0\\1";
        Path skew = Dcmtk.variants(dir, "skew", dump("RIGID", scaled, SHIFT_X_10), StandardCharsets.US_ASCII).get("implicit-le");
        assertThatThrownBy(() -> SpatialRegistrationReader.read(skew)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("registration 1, matrix 1: the matrix is not rigid");
        String deformable = dump("RIGID", ROT_Z_90, SHIFT_X_10).replace("=SpatialRegistrationStorage", "[1.2.840.10008.5.1.4.1.1.66.3]");
        Path dr = Dcmtk.variants(dir, "dreg", deformable, StandardCharsets.US_ASCII).get("explicit-le");
        assertThatThrownBy(() -> SpatialRegistrationReader.read(dr)).isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("is a Deformable Spatial Registration; only rigid registrations are supported (export a rigid Spatial Registration)");
    }

    @Test
    void aTranslationFarBeyondAnyPatientIsRefused() throws IOException {
        String far = "1\\0\\0\\0\\0\\1\\0\\0\\0\\0\\1\\2e5\\0\\0\\0\\1";
        Path f = Dcmtk.variants(dir, "far", dump("RIGID", ROT_Z_90, far), StandardCharsets.US_ASCII).get("explicit-le");
        assertThatThrownBy(() -> SpatialRegistrationReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("registration 1, matrix 2: translates by 200000.0 mm along z, more than 100000 mm");
    }

    @Test
    void pydicomReadsOurRegMatrix() {
        Path f = dir.resolve("REG.dcm");
        SpatialRegistrationWriter.write(f, PatientStudy.synthetic("Doe^Jane", "pt9", "20240506"), CURRENT,
                Map.of(PRIOR, PRIOR_TO_CURRENT));
        String out = CrossCheck.python(dir, """
                import pydicom
                ds = pydicom.dcmread('REG.dcm')
                m = ds.RegistrationSequence[0].MatrixRegistrationSequence[0].MatrixSequence[0]
                print(ds.RegistrationSequence[0].FrameOfReferenceUID, m.FrameOfReferenceTransformationMatrixType, float(m.FrameOfReferenceTransformationMatrix[3]))
                """);
        assertThat(out.trim()).isEqualTo(PRIOR + " RIGID 5.0");
    }
}
