package dev.eqd2sum.io.dicom;

import java.util.HashMap;
import java.util.Map;

/**
 * VR and keyword of every attribute eqd2sum reads or writes. Implicit VR files carry no VR, so
 * this is what tells a sequence from text; attributes it does not know are kept as raw bytes (UN)
 * and never interpreted.
 */
public final class DicomDictionary {
    private record Entry(Vr vr, String keyword) {
    }

    private static final Map<Integer, Entry> ENTRIES = new HashMap<>();

    private DicomDictionary() {
    }

    private static void put(int tag, Vr vr, String keyword) {
        ENTRIES.put(tag, new Entry(vr, keyword));
    }

    static {
        put(Tags.FileMetaInformationGroupLength, Vr.UL, "FileMetaInformationGroupLength");
        put(Tags.FileMetaInformationVersion, Vr.OB, "FileMetaInformationVersion");
        put(Tags.MediaStorageSOPClassUID, Vr.UI, "MediaStorageSOPClassUID");
        put(Tags.MediaStorageSOPInstanceUID, Vr.UI, "MediaStorageSOPInstanceUID");
        put(Tags.TransferSyntaxUID, Vr.UI, "TransferSyntaxUID");
        put(Tags.ImplementationClassUID, Vr.UI, "ImplementationClassUID");
        put(Tags.ImplementationVersionName, Vr.SH, "ImplementationVersionName");
        put(Tags.SourceApplicationEntityTitle, Vr.AE, "SourceApplicationEntityTitle");
        put(Tags.SpecificCharacterSet, Vr.CS, "SpecificCharacterSet");
        put(Tags.InstanceCreationDate, Vr.DA, "InstanceCreationDate");
        put(Tags.InstanceCreationTime, Vr.TM, "InstanceCreationTime");
        put(Tags.InstanceCreatorUID, Vr.UI, "InstanceCreatorUID");
        put(Tags.SOPClassUID, Vr.UI, "SOPClassUID");
        put(Tags.SOPInstanceUID, Vr.UI, "SOPInstanceUID");
        put(Tags.StudyDate, Vr.DA, "StudyDate");
        put(Tags.SeriesDate, Vr.DA, "SeriesDate");
        put(Tags.ContentDate, Vr.DA, "ContentDate");
        put(Tags.StudyTime, Vr.TM, "StudyTime");
        put(Tags.SeriesTime, Vr.TM, "SeriesTime");
        put(Tags.ContentTime, Vr.TM, "ContentTime");
        put(Tags.AccessionNumber, Vr.SH, "AccessionNumber");
        put(Tags.Modality, Vr.CS, "Modality");
        put(Tags.Manufacturer, Vr.LO, "Manufacturer");
        put(Tags.InstitutionName, Vr.LO, "InstitutionName");
        put(Tags.ReferringPhysicianName, Vr.PN, "ReferringPhysicianName");
        put(Tags.StationName, Vr.SH, "StationName");
        put(Tags.StudyDescription, Vr.LO, "StudyDescription");
        put(Tags.SeriesDescription, Vr.LO, "SeriesDescription");
        put(Tags.OperatorsName, Vr.PN, "OperatorsName");
        put(Tags.ManufacturerModelName, Vr.LO, "ManufacturerModelName");
        put(Tags.ReferencedSOPClassUID, Vr.UI, "ReferencedSOPClassUID");
        put(Tags.ReferencedSOPInstanceUID, Vr.UI, "ReferencedSOPInstanceUID");
        put(Tags.ReferencedFrameNumber, Vr.IS, "ReferencedFrameNumber");
        put(Tags.DerivationDescription, Vr.ST, "DerivationDescription");
        put(Tags.PatientName, Vr.PN, "PatientName");
        put(Tags.PatientID, Vr.LO, "PatientID");
        put(Tags.PatientBirthDate, Vr.DA, "PatientBirthDate");
        put(Tags.PatientSex, Vr.CS, "PatientSex");
        put(Tags.PatientAge, Vr.AS, "PatientAge");
        put(Tags.PatientWeight, Vr.DS, "PatientWeight");
        put(Tags.SliceThickness, Vr.DS, "SliceThickness");
        put(Tags.SoftwareVersions, Vr.LO, "SoftwareVersions");
        put(Tags.DeviceSerialNumber, Vr.LO, "DeviceSerialNumber");
        put(Tags.PatientPosition, Vr.CS, "PatientPosition");
        put(Tags.StudyInstanceUID, Vr.UI, "StudyInstanceUID");
        put(Tags.SeriesInstanceUID, Vr.UI, "SeriesInstanceUID");
        put(Tags.StudyID, Vr.SH, "StudyID");
        put(Tags.SeriesNumber, Vr.IS, "SeriesNumber");
        put(Tags.InstanceNumber, Vr.IS, "InstanceNumber");
        put(Tags.PatientOrientation, Vr.CS, "PatientOrientation");
        put(Tags.ImagePositionPatient, Vr.DS, "ImagePositionPatient");
        put(Tags.ImageOrientationPatient, Vr.DS, "ImageOrientationPatient");
        put(Tags.FrameOfReferenceUID, Vr.UI, "FrameOfReferenceUID");
        put(Tags.PositionReferenceIndicator, Vr.LO, "PositionReferenceIndicator");
        put(Tags.SamplesPerPixel, Vr.US, "SamplesPerPixel");
        put(Tags.PhotometricInterpretation, Vr.CS, "PhotometricInterpretation");
        put(Tags.NumberOfFrames, Vr.IS, "NumberOfFrames");
        put(Tags.FrameIncrementPointer, Vr.AT, "FrameIncrementPointer");
        put(Tags.Rows, Vr.US, "Rows");
        put(Tags.Columns, Vr.US, "Columns");
        put(Tags.PixelSpacing, Vr.DS, "PixelSpacing");
        put(Tags.BitsAllocated, Vr.US, "BitsAllocated");
        put(Tags.BitsStored, Vr.US, "BitsStored");
        put(Tags.HighBit, Vr.US, "HighBit");
        put(Tags.PixelRepresentation, Vr.US, "PixelRepresentation");
        put(Tags.DoseUnits, Vr.CS, "DoseUnits");
        put(Tags.DoseType, Vr.CS, "DoseType");
        put(Tags.SpatialTransformOfDose, Vr.CS, "SpatialTransformOfDose");
        put(Tags.DoseComment, Vr.LO, "DoseComment");
        put(Tags.DoseSummationType, Vr.CS, "DoseSummationType");
        put(Tags.GridFrameOffsetVector, Vr.DS, "GridFrameOffsetVector");
        put(Tags.DoseGridScaling, Vr.DS, "DoseGridScaling");
        put(Tags.TissueHeterogeneityCorrection, Vr.CS, "TissueHeterogeneityCorrection");
        put(Tags.StructureSetLabel, Vr.SH, "StructureSetLabel");
        put(Tags.StructureSetName, Vr.LO, "StructureSetName");
        put(Tags.StructureSetDescription, Vr.ST, "StructureSetDescription");
        put(Tags.StructureSetDate, Vr.DA, "StructureSetDate");
        put(Tags.StructureSetTime, Vr.TM, "StructureSetTime");
        put(Tags.ReferencedFrameOfReferenceSequence, Vr.SQ, "ReferencedFrameOfReferenceSequence");
        put(Tags.RTReferencedStudySequence, Vr.SQ, "RTReferencedStudySequence");
        put(Tags.RTReferencedSeriesSequence, Vr.SQ, "RTReferencedSeriesSequence");
        put(Tags.ContourImageSequence, Vr.SQ, "ContourImageSequence");
        put(Tags.StructureSetROISequence, Vr.SQ, "StructureSetROISequence");
        put(Tags.ROINumber, Vr.IS, "ROINumber");
        put(Tags.ReferencedFrameOfReferenceUID, Vr.UI, "ReferencedFrameOfReferenceUID");
        put(Tags.ROIName, Vr.LO, "ROIName");
        put(Tags.ROIDescription, Vr.ST, "ROIDescription");
        put(Tags.ROIDisplayColor, Vr.IS, "ROIDisplayColor");
        put(Tags.ROIVolume, Vr.DS, "ROIVolume");
        put(Tags.ROIGenerationAlgorithm, Vr.CS, "ROIGenerationAlgorithm");
        put(Tags.ROIContourSequence, Vr.SQ, "ROIContourSequence");
        put(Tags.ContourSequence, Vr.SQ, "ContourSequence");
        put(Tags.ContourGeometricType, Vr.CS, "ContourGeometricType");
        put(Tags.NumberOfContourPoints, Vr.IS, "NumberOfContourPoints");
        put(Tags.ContourNumber, Vr.IS, "ContourNumber");
        put(Tags.ContourData, Vr.DS, "ContourData");
        put(Tags.ReferencedROINumber, Vr.IS, "ReferencedROINumber");
        put(Tags.RTROIObservationsSequence, Vr.SQ, "RTROIObservationsSequence");
        put(Tags.ObservationNumber, Vr.IS, "ObservationNumber");
        put(Tags.RTROIInterpretedType, Vr.CS, "RTROIInterpretedType");
        put(Tags.ROIInterpreter, Vr.PN, "ROIInterpreter");
        put(Tags.RTPlanLabel, Vr.SH, "RTPlanLabel");
        put(Tags.RTPlanName, Vr.LO, "RTPlanName");
        put(Tags.RTPlanDescription, Vr.ST, "RTPlanDescription");
        put(Tags.RTPlanDate, Vr.DA, "RTPlanDate");
        put(Tags.RTPlanTime, Vr.TM, "RTPlanTime");
        put(Tags.RTPlanGeometry, Vr.CS, "RTPlanGeometry");
        put(Tags.PrescriptionDescription, Vr.ST, "PrescriptionDescription");
        put(Tags.DoseReferenceSequence, Vr.SQ, "DoseReferenceSequence");
        put(Tags.DoseReferenceNumber, Vr.IS, "DoseReferenceNumber");
        put(Tags.DoseReferenceUID, Vr.UI, "DoseReferenceUID");
        put(Tags.DoseReferenceStructureType, Vr.CS, "DoseReferenceStructureType");
        put(Tags.DoseReferenceDescription, Vr.LO, "DoseReferenceDescription");
        put(Tags.DoseReferenceType, Vr.CS, "DoseReferenceType");
        put(Tags.DeliveryMaximumDose, Vr.DS, "DeliveryMaximumDose");
        put(Tags.TargetPrescriptionDose, Vr.DS, "TargetPrescriptionDose");
        put(Tags.TargetMinimumDose, Vr.DS, "TargetMinimumDose");
        put(Tags.TargetMaximumDose, Vr.DS, "TargetMaximumDose");
        put(Tags.OrganAtRiskMaximumDose, Vr.DS, "OrganAtRiskMaximumDose");
        put(Tags.FractionGroupSequence, Vr.SQ, "FractionGroupSequence");
        put(Tags.FractionGroupNumber, Vr.IS, "FractionGroupNumber");
        put(Tags.FractionGroupDescription, Vr.LO, "FractionGroupDescription");
        put(Tags.NumberOfFractionsPlanned, Vr.IS, "NumberOfFractionsPlanned");
        put(Tags.NumberOfBeams, Vr.IS, "NumberOfBeams");
        put(Tags.NumberOfBrachyApplicationSetups, Vr.IS, "NumberOfBrachyApplicationSetups");
        put(Tags.ReferencedBeamSequence, Vr.SQ, "ReferencedBeamSequence");
        put(Tags.ReferencedBeamNumber, Vr.IS, "ReferencedBeamNumber");
        put(Tags.BeamDose, Vr.DS, "BeamDose");
        put(Tags.BeamMeterset, Vr.DS, "BeamMeterset");
        put(Tags.ReferencedRTPlanSequence, Vr.SQ, "ReferencedRTPlanSequence");
        put(Tags.ReferencedFractionGroupSequence, Vr.SQ, "ReferencedFractionGroupSequence");
        put(Tags.ReferencedFractionGroupNumber, Vr.IS, "ReferencedFractionGroupNumber");
        put(Tags.ReferencedStructureSetSequence, Vr.SQ, "ReferencedStructureSetSequence");
        put(Tags.ReferencedDoseSequence, Vr.SQ, "ReferencedDoseSequence");
        put(Tags.ReferencedDoseReferenceNumber, Vr.IS, "ReferencedDoseReferenceNumber");
        put(Tags.ReferencedSeriesSequence, Vr.SQ, "ReferencedSeriesSequence");
        put(Tags.ReferencedInstanceSequence, Vr.SQ, "ReferencedInstanceSequence");
        put(Tags.StudiesContainingOtherReferencedInstancesSequence, Vr.SQ, "StudiesContainingOtherReferencedInstancesSequence");
        put(Tags.ApprovalStatus, Vr.CS, "ApprovalStatus");
        put(Tags.PatientSetupSequence, Vr.SQ, "PatientSetupSequence");
        put(Tags.PatientSetupNumber, Vr.IS, "PatientSetupNumber");
        put(Tags.RegistrationSequence, Vr.SQ, "RegistrationSequence");
        put(Tags.MatrixRegistrationSequence, Vr.SQ, "MatrixRegistrationSequence");
        put(Tags.MatrixSequence, Vr.SQ, "MatrixSequence");
        put(Tags.FrameOfReferenceTransformationMatrixType, Vr.CS, "FrameOfReferenceTransformationMatrixType");
        put(Tags.FrameOfReferenceTransformationMatrix, Vr.DS, "FrameOfReferenceTransformationMatrix");
        put(Tags.FrameOfReferenceTransformationComment, Vr.LO, "FrameOfReferenceTransformationComment");
        put(Tags.RegistrationTypeCodeSequence, Vr.SQ, "RegistrationTypeCodeSequence");
        put(Tags.ReferencedSpatialRegistrationSequence, Vr.SQ, "ReferencedSpatialRegistrationSequence");
        put(Tags.ContentLabel, Vr.CS, "ContentLabel");
        put(Tags.ContentDescription, Vr.LO, "ContentDescription");
        put(Tags.ContentCreatorName, Vr.PN, "ContentCreatorName");
        put(Tags.DeformableRegistrationSequence, Vr.SQ, "DeformableRegistrationSequence");
        put(Tags.SourceFrameOfReferenceUID, Vr.UI, "SourceFrameOfReferenceUID");
        put(Tags.PixelData, Vr.OW, "PixelData");
        put(Tags.FloatPixelData, Vr.OF, "FloatPixelData");
        put(Tags.DoubleFloatPixelData, Vr.OD, "DoubleFloatPixelData");
    }

