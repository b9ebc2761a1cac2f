package dev.eqd2sum.io.rt;

import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomWriter;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The modules every object we write shares: SOP Common, Patient, Study, Series, Equipment. */
final class RtObjectHeader {
    static final String MANUFACTURER = "eqd2sum";

    private RtObjectHeader() {
    }

    static DicomObject start(Path target, SopClass sopClass, String sopInstanceUid, PatientStudy ps,
                             String seriesDescription) {
        DicomObject ds = new DicomObject(target.toString());
        LocalDateTime now = LocalDateTime.now();
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        ds.setString(Tags.SpecificCharacterSet, Vr.CS, "ISO_IR 192");
        ds.setString(Tags.InstanceCreationDate, Vr.DA, date);
        ds.setString(Tags.InstanceCreationTime, Vr.TM, time);
        ds.setString(Tags.SOPClassUID, Vr.UI, sopClass.uid());
        ds.setString(Tags.SOPInstanceUID, Vr.UI, sopInstanceUid);
        ps.writeTo(ds);
        ds.setString(Tags.Modality, Vr.CS, sopClass.modality());
        ds.setString(Tags.SeriesInstanceUID, Vr.UI, Uids.newUid());
        ds.setString(Tags.SeriesNumber, Vr.IS, "1");
        if (seriesDescription != null) {
            String d = seriesDescription.length() > 64 ? seriesDescription.substring(0, 64) : seriesDescription;
            ds.setString(Tags.SeriesDescription, Vr.LO, d);
        }
        ds.setString(Tags.Manufacturer, Vr.LO, MANUFACTURER);
        ds.setString(Tags.SoftwareVersions, Vr.LO, softwareVersion());
        ds.setString(Tags.InstanceNumber, Vr.IS, "1");
        ds.setString(Tags.OperatorsName, Vr.PN, "");
        return ds;
    }

    static String softwareVersion() {
        String v = RtObjectHeader.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static void write(Path target, DicomObject ds) {
        DicomWriter.write(target, ds, Uids.IMPLEMENTATION_CLASS_UID, Uids.IMPLEMENTATION_VERSION_NAME);
    }

    /** With {@code trailing} (e.g. PixelData) written last, piece by piece. */
    static void write(Path target, DicomObject ds, DicomWriter.TrailingValue trailing) {
        DicomWriter.write(target, ds, Uids.IMPLEMENTATION_CLASS_UID, Uids.IMPLEMENTATION_VERSION_NAME, trailing);
    }

    static DicomObject reference(DicomObject parent, SopClass sopClass, String uid) {
        DicomObject item = parent.newItem();
        item.setString(Tags.ReferencedSOPClassUID, Vr.UI, sopClass.uid());
        item.setString(Tags.ReferencedSOPInstanceUID, Vr.UI, uid);
        return item;
    }
}
