package dev.eqd2sum.io.synth;

import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDoseWriter;
import dev.eqd2sum.io.rt.RtPlanWriter;
import dev.eqd2sum.io.rt.RtStructureSetWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;

/**
 * Puts a {@link SpineCase} on disk as a planning system exports it, with a case file to sum it: RS.dcm (the
 * structures), prior/RP.dcm and prior/RD.dcm, current/RP.dcm and current/RD.dcm (plans and physical doses with
 * the courses' bit depths), and case.json with the spine-reirradiation constraints.
 */
public final class SpineCaseWriter {
    /** The demo's frame of reference, fixed so that its files differ only in their instance UIDs. */
    public static final String DEMO_FRAME_OF_REFERENCE_UID = "2.25.271828182845904523536028747135266249775";

    private SpineCaseWriter() {
    }

    /** The demo's case ({@link SpineCase.Spec#demo()}, caseId demo-spine) into dir; returns its case.json. */
    public static Path writeDemo(Path dir) throws IOException {
        return write(SpineCase.build(SpineCase.Spec.demo()), dir, "demo-spine", "Demo^Spine", "EQD2SUM-DEMO",
                DEMO_FRAME_OF_REFERENCE_UID);
    }

    /** Writes the case's files into dir (created when absent); returns dir/case.json. */
    public static Path write(SpineCase c, Path dir, String caseId, String patientName, String patientId,
                             String frameOfReferenceUid) throws IOException {
        SpineCase.Course prior = c.spec().prior();
        SpineCase.Course current = c.spec().current();
        Files.createDirectories(dir.resolve("prior"));
        Files.createDirectories(dir.resolve("current"));
        PatientStudy patient = PatientStudy.synthetic(patientName, patientId,
                current.startDate().format(DateTimeFormatter.BASIC_ISO_DATE));
        String rs = RtStructureSetWriter.write(dir.resolve("RS.dcm"), c.structures(), patient, frameOfReferenceUid);
        String priorPlan = RtPlanWriter.write(dir.resolve("prior/RP.dcm"), patient, frameOfReferenceUid,
                prior.label(), prior.fractions(), prior.prescriptionGy(), rs);
        RtDoseWriter.writePhysical(dir.resolve("prior/RD.dcm"), c.prior(), patient, frameOfReferenceUid, priorPlan,
                prior.bitsAllocated());
        String currentPlan = RtPlanWriter.write(dir.resolve("current/RP.dcm"), patient, frameOfReferenceUid,
                current.label(), current.fractions(), current.prescriptionGy(), rs);
        RtDoseWriter.writePhysical(dir.resolve("current/RD.dcm"), c.current(), patient, frameOfReferenceUid,
                currentPlan, current.bitsAllocated());

        Path caseFile = dir.resolve("case.json");
        Files.writeString(caseFile, """
                {
                  "caseId": "%s",
                  "structureSet": "RS.dcm",
                  "courses": [
                    %s,
                    %s
                  ],
                  "alphaBeta": { "default": 3.0,
                                 "byStructure": { "SpinalCord": 2.0, "ThecalSac": 2.0, "PTV_High": 10.0,
                                                  "PTV_Low": 10.0 } },
                  "forgiveness": "nelson2009",
                  "outputGrid": "current",
                  "statistics": ["Dmax", "D0.03cc", "D0.1cc", "D1cc", "Dmean", "Dmin", "V20Gy", "D95%%"],
                  "constraints": "spine-reirradiation",
                  "constraintMetric": "Dmax",
                  "exportAlphaBeta": [2, 10]
                }
                """.formatted(caseId, course(prior, "prior"), course(current, "current")));
        return caseFile;
    }

    private static String course(SpineCase.Course c, String folder) {
        String end = c.endDate() == null ? "" : ", \"endDate\": \"" + c.endDate() + "\"";
        return "{ \"label\": \"%s\", \"dose\": \"%s/RD.dcm\", \"plan\": \"%s/RP.dcm\", \"fractions\": %d,%n      \"startDate\": \"%s\"%s }"
                .formatted(c.label(), folder, folder, c.fractions(), c.startDate(), end);
    }
}