    /** The VR of a known attribute; group lengths are UL; null when unknown. */
    public static Vr vr(int tag) {
        Entry e = lookup(tag);
        if (e != null) {
            return e.vr;
        }
        return Tag.element(tag) == 0 ? Vr.UL : null;
    }

    public static String keyword(int tag) {
        Entry e = lookup(tag);
        return e == null ? null : e.keyword;
    }

    private static Entry lookup(int tag) {
        Entry e = ENTRIES.get(tag);
        return e != null ? e : Standard.ENTRIES.get(tag);
    }

    /**
     * The rest of the standard's dictionary, loaded on first use of an attribute outside the
     * table above: lets Implicit VR files' other sequences be parsed as sequences, and names
     * any attribute in messages.
     */
    private static final class Standard {
        static final Map<Integer, Entry> ENTRIES = load();

        private static Map<Integer, Entry> load() {
            Map<Integer, Entry> map = new HashMap<>(8192);
            try (var in = DicomDictionary.class.getResourceAsStream("dictionary.txt")) {
                if (in == null) {
                    throw new IllegalStateException("dictionary.txt is missing from the class path");
                }
                var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                        java.nio.charset.StandardCharsets.US_ASCII));
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty() || line.charAt(0) == '#') {
                        continue;
                    }
                    String[] f = line.split(" ");
                    map.put(Integer.parseUnsignedInt(f[0], 16), new Entry(Vr.valueOf(f[1]), f[2]));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return map;
        }
    }
}
