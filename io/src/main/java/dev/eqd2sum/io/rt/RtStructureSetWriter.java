package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.dicom.Vr;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Writes an RT Structure Set of planar contours (for synthetic cases and the demo). */
public final class RtStructureSetWriter {
    private RtStructureSetWriter() {
    }

    /** Writes with a new SOP instance UID, which it returns. */
    public static String write(Path target, List<Structure> structures, PatientStudy patientStudy,
                               String frameOfReferenceUid) {
        String uid = Uids.newUid();
        write(target, structures, patientStudy, frameOfReferenceUid, uid);
        return uid;
    }

    public static void write(Path target, List<Structure> structures, PatientStudy patientStudy,
                             String frameOfReferenceUid, String sopInstanceUid) {
        DicomObject ds = RtObjectHeader.start(target, SopClass.RT_STRUCTURE_SET, sopInstanceUid, patientStudy,
                "Structures");
        ds.setString(Tags.FrameOfReferenceUID, Vr.UI, frameOfReferenceUid);
        // the Frame of Reference module's Type 2 attribute: dciodvfy requires it once the UID is at the top level
        ds.setString(Tags.PositionReferenceIndicator, Vr.LO, "");
        ds.setString(Tags.StructureSetLabel, Vr.SH, "eqd2sum");
        ds.setString(Tags.StructureSetDate, Vr.DA, LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE));
        ds.setString(Tags.StructureSetTime, Vr.TM, "120000");
        DicomObject frame = ds.newItem();
        frame.setString(Tags.FrameOfReferenceUID, Vr.UI, frameOfReferenceUid);
        ds.setSequence(Tags.ReferencedFrameOfReferenceSequence, frame);

        List<DicomObject> rois = new ArrayList<>();
        List<DicomObject> contours = new ArrayList<>();
        List<DicomObject> observations = new ArrayList<>();
        for (Structure s : structures) {
            DicomObject roi = ds.newItem();
            roi.setInts(Tags.ROINumber, s.roiNumber());
            roi.setString(Tags.ReferencedFrameOfReferenceUID, Vr.UI, frameOfReferenceUid);
            roi.setString(Tags.ROIName, Vr.LO, s.name());
            roi.setString(Tags.ROIGenerationAlgorithm, Vr.CS, "MANUAL");
            rois.add(roi);

            DicomObject rc = ds.newItem();
            int[] colour = s.colourRgb() != null && s.colourRgb().length == 3 ? s.colourRgb() : new int[] {255, 0, 0};
            rc.setInts(Tags.ROIDisplayColor, colour);
            rc.setInts(Tags.ReferencedROINumber, s.roiNumber());
            List<DicomObject> items = new ArrayList<>();
            int number = 0;
            for (PlanarContour c : s.contours()) {
                DicomObject item = ds.newItem();
                item.setInts(Tags.ContourNumber, ++number);
                item.setString(Tags.ContourGeometricType, Vr.CS, c.type().name());
                item.setInts(Tags.NumberOfContourPoints, c.pointCount());
                item.setDecimals(Tags.ContourData, c.pointsMm());
                items.add(item);
            }
            if (!items.isEmpty()) {
                rc.setSequence(Tags.ContourSequence, items);
            }
            contours.add(rc);

            DicomObject obs = ds.newItem();
            obs.setInts(Tags.ObservationNumber, s.roiNumber());
            obs.setInts(Tags.ReferencedROINumber, s.roiNumber());
            obs.setString(Tags.RTROIInterpretedType, Vr.CS, s.interpretedType());
            obs.setString(Tags.ROIInterpreter, Vr.PN, "");
            observations.add(obs);
        }
        ds.setSequence(Tags.StructureSetROISequence, rois);
        ds.setSequence(Tags.ROIContourSequence, contours);
        ds.setSequence(Tags.RTROIObservationsSequence, observations);
        ds.setString(Tags.ApprovalStatus, Vr.CS, "UNAPPROVED");
        RtObjectHeader.write(target, ds);
    }
}
