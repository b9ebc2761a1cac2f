package dev.eqd2sum.io.rt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.testsupport.CrossCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The structure sets, plans and registrations eqd2sum writes (the demo's and the generator's inputs) pass
 * dicom3tools' IOD check without errors. (RT Dose output: {@code RtDoseWriterTest}; dciodvfy 2022-06-18 aborts
 * on any 32-bit PixelData, an assertion in its own encoder, so that check writes 16-bit.)
 */
class RtWritersDciodvfyTest {
    @TempDir
    Path dir;

    final PatientStudy ps = PatientStudy.synthetic("Doe^Jane", "pt9", "20240506");

    @Test
    void structureSetPassesDciodvfy() {
        Path rs = dir.resolve("RS.dcm");
        RtStructureSetWriter.write(rs, List.of(new Structure(1, "SpinalCord", "ORGAN", null, "1.2.3",
                List.of(new PlanarContour(ContourType.CLOSED_PLANAR, new double[] {0, 0, 10, 1, 0, 10, 1, 1, 10})))),
                ps, "1.2.3");
        assertNoErrors(rs);
    }

    @Test
    void planPassesDciodvfy() {
        Path rp = dir.resolve("RP.dcm");
        RtPlanWriter.write(rp, ps, "1.2.3", "reSBRT", 3, 27.0, null);
        assertNoErrors(rp);
    }

    @Test
    void registrationPassesDciodvfy() {
        Path reg = dir.resolve("REG.dcm");
        SpatialRegistrationWriter.write(reg, ps, "1.2.3", Map.of("1.2.9", RigidTransform.identity()));
        assertNoErrors(reg);
    }

    private void assertNoErrors(Path f) {
        CrossCheck.Result r = CrossCheck.tool(dir, "dciodvfy", f.toString());
        String all = r.stdout() + r.stderr();
        assertThat(all).as("dciodvfy ran").contains(f.getFileName().toString().equals("RP.dcm") ? "RTPlan"
                : f.getFileName().toString().equals("RS.dcm") ? "RTStructureSet" : "SpatialRegistration");
        assertThat(all.lines().filter(l -> l.startsWith("Error"))).as(all).isEmpty();
    }
}
