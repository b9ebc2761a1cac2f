package dev.eqd2sum.io.fuzz;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDoseWriter;
import dev.eqd2sum.io.rt.RtPlanWriter;
import dev.eqd2sum.io.rt.RtStructureSetWriter;
import dev.eqd2sum.io.rt.SpatialRegistrationWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpus of {@link DicomFuzzTest} (small RT objects from our writers), run once
 * by hand: {@code java -cp ... dev.eqd2sum.io.fuzz.FuzzSeeds io/src/test/resources/dev/eqd2sum/io/fuzz/DicomFuzzTestInputs}.
 * The dcmtk-encoded seeds (implicit, big endian, deflated, undefined lengths) were added with dump2dcm.
 */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path tmp = Files.createTempDirectory("seeds");
        PatientStudy ps = PatientStudy.synthetic("Doe^Jane", "pt1", "20240506");
        GridGeometry g = GridGeometry.axisAligned(3, 2, 2, -2, -1, 0, 2, 2, 3);
        float[] d = new float[12];
        for (int i = 0; i < d.length; i++) {
            d[i] = i * 0.75f;
        }
        Path rd = tmp.resolve("rd16.dcm");
        RtDoseWriter.writePhysical(rd, new DoseGrid(g, d), ps, "1.2.3", "1.2.4", 16);
        Path rd32 = tmp.resolve("rd32.dcm");
        RtDoseWriter.writePhysical(rd32, new DoseGrid(g, d), ps, "1.2.3", "1.2.4", 32);
        Path rs = tmp.resolve("rs.dcm");
        RtStructureSetWriter.write(rs, List.of(
                new Structure(1, "SpinalCord", "ORGAN", new int[] {1, 2, 3}, "1.2.3",
                        List.of(new PlanarContour(ContourType.CLOSED_PLANAR, new double[] {0, 0, 0, 1, 0, 0, 1, 1, 0}),
                                new PlanarContour(ContourType.POINT, new double[] {0, 0, 3}))),
                new Structure(2, "PTV_High", "PTV", null, "1.2.3", List.of())), ps, "1.2.3");
        Path rp = tmp.resolve("rp.dcm");
        RtPlanWriter.write(rp, ps, "1.2.3", "reSBRT", 3, 27.0, "1.2.5");
        Path reg = tmp.resolve("reg.dcm");
        SpatialRegistrationWriter.write(reg, ps, "1.2.3", Map.of("1.2.9",
                RigidTransform.fromMatrix4x4(new double[] {0, -1, 0, 5, 1, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 1})));
        copy(rd, root.resolve("codec"), root.resolve("rtDose"));
        copy(rd32, root.resolve("rtDose"));
        copy(rs, root.resolve("codec"), root.resolve("rtStructureSet"));
        copy(rp, root.resolve("rtPlan"));
        copy(reg, root.resolve("spatialRegistration"));
    }

    private static void copy(Path file, Path... dirs) throws IOException {
        for (Path dir : dirs) {
            Files.createDirectories(dir);
            Files.copy(file, dir.resolve("seed-" + file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
