package dev.eqd2sum.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.rt.RtDoseReader;
import dev.eqd2sum.io.rt.RtPlanReader;
import dev.eqd2sum.io.rt.RtStructureSetReader;
import dev.eqd2sum.io.rt.SpatialRegistrationReader;

/**
 * Jazzer fuzz targets: whatever the bytes, the codec and every reader either succeed or throw
 * {@link InvalidInputException}; any other exception or error is a finding. Without
 * JAZZER_FUZZ=1 (as in {@code ./mvnw verify}) each target replays its seed and regression inputs
 * from {@code src/test/resources/dev/eqd2sum/io/fuzz/DicomFuzzTestInputs/<method>/}; the
 * {@code fuzz} Maven profile fuzzes for real.
 */
class DicomFuzzTest {
    private static final String SOURCE = "fuzz.dcm";

    @FuzzTest(maxDuration = "2m")
    void codec(byte[] data) {
        try {
            DicomFile f = DicomReader.parse(data, SOURCE);
            f.dataset().elements().forEach(e -> { });
        } catch (InvalidInputException expected) {
            // a clear refusal is the right outcome for malformed input
        }
    }

    @FuzzTest(maxDuration = "2m")
    void rtDose(byte[] data) {
        try {
            RtDoseReader.read(data, SOURCE);
        } catch (InvalidInputException expected) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "2m")
    void rtStructureSet(byte[] data) {
        try {
            RtStructureSetReader.read(data, SOURCE);
        } catch (InvalidInputException expected) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "2m")
    void rtPlan(byte[] data) {
        try {
            RtPlanReader.read(data, SOURCE);
        } catch (InvalidInputException expected) {
            // refused
        }
    }

    @FuzzTest(maxDuration = "2m")
    void spatialRegistration(byte[] data) {
        try {
            SpatialRegistrationReader.read(data, SOURCE);
        } catch (InvalidInputException expected) {
            // refused
        }
    }
}
