package dev.eqd2sum.io.inspect;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.Tags;
import dev.eqd2sum.io.rt.RtDose;
import dev.eqd2sum.io.rt.RtDoseReader;
import dev.eqd2sum.io.rt.RtPlan;
import dev.eqd2sum.io.rt.RtPlanReader;
import dev.eqd2sum.io.rt.RtStructureSet;
import dev.eqd2sum.io.rt.RtStructureSetReader;
import dev.eqd2sum.io.rt.SopClass;
import dev.eqd2sum.io.rt.SpatialRegistration;
import dev.eqd2sum.io.rt.SpatialRegistrationReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises a DICOM RT file for {@code eqd2sum inspect} (CONTRACT): what it is, how it is
 * encoded, and what eqd2sum will take from it. RT objects go through the same readers as a case,
 * so a file inspect accepts is one {@code sum} accepts, with one exception: an RT Dose of a kind no
 * course can have (a plan sum, EFFECTIVE or MULTI_PLAN, such as eqd2sum's own output) is summarised
 * with {@code usableAsCourseDose} false and the reason. A file the readers refuse is an
 * {@link InvalidInputException}.
 */
public final class Inspector {
    private Inspector() {
    }

    /** An ordered map of the file's facts (keys in the JSON output's spelling). */
    public static Map<String, Object> inspect(Path path) {
        DicomFile file = DicomReader.read(path);
        DicomObject ds = file.dataset();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", path.toString());
        String sopUid = ds.getString(Tags.SOPClassUID);
        if (sopUid == null) {
            sopUid = file.meta().getString(Tags.MediaStorageSOPClassUID);
        }
        SopClass sop = sopUid == null ? null : SopClass.forUid(sopUid);
        out.put("modality", ds.getString(Tags.Modality));
        out.put("sopClass", sop == null ? "unknown" : sop.title());
        out.put("sopClassUid", sopUid);
        out.put("sopInstanceUid", ds.getString(Tags.SOPInstanceUID));
        out.put("transferSyntax", file.transferSyntax().title() + (file.hasPart10Header() ? "" : " (bare data set)"));
        out.put("transferSyntaxUid", file.transferSyntaxUid());
        out.put("patientId", ds.getString(Tags.PatientID));
        out.put("frameOfReferenceUid", ds.getString(Tags.FrameOfReferenceUID));
        if (sop == null) {
            return out;
        }
        switch (sop) {
            case RT_DOSE -> dose(RtDoseReader.readAnyKind(file), ds.getString(Tags.DoseUnits),
                    RtDoseReader.courseDoseRefusal(ds), out);
            case RT_STRUCTURE_SET -> structures(RtStructureSetReader.read(file), out);
            case RT_PLAN, RT_ION_PLAN -> plan(RtPlanReader.read(file), out);
            case SPATIAL_REGISTRATION, DEFORMABLE_SPATIAL_REGISTRATION -> registration(SpatialRegistrationReader.read(file), out);
            default -> {
            }
        }
        return out;
    }

    private static void dose(RtDose d, String units, InvalidInputException refusal, Map<String, Object> out) {
        GridGeometry g = d.grid().geometry();
        Map<String, Object> grid = new LinkedHashMap<>();
        grid.put("size", List.of(g.nx(), g.ny(), g.nz()));
        grid.put("spacingMm", toList(g.spacingMm()));
        grid.put("originMm", toList(g.originMm()));
        double[] u = g.rowDirection();
        double[] v = g.columnDirection();
        grid.put("orientation", toList(new double[] {u[0], u[1], u[2], v[0], v[1], v[2]}));
        grid.put("frameDirection", toList(g.frameDirection()));
        out.put("grid", grid);
        boolean gray = "GY".equals(units);
        out.put("doseUnits", units);
        out.put("doseType", d.doseType());
        out.put("doseSummationType", d.doseSummationType());
        // a plan sum (ours: EFFECTIVE, MULTI_PLAN) is shown, and said to be no course dose, as sum would refuse it
        out.put("usableAsCourseDose", refusal == null);
        if (refusal != null) {
            out.put("notUsableAsCourseDose", refusal.problem());
        }
        float min = Float.MAX_VALUE;
        float max = 0;
        for (float x : d.grid().doseGy()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        // doseRangeGy only where the values are Gy; a RELATIVE dose's range is in its own units
        out.put(gray ? "doseRangeGy" : "doseRange", List.of(round(min), round(max)));
        out.put("bitsAllocated", d.bitsAllocated());
        out.put("doseGridScaling", d.doseGridScaling());
        out.put("referencedPlanUids", d.referencedPlanUids());
        out.put("frameOfReferenceUid", d.frameOfReferenceUid());
    }

    private static void structures(RtStructureSet s, Map<String, Object> out) {
        out.put("frameOfReferenceUid", s.frameOfReferenceUid());
        out.put("label", s.label());
        List<Object> list = new ArrayList<>();
        for (Structure st : s.structures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", st.roiNumber());
            m.put("name", st.name());
            m.put("type", st.interpretedType());
            m.put("contours", st.contours().size());
            Map<String, Integer> byType = new LinkedHashMap<>();
            for (PlanarContour c : st.contours()) {
                byType.merge(c.type().name(), 1, Integer::sum);
            }
            m.put("contourTypes", byType);
            list.add(m);
        }
        out.put("structures", list);
        List<Object> unknown = new ArrayList<>();
        for (RtStructureSet.UnknownContour u : s.unknownContours()) {
            unknown.add(Map.of("roiNumber", u.roiNumber(), "roiName", u.roiName(), "geometricType", u.geometricType(),
                    "points", u.pointCount()));
        }
        if (!unknown.isEmpty()) {
            out.put("unknownContours", unknown);
        }
    }

    private static void plan(RtPlan p, Map<String, Object> out) {
        out.put("label", p.label());
        out.put("name", p.name());
        List<Object> groups = new ArrayList<>();
        for (RtPlan.FractionGroup g : p.fractionGroups()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", g.number());
            m.put("fractionsPlanned", g.fractionsPlanned());
            m.put("beams", g.numberOfBeams());
            groups.add(m);
        }
        out.put("fractionGroups", groups);
        out.put("referencedStructureSetUid", p.referencedStructureSetUid());
        out.put("prescriptionDoseGy", p.prescriptionDoseGy());
    }

    private static void registration(SpatialRegistration r, Map<String, Object> out) {
        out.put("frameOfReferenceUid", r.frameOfReferenceUid());
        List<Object> items = new ArrayList<>();
        for (Map.Entry<String, RigidTransform> e : new java.util.TreeMap<>(r.toOwnFrame()).entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fromFrameOfReferenceUid", e.getKey());
            m.put("toFrameOfReferenceUid", r.frameOfReferenceUid());
            m.put("matrix", toList(e.getValue().toMatrix4x4()));
            items.add(m);
        }
        out.put("registrations", items);
    }

    private static List<Double> toList(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double d : a) {
            l.add(d == 0 ? 0.0 : d); // no "-0.0" in reports
        }
        return l;
    }

    private static double round(float x) {
        return Math.round(x * 1e4) / 1e4;
    }
}
