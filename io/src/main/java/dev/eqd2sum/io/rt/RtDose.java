package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.dose.DoseGrid;
import java.util.List;

/**
 * An RT Dose file as eqd2sum uses it: physical dose in Gy on its grid, and what identifies it.
 *
 * @param doseSummationType PLAN, FRACTION (the dose of one fraction: the engine multiplies by the
 *     fractions) or BEAM (one beam: a course's beam doses are summed)
 * @param referencedPlanUids SOP instance UIDs of the RT Plans in ReferencedRTPlanSequence
 * @param doseGridScaling the file's scaling, for reports
 * @param bitsAllocated 16 or 32
 */
public record RtDose(String source, DoseGrid grid, String sopInstanceUid, String frameOfReferenceUid,
                     String doseType, String doseSummationType, List<String> referencedPlanUids,
                     PatientStudy patientStudy, String seriesDescription, String transferSyntaxUid,
                     double doseGridScaling, int bitsAllocated) {
    public RtDose {
        referencedPlanUids = List.copyOf(referencedPlanUids);
    }

    public boolean isFractionDose() {
        return "FRACTION".equals(doseSummationType);
    }

    public boolean isBeamDose() {
        return "BEAM".equals(doseSummationType);
    }
}
