package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.testsupport.CrossCheck;
import dev.eqd2sum.io.testsupport.Dcmtk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RtPlanReaderTest {
    @TempDir
    Path dir;

    @Test
    void debianPydicomRtplan() {
        RtPlan p = RtPlanReader.read(CrossCheck.pydicomTestFile("rtplan.dcm"));
        assertThat(p.label()).isEqualTo("Plan1");
        assertThat(p.fractionGroups()).containsExactly(new RtPlan.FractionGroup(1, 30, null, 1));
        assertThat(p.referencedStructureSetUid()).isEqualTo("1.2.333.444.55.6.7777.88888");
        assertThat(p.prescriptionDoseGy()).isEqualTo(30.826203);
        assertThat(p.sopInstanceUid()).isEqualTo("1.2.777.777.77.7.7777.7777.20030903150023");
    }

    @Test
    void debianPydicomTruncatedPlanIsRefusedNamingTheFile() {
        Path f = CrossCheck.pydicomTestFile("rtplan_truncated.dcm");
        assertThatThrownBy(() -> RtPlanReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessage(f + ": file ends at byte 2129 inside BeamSequence (300A,00B0) (declared length 976)");
    }

    @Test
    void ourWriterRoundTripsAndDcmdumpAgrees() {
        Path f = dir.resolve("RP.dcm");
        String uid = RtPlanWriter.write(f, PatientStudy.synthetic("Doe^Jane", "pt9", "20240506"), "1.2.3.7", "reSBRT", 3,
                27.0, "2.25.77");
        RtPlan p = RtPlanReader.read(f);
        assertThat(p.sopInstanceUid()).isEqualTo(uid);
        assertThat(p.label()).isEqualTo("reSBRT");
        assertThat(p.fractionGroups()).containsExactly(new RtPlan.FractionGroup(1, 3, null, 0));
        assertThat(p.prescriptionDoseGy()).isEqualTo(27.0);
        assertThat(p.referencedStructureSetUid()).isEqualTo("2.25.77");
        CrossCheck.Result r = CrossCheck.tool(dir, "dcmdump", "-q", f.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("(300a,0078) IS [3]").contains("(300a,0002) SH [reSBRT]");
    }

    @Test
    void dcmtkPlansInEveryEncodingAndTwoFractionGroups() throws IOException {
        String dump = """
                (0008,0016) UI =RTPlanStorage
                (0008,0018) UI [1.2.3.200]
                (0008,0060) CS [RTPLAN]
                (300a,0002) SH [cEBRT]
                (300a,0010) SQ (Sequence with undefined length)
                  (fffe,e000) na (Item with undefined length)
                    (300a,0012) IS [1]
                    (300a,0020) CS [ORGAN_AT_RISK]
                    (300a,002c) DS [45]
                  (fffe,e00d) na (ItemDelimitationItem)
                  (fffe,e000) na (Item with undefined length)
                    (300a,0012) IS [2]
                    (300a,0020) CS [TARGET]
                    (300a,0026) DS [30.0 ]
                  (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                (300a,0070) SQ (Sequence with undefined length)
                  (fffe,e000) na (Item with undefined length)
                    (300a,0071) IS [1]
                    (300a,0078) IS [10]
                    (300a,0080) IS [2]
                  (fffe,e00d) na (ItemDelimitationItem)
                  (fffe,e000) na (Item with undefined length)
                    (300a,0071) IS [2]
                    (300a,0078) IS [ 5 ]
                    (300a,0080) IS [1]
                  (fffe,e00d) na (ItemDelimitationItem)
                (fffe,e0dd) na (SequenceDelimitationItem)
                """;
        for (Map.Entry<String, Path> e : Dcmtk.variants(dir, "rp", dump, StandardCharsets.US_ASCII).entrySet()) {
            RtPlan p = RtPlanReader.read(e.getValue());
            assertThat(p.label()).as(e.getKey()).isEqualTo("cEBRT");
            assertThat(p.fractionGroups()).as(e.getKey()).containsExactly(new RtPlan.FractionGroup(1, 10, null, 2),
                    new RtPlan.FractionGroup(2, 5, null, 1));
            assertThat(p.prescriptionDoseGy()).isEqualTo(30.0);
            assertThat(p.referencedStructureSetUid()).isNull();
        }
        String missing = dump.replace("(300a,0078) IS [10]\n", "");
        Path f = Dcmtk.variants(dir, "rp-missing", missing, StandardCharsets.US_ASCII).get("explicit-le");
        assertThatThrownBy(() -> RtPlanReader.read(f)).isInstanceOf(InvalidInputException.class)
                .hasMessageEndingWith("fraction group 1: NumberOfFractionsPlanned (300A,0078) is missing");
    }
}
