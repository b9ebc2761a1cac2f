package dev.eqd2sum.io.rt;

import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;

/**
 * Who and which study an object belongs to: copied from the current course's RT Dose into what
 * we write, so that a planning system files our output with the patient's other objects. Any
 * value may be null (DICOM type 2: written empty).
 */
public record PatientStudy(String patientName, String patientId, String patientBirthDate, String patientSex,
                           String studyInstanceUid, String studyDate, String studyTime, String studyId,
                           String accessionNumber, String referringPhysicianName, String studyDescription) {

    public static PatientStudy from(DicomObject ds) {
        return new PatientStudy(ds.getString(Tags.PatientName), ds.getString(Tags.PatientID),
                ds.getString(Tags.PatientBirthDate), ds.getString(Tags.PatientSex),
                ds.getString(Tags.StudyInstanceUID), ds.getString(Tags.StudyDate), ds.getString(Tags.StudyTime),
                ds.getString(Tags.StudyID), ds.getString(Tags.AccessionNumber),
                ds.getString(Tags.ReferringPhysicianName), ds.getString(Tags.StudyDescription));
    }

    /** A made-up patient in a new study, for synthetic cases. */
    public static PatientStudy synthetic(String patientName, String patientId, String studyDate) {
        return new PatientStudy(patientName, patientId, null, "O", Uids.newUid(), studyDate, "120000", "1", null,
                null, "eqd2sum synthetic case");
    }

    /** Writes the Patient and General Study module attributes (type 2 ones empty when unknown). */
    void writeTo(DicomObject ds) {
        put(ds, Tags.PatientName, Vr.PN, patientName);
        put(ds, Tags.PatientID, Vr.LO, patientId);
        put(ds, Tags.PatientBirthDate, Vr.DA, patientBirthDate);
        put(ds, Tags.PatientSex, Vr.CS, patientSex);
        ds.setString(Tags.StudyInstanceUID, Vr.UI, studyInstanceUid == null ? Uids.newUid() : studyInstanceUid);
        put(ds, Tags.StudyDate, Vr.DA, studyDate);
        put(ds, Tags.StudyTime, Vr.TM, studyTime);
        put(ds, Tags.StudyID, Vr.SH, studyId);
        put(ds, Tags.AccessionNumber, Vr.SH, accessionNumber);
        put(ds, Tags.ReferringPhysicianName, Vr.PN, referringPhysicianName);
        if (studyDescription != null) {
            ds.setString(Tags.StudyDescription, Vr.LO, studyDescription);
        }
    }

    private static void put(DicomObject ds, int tag, Vr vr, String value) {
        ds.setString(tag, vr, value == null ? "" : value);
    }
}
