package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.Tags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an RT Plan (or RT Ion Plan): label, fraction groups, structure set, prescription. */
public final class RtPlanReader {
    private RtPlanReader() {
    }

    public static RtPlan read(Path path) {
        return read(DicomReader.read(path));
    }

    public static RtPlan read(byte[] data, String source) {
        return read(DicomReader.parse(data, source));
    }

    public static RtPlan read(DicomFile file) {
        String sop = file.dataset().getString(Tags.SOPClassUID);
        if (!SopClass.RT_ION_PLAN.uid().equals(sop)) {
            SopClass.require(file, SopClass.RT_PLAN);
        }
        DicomObject ds = file.dataset();
        String src = file.source();
        List<RtPlan.FractionGroup> groups = new ArrayList<>();
        for (DicomObject fg : ds.getSequence(Tags.FractionGroupSequence)) {
            int number = fg.getInt(Tags.FractionGroupNumber, groups.size() + 1);
            int[] fractions = fg.getInts(Tags.NumberOfFractionsPlanned);
            if (fractions.length == 0) {
                throw new InvalidInputException(src, "fraction group " + number
                        + ": NumberOfFractionsPlanned (300A,0078) is missing");
            }
            if (fractions[0] <= 0) {
                throw new InvalidInputException(src, "fraction group " + number + ": NumberOfFractionsPlanned is "
                        + fractions[0] + "; it must be positive");
            }
            groups.add(new RtPlan.FractionGroup(number, fractions[0], fg.getString(Tags.FractionGroupDescription),
                    fg.getInt(Tags.NumberOfBeams, 0)));
        }
        String structureSet = null;
        for (DicomObject ref : ds.getSequence(Tags.ReferencedStructureSetSequence)) {
            structureSet = ref.getString(Tags.ReferencedSOPInstanceUID);
            if (structureSet != null) {
                break;
            }
        }
        Double prescription = null;
        for (DicomObject dr : ds.getSequence(Tags.DoseReferenceSequence)) {
            if ("TARGET".equals(dr.getString(Tags.DoseReferenceType))) {
                double[] d = dr.getDoubles(Tags.TargetPrescriptionDose);
                if (d.length > 0) {
                    prescription = d[0];
                    break;
                }
            }
        }
        return new RtPlan(src, ds.requireString(Tags.SOPInstanceUID), ds.getString(Tags.RTPlanLabel),
                ds.getString(Tags.RTPlanName), groups, structureSet, prescription,
                ds.getString(Tags.FrameOfReferenceUID), PatientStudy.from(ds));
    }
}
