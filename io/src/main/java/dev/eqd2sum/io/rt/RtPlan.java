package dev.eqd2sum.io.rt;

import java.util.List;

/**
 * What eqd2sum needs from an RT Plan: its label, fraction groups and the structure set it was
 * planned on. Plan dates are creation dates, not treatment dates (DOMAIN.md), so none are kept.
 *
 * @param referencedStructureSetUid null when the plan names none
 * @param prescriptionDoseGy the TargetPrescriptionDose of the first TARGET dose reference; null when absent
 */
public record RtPlan(String source, String sopInstanceUid, String label, String name,
                     List<FractionGroup> fractionGroups, String referencedStructureSetUid,
                     Double prescriptionDoseGy, String frameOfReferenceUid, PatientStudy patientStudy) {
    public RtPlan {
        fractionGroups = List.copyOf(fractionGroups);
    }

    /** One FractionGroupSequence item. */
    public record FractionGroup(int number, int fractionsPlanned, String description, int numberOfBeams) {
    }
}
