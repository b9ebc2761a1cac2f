package dev.eqd2sum.io.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders inspections as text for a person or as JSON for a script. */
public final class InspectionText {
    private InspectionText() {
    }

    public static String json(List<Map<String, Object>> inspections) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(inspections);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        sb.append(shown(m.get("file"))).append('\n');
        line(sb, "modality", m.get("modality"));
        line(sb, "SOP class", m.get("sopClass") + " (" + m.get("sopClassUid") + ")");
        line(sb, "SOP instance", m.get("sopInstanceUid"));
        line(sb, "transfer syntax", m.get("transferSyntax") + " (" + m.get("transferSyntaxUid") + ")");
        line(sb, "patient ID", m.get("patientId"));
        line(sb, "frame of reference", m.get("frameOfReferenceUid"));
        if (m.get("grid") instanceof Map<?, ?> g) {
            // the axes named: PixelSpacing lists the distance between rows first, these the one between columns
            line(sb, "grid size (voxels)", join(g.get("size"), " x ") + " (columns, rows, frames)");
            line(sb, "spacing (mm)", join(g.get("spacingMm"), " x ") + " (between columns, rows, frames)");
            line(sb, "origin (mm)", join(g.get("originMm"), ", "));
            line(sb, "orientation", join(g.get("orientation"), "\\"));
            line(sb, "frame direction", join(g.get("frameDirection"), ", "));
            line(sb, "dose", m.get("doseUnits") + ", " + m.get("doseType") + ", summation " + m.get("doseSummationType"));
            line(sb, "as a course's dose", Boolean.TRUE.equals(m.get("usableAsCourseDose")) ? "usable"
                    : "not usable: " + m.get("notUsableAsCourseDose"));
            if (m.containsKey("doseRangeGy")) {
                line(sb, "dose range (Gy)", join(m.get("doseRangeGy"), " .. "));
            } else {
                line(sb, "dose range (" + m.get("doseUnits") + ")", join(m.get("doseRange"), " .. "));
            }
            line(sb, "bits, scaling", m.get("bitsAllocated") + " bit, DoseGridScaling " + m.get("doseGridScaling"));
            line(sb, "referenced plans", join(m.get("referencedPlanUids"), ", "));
        }
        if (m.get("structures") instanceof List<?> list) {
            line(sb, "label", m.get("label"));
            line(sb, "structures", list.size());
            for (Object o : list) {
                Map<?, ?> s = (Map<?, ?>) o;
                sb.append(String.format(Locale.ROOT, "    %4s  %-24s %-10s %5s contours %s%n", s.get("number"),
                        shown(s.get("name")), shown(s.get("type")), s.get("contours"), shown(s.get("contourTypes"))));
            }
            if (m.get("unknownContours") instanceof List<?> u) {
                line(sb, "unknown contours", u);
            }
        }
        if (m.get("fractionGroups") instanceof List<?> groups) {
            line(sb, "plan label", m.get("label"));
            for (Object o : groups) {
                Map<?, ?> g = (Map<?, ?>) o;
                line(sb, "fraction group " + g.get("number"), g.get("fractionsPlanned") + " fractions, "
                        + g.get("beams") + " beams");
            }
            line(sb, "structure set", m.get("referencedStructureSetUid"));
            line(sb, "prescription (Gy)", m.get("prescriptionDoseGy"));
        }
        if (m.get("registrations") instanceof List<?> regs) {
            for (Object o : regs) {
                Map<?, ?> r = (Map<?, ?>) o;
                line(sb, "registration", r.get("fromFrameOfReferenceUid") + " -> " + r.get("toFrameOfReferenceUid")
                        + " (4x4 matrix, translation in mm)");
                List<?> mat = (List<?>) r.get("matrix");
                for (int row = 0; row < 4; row++) {
                    sb.append(String.format(Locale.ROOT, "      %12.6f %12.6f %12.6f %12.6f%n", mat.get(4 * row),
                            mat.get(4 * row + 1), mat.get(4 * row + 2), mat.get(4 * row + 3)));
                }
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, Object value) {
        sb.append(String.format(Locale.ROOT, "  %-20s %s%n", key + ":", value == null ? "-" : shown(value)));
    }

    /** A value read from a file (a UID, a label, an ROI name may hold an ESC) with its control characters escaped. */
    private static String shown(Object value) {
        return dev.eqd2sum.io.PrintableLine.escapeControls(String.valueOf(value));
    }

    private static String join(Object list, String sep) {
        if (!(list instanceof List<?> l)) {
            return String.valueOf(list);
        }
        StringBuilder sb = new StringBuilder();
        for (Object o : l) {
            if (!sb.isEmpty()) {
                sb.append(sep);
            }
            sb.append(o instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(o));
        }
        return sb.toString();
    }
}
