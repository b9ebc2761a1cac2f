package dev.eqd2sum.io.rt;

import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Writes a minimal valid RT Plan: label, one fraction group with its planned fractions, the
 * structure set it refers to and, when given, a target prescription. No beams: eqd2sum and the
 * synthetic cases need the fractionation, not the delivery.
 */
public final class RtPlanWriter {
    private RtPlanWriter() {
    }

    /**
     * @param referencedStructureSetUid may be null (then the plan geometry is TREATMENT_DEVICE)
     * @param prescriptionDoseGy may be null
     * @return the new SOP instance UID
     */
    public static String write(Path target, PatientStudy patientStudy, String frameOfReferenceUid, String label,
                               int fractions, Double prescriptionDoseGy, String referencedStructureSetUid) {
        if (fractions <= 0) {
            throw new IllegalArgumentException("fractions must be positive: " + fractions);
        }
        String uid = Uids.newUid();
        DicomObject ds = RtObjectHeader.start(target, SopClass.RT_PLAN, uid, patientStudy, label);
        if (frameOfReferenceUid != null) {
            ds.setString(Tags.FrameOfReferenceUID, Vr.UI, frameOfReferenceUid);
            ds.setString(Tags.PositionReferenceIndicator, Vr.LO, "");
        }
        ds.setString(Tags.RTPlanLabel, Vr.SH, label.length() > 16 ? label.substring(0, 16) : label);
        ds.setString(Tags.RTPlanName, Vr.LO, label);
        ds.setString(Tags.RTPlanDate, Vr.DA, LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE));
        ds.setString(Tags.RTPlanTime, Vr.TM, "120000");
        if (referencedStructureSetUid != null) {
            ds.setString(Tags.RTPlanGeometry, Vr.CS, "PATIENT");
            ds.setSequence(Tags.ReferencedStructureSetSequence,
                    RtObjectHeader.reference(ds, SopClass.RT_STRUCTURE_SET, referencedStructureSetUid));
        } else {
            ds.setString(Tags.RTPlanGeometry, Vr.CS, "TREATMENT_DEVICE");
        }
        if (prescriptionDoseGy != null) {
            DicomObject ref = ds.newItem();
            ref.setInts(Tags.DoseReferenceNumber, 1);
            ref.setString(Tags.DoseReferenceUID, Vr.UI, Uids.newUid());
            ref.setString(Tags.DoseReferenceStructureType, Vr.CS, "SITE");
            ref.setString(Tags.DoseReferenceDescription, Vr.LO, "Target");
            ref.setString(Tags.DoseReferenceType, Vr.CS, "TARGET");
            ref.setDecimals(Tags.TargetPrescriptionDose, prescriptionDoseGy);
            ds.setSequence(Tags.DoseReferenceSequence, ref);
        }
        DicomObject group = ds.newItem();
        group.setInts(Tags.FractionGroupNumber, 1);
        group.setInts(Tags.NumberOfFractionsPlanned, fractions);
        group.setInts(Tags.NumberOfBeams, 0);
        group.setInts(Tags.NumberOfBrachyApplicationSetups, 0);
        ds.setSequence(Tags.FractionGroupSequence, group);
        ds.setString(Tags.ApprovalStatus, Vr.CS, "UNAPPROVED");
        RtObjectHeader.write(target, ds);
        return uid;
    }
}
