package dev.eqd2sum.io.rt;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.structure.ContourType;
import dev.eqd2sum.engine.structure.PlanarContour;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.dicom.DicomFile;
import dev.eqd2sum.io.dicom.DicomObject;
import dev.eqd2sum.io.dicom.DicomReader;
import dev.eqd2sum.io.dicom.Tags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an RT Structure Set: ROI number and name from StructureSetROISequence, contours and
 * colour from ROIContourSequence, RTROIInterpretedType from RTROIObservationsSequence. ROIs
 * without contours are kept, empty; they are never dropped silently.
 */
public final class RtStructureSetReader {
    private RtStructureSetReader() {
    }

    public static RtStructureSet read(Path path) {
        return read(DicomReader.read(path));
    }

    public static RtStructureSet read(byte[] data, String source) {
        return read(DicomReader.parse(data, source));
    }

    public static RtStructureSet read(DicomFile file) {
        SopClass.require(file, SopClass.RT_STRUCTURE_SET);
        DicomObject ds = file.dataset();
        String src = file.source();

        String setFrame = null;
        for (DicomObject ref : ds.getSequence(Tags.ReferencedFrameOfReferenceSequence)) {
            String uid = ref.getString(Tags.FrameOfReferenceUID);
            if (uid != null) {
                setFrame = uid;
                break;
            }
        }

        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, String> frames = new HashMap<>();
        Map<Integer, String> explicitFrames = new LinkedHashMap<>();
        for (DicomObject roi : ds.getSequence(Tags.StructureSetROISequence)) {
            int number = roi.requireInt(Tags.ROINumber);
            String name = roi.getString(Tags.ROIName);
            if (names.containsKey(number)) {
                throw new InvalidInputException(src, "ROINumber " + number + " appears twice in StructureSetROISequence");
            }
            names.put(number, name == null ? "" : name);
            String frame = roi.getString(Tags.ReferencedFrameOfReferenceUID);
            frames.put(number, frame != null ? frame : setFrame);
            if (frame != null) {
                explicitFrames.put(number, frame);
            }
        }
        Map<Integer, String> types = new HashMap<>();
        for (DicomObject obs : ds.getSequence(Tags.RTROIObservationsSequence)) {
            int ref = obs.getInt(Tags.ReferencedROINumber, Integer.MIN_VALUE);
            String type = obs.getString(Tags.RTROIInterpretedType);
            if (ref != Integer.MIN_VALUE && type != null) {
                types.putIfAbsent(ref, type);
            }
        }

        Map<Integer, List<PlanarContour>> contours = new HashMap<>();
        Map<Integer, int[]> colours = new HashMap<>();
        List<RtStructureSet.UnknownContour> unknown = new ArrayList<>();
        for (DicomObject rc : ds.getSequence(Tags.ROIContourSequence)) {
            int ref = rc.requireInt(Tags.ReferencedROINumber);
            if (!names.containsKey(ref)) {
                throw new InvalidInputException(src, "ROIContourSequence refers to ROINumber " + ref
                        + ", which StructureSetROISequence does not list");
            }
            int[] colour = rc.getInts(Tags.ROIDisplayColor);
            if (colour.length == 3) {
                colours.put(ref, colour);
            }
            List<PlanarContour> list = contours.computeIfAbsent(ref, k -> new ArrayList<>());
            int index = 0;
            for (DicomObject c : rc.getSequence(Tags.ContourSequence)) {
                index++;
                String where = "ROI '" + names.get(ref) + "' (ROINumber " + ref + ") contour " + index;
                String code = c.getString(Tags.ContourGeometricType);
                if (code == null) {
                    throw new InvalidInputException(src, where + ": ContourGeometricType (3006,0042) is missing");
                }
                double[] points = c.getDoubles(Tags.ContourData);
                if (points.length == 0) {
                    throw new InvalidInputException(src, where + ": ContourData (3006,0050) is missing or empty");
                }
                if (points.length % 3 != 0) {
                    throw new InvalidInputException(src, where + ": ContourData has " + points.length
                            + " values, not x,y,z triplets");
                }
                for (int k = 0; k < points.length; k++) {
                    if (Math.abs(points[k]) > GridGeometry.MAX_COORDINATE_MM) {
                        throw new InvalidInputException(src, where + ": point " + (k / 3 + 1) + " has "
                                + "xyz".charAt(k % 3) + " = " + points[k] + " mm, more than "
                                + (long) GridGeometry.MAX_COORDINATE_MM + " mm from the frame's origin");
                    }
                }
                int[] declared = c.getInts(Tags.NumberOfContourPoints);
                if (declared.length > 0 && declared[0] != points.length / 3) {
                    throw new InvalidInputException(src, where + ": NumberOfContourPoints is " + declared[0]
                            + " but ContourData holds " + points.length / 3 + " points");
                }
                ContourType type = ContourType.fromDicom(code);
                if (type == null) {
                    unknown.add(new RtStructureSet.UnknownContour(ref, names.get(ref), code, points.length / 3));
                } else {
                    list.add(new PlanarContour(type, points));
                }
            }
        }

        setFrame = setFrame(setFrame, explicitFrames, contours);
        List<Structure> structures = new ArrayList<>();
        for (Map.Entry<Integer, String> e : names.entrySet()) {
            int n = e.getKey();
            structures.add(new Structure(n, e.getValue(), types.get(n), colours.get(n), frames.get(n),
                    contours.getOrDefault(n, List.of())));
        }
        return new RtStructureSet(src, ds.requireString(Tags.SOPInstanceUID), setFrame,
                ds.getString(Tags.StructureSetLabel), structures, unknown, PatientStudy.from(ds));
    }

    /**
     * The frame most ROIs with contours are drawn in (else most ROIs) wins over the first of several referenced
     * frames (CT + MR sets, where an MR-drawn ROI may come first, or an empty ROI may reference another frame); on a
     * tie the first referenced frame among them, else the first ROI's.
     */
    private static String setFrame(String firstReferenced, Map<Integer, String> explicitFrames,
                                   Map<Integer, List<PlanarContour>> contours) {
        Map<String, Integer> withContours = new LinkedHashMap<>();
        Map<String, Integer> all = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> e : explicitFrames.entrySet()) {
            // plain get/put, no method reference: this runs on a sum's start-up path (bench/RESULTS.md)
            Integer n = all.get(e.getValue());
            all.put(e.getValue(), n == null ? 1 : n + 1);
            List<PlanarContour> c = contours.get(e.getKey());
            if (c != null && !c.isEmpty()) {
                Integer m = withContours.get(e.getValue());
                withContours.put(e.getValue(), m == null ? 1 : m + 1);
            }
        }
        Map<String, Integer> counted = withContours.isEmpty() ? all : withContours;
        String best = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : counted.entrySet()) {
            if (e.getValue() > most || (e.getValue() == most && e.getKey().equals(firstReferenced))) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best != null ? best : firstReferenced;
    }
}
