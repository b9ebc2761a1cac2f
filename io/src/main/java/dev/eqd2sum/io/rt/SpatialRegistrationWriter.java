package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a rigid Spatial Registration: its own frame of reference, and for each registered frame
 * the matrix mapping that frame's coordinates into the own frame (identity for the own frame).
 */
public final class SpatialRegistrationWriter {
    private SpatialRegistrationWriter() {
    }

    /** @return the new SOP instance UID */
    public static String write(Path target, PatientStudy patientStudy, String ownFrameOfReferenceUid,
                               Map<String, RigidTransform> toOwnFrame) {
        String uid = Uids.newUid();
        DicomObject ds = RtObjectHeader.start(target, SopClass.SPATIAL_REGISTRATION, uid, patientStudy,
                "Rigid registration");
        ds.setString(Tags.FrameOfReferenceUID, Vr.UI, ownFrameOfReferenceUid);
        ds.setString(Tags.PositionReferenceIndicator, Vr.LO, "");
        // General Series (REG uses it): Type 2C for a paired body part, which a registration cannot say; empty
        ds.setString(Tags.Laterality, Vr.CS, "");
        ds.setString(Tags.ManufacturerModelName, Vr.LO, RtObjectHeader.MANUFACTURER);
        ds.setString(Tags.DeviceSerialNumber, Vr.LO, "1");
        String today = LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE);
        ds.setString(Tags.ContentDate, Vr.DA, today);
        ds.setString(Tags.ContentTime, Vr.TM, "120000");
        ds.setString(Tags.ContentLabel, Vr.CS, "REGISTRATION");
        ds.setString(Tags.ContentDescription, Vr.LO, "");
        ds.setString(Tags.ContentCreatorName, Vr.PN, "");
        List<DicomObject> items = new ArrayList<>();
        for (Map.Entry<String, RigidTransform> e : toOwnFrame.entrySet()) {
            DicomObject item = ds.newItem();
            item.setString(Tags.FrameOfReferenceUID, Vr.UI, e.getKey());
            DicomObject matrix = ds.newItem();
            matrix.setString(Tags.FrameOfReferenceTransformationMatrixType, Vr.CS, "RIGID");
            matrix.setDecimals(Tags.FrameOfReferenceTransformationMatrix, e.getValue().toMatrix4x4());
            DicomObject registration = ds.newItem();
            registration.setSequence(Tags.RegistrationTypeCodeSequence, List.of());
            registration.setSequence(Tags.MatrixSequence, matrix);
            item.setSequence(Tags.MatrixRegistrationSequence, registration);
            items.add(item);
        }
        ds.setSequence(Tags.RegistrationSequence, items);
        RtObjectHeader.write(target, ds);
        return uid;
    }
}
