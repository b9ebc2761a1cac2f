package dev.eqd2sum.io.casefile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.constraint.Role;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.dvh.DoseStatistic;
import dev.eqd2sum.engine.geometry.GridGeometry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a case file (CONTRACT, "Case file"). Every rule that can be checked without opening the
 * DICOM files is enforced here, each failure one {@link InvalidInputException} whose source names the
 * file and the field ({@code pt017/case.json: courses[1].fractions}); list indices are 0-based.
 */
public final class CaseFileReader {
    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Set<String> CASE_FIELDS = Set.of("caseId", "structureSet", "courses", "alphaBeta",
            "forgiveness", "outputGrid", "statistics", "constraints", "constraintMetric", "roles", "endCaps",
            "exportAlphaBeta");
    private static final Set<String> COURSE_FIELDS = Set.of("label", "dose", "uniformDoseGy", "plan",
            "fractionGroup", "fractions", "fractionsDelivered", "startDate", "endDate", "registration");

    private CaseFileReader() {
    }

    /** Whether {@code caseId} is one a case file may have (letters, digits, '.', '_', '-'; not "." or ".."). */
    public static boolean isValidCaseId(String caseId) {
        return CASE_ID.matcher(caseId).matches() && !caseId.equals(".") && !caseId.equals("..");
    }

    /** The top-level fields a case file may have (any other is an error). */
    public static Set<String> caseFields() {
        return CASE_FIELDS;
    }

    /**
     * Builds the JSON reader and runs its parser once on an empty object, so that a fresh JVM has its classes
     * loaded and initialised before the first case file arrives (about 25 ms of a one-case run's start, which the
     * launcher overlaps with parsing the command line). Safe to call from any thread, any number of times.
     */
    public static void prepare() {
        StrictJson.parse(new byte[] {'{', '}'}, "(preparation)");
    }

    /** Reads a case file named on the command line as {@code display}. */
    public static CaseSpec read(Path caseFile, String display) {
        JsonNode root = StrictJson.read(caseFile, display);
        StrictJson.Obj top = new StrictJson.Obj(display, "", root);
        top.allowOnly(CASE_FIELDS);
        Path caseDir = caseFile.toAbsolutePath().normalize().getParent();
        Path displayDir = Path.of(display).getParent();
        PathResolver paths = new PathResolver(caseDir, displayDir);

        top.require("caseId", "a short identifier of letters, digits, '.', '_' and '-'");
        String caseId = top.string("caseId");
        if (caseId.isEmpty()) {
            throw top.error("caseId", "is empty; give a short identifier of letters, digits, '.', '_' and '-'"
                    + " (it names output folders)");
        }
        if (caseId.equals(".") || caseId.equals("..")) {
            throw top.error("caseId", "\"" + caseId + "\" is not allowed: as a folder name it means the folder itself"
                    + " (\".\") or its parent (\"..\"), and a caseId names output folders");
        }
        if (!CASE_ID.matcher(caseId).matches()) {
            throw top.error("caseId", "\"" + caseId + "\" may contain only letters, digits, '.', '_' and '-'"
                    + " (it names output folders)");
        }

        top.require("courses", "a list of one or more courses");
        List<JsonNode> courseNodes = top.array("courses");
        if (courseNodes.isEmpty()) {
            throw top.error("courses", "must list at least one course");
        }
        List<CourseSpec> courses = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < courseNodes.size(); i++) {
            CourseSpec c = course(new StrictJson.Obj(display, "courses[" + i + "]", courseNodes.get(i)), i, paths);
            if (!labels.add(c.label().toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException(display + ": courses[" + i + "].label",
                        "\"" + c.label() + "\" is used by another course; labels must be unique");
            }
            for (int n = 0; n < c.doseFiles().size(); n++) {
                Path f = c.doseFiles().get(n);
                for (CourseSpec other : courses) {
                    if (other.doseFiles().contains(f)) {
                        throw new InvalidInputException(display + ": courses[" + i + "]." + (c.doseFiles().size() > 1
                                || courseNodes.get(i).path("dose").isArray() ? "dose[" + n + "]" : "dose"),
                                "\"" + c.displayDoseFiles().get(n) + "\" is also the dose of courses[" + other.index()
                                        + "] (\"" + other.label() + "\"): its dose would be counted twice");
                    }
                }
            }
            courses.add(c);
        }

        top.require("alphaBeta", "an object with at least \"default\" (Gy), e.g. {\"default\": 3.0}");
        AlphaBetaSpec alphaBeta = alphaBeta(top.object("alphaBeta"));

        top.require("forgiveness", "\"none\", \"nelson2009\" or {\"steps\": [{\"afterMonths\": 6, \"reduction\": 0.25}]}");
        ForgivenessSchedule forgiveness = forgiveness(top);

        OutputGridSpec outputGrid = outputGrid(top);

        List<String> statistics = statistics(top);

        ConstraintsSpec constraints = null;
        String constraintsValue = top.nonBlankString("constraints");
        if (constraintsValue != null) {
            if (ConstraintSets.builtInNames().contains(constraintsValue)) {
                constraints = ConstraintsSpec.builtIn(constraintsValue);
            } else {
                if (!looksLikePath(constraintsValue)) {
                    throw top.error("constraints", "\"" + constraintsValue + "\" is neither a built-in constraint set ("
                            + String.join(", ", ConstraintSets.builtInNames()) + ") nor a .json file");
                }
                Path f = paths.existingFile(top, "constraints", constraintsValue);
                constraints = ConstraintsSpec.file(f, paths.display(constraintsValue));
            }
        }

        String constraintMetric = top.string("constraintMetric");
        if (constraintMetric == null) {
            constraintMetric = "Dmax";
        } else {
            // read as statistic names are (dmax is Dmax, D0.030cc is D0.03cc)
            String canonical = DoseStatistic.canonicalName(constraintMetric).orElse(null);
            if (!"Dmax".equals(canonical) && !"D0.03cc".equals(canonical)) {
                throw top.error("constraintMetric", "must be \"Dmax\" or \"D0.03cc\", got \"" + constraintMetric + "\"");
            }
            constraintMetric = canonical;
        }

        Map<String, String> roles = roles(top);

        EndCaps endCaps = EndCaps.HALF_SPACING;
        String endCapsValue = top.string("endCaps");
        if (endCapsValue != null) {
            endCaps = switch (endCapsValue) {
                case "halfSpacing" -> EndCaps.HALF_SPACING;
                case "none" -> EndCaps.NONE;
                default -> throw top.error("endCaps", "must be \"halfSpacing\" or \"none\", got \"" + endCapsValue + "\"");
            };
        }

        List<Double> exportAlphaBeta = new ArrayList<>();
        List<JsonNode> export = top.array("exportAlphaBeta");
        if (export != null) {
            for (int i = 0; i < export.size(); i++) {
                double v = top.alphaBeta(export.get(i), "exportAlphaBeta[" + i + "]");
                if (exportAlphaBeta.contains(v)) {
                    throw new InvalidInputException(display + ": exportAlphaBeta[" + i + "]",
                            "alpha/beta " + export.get(i).asText() + " is listed twice");
                }
                exportAlphaBeta.add(v);
            }
        }

        String structureSetValue = top.nonBlankString("structureSet");
        Path structureSet = null;
        String displayStructureSet = null;
        if (structureSetValue != null) {
            structureSet = paths.existingFile(top, "structureSet", structureSetValue);
            displayStructureSet = paths.display(structureSetValue);
        } else if (!statistics.isEmpty() || constraints != null || !alphaBeta.byStructure().isEmpty()
                || !roles.isEmpty()) {
            throw new InvalidInputException(display + ": structureSet",
                    "is required: " + (constraints != null ? "constraints" : !statistics.isEmpty() ? "statistics"
                            : !roles.isEmpty() ? "roles" : "alphaBeta.byStructure")
                            + " need structures (give \"statistics\": [] and no constraints to sum dose only)");
        }

        int[] fractions = new int[courses.size()];
        for (CourseSpec c : courses) {
            Integer f = c.fractionsDelivered() != null ? c.fractionsDelivered() : c.fractions();
            fractions[c.index()] = f == null ? 0 : f;
        }
        CaseTimeline timeline = CaseTimeline.of(display, courses, fractions);
        CourseSpec current = courses.get(timeline.currentIndex());
        if (current.hasUniformDose()) {
            throw new InvalidInputException(display + ": " + current.field() + ".uniformDoseGy",
                    "only a prior course may give a uniform dose; the current course (the latest start) needs its"
                            + " RT Dose files");
        }
        return new CaseSpec(caseFile, display, caseId, structureSet, displayStructureSet, courses, alphaBeta,
                forgiveness, outputGrid, statistics, constraints, constraintMetric, roles, endCaps, exportAlphaBeta,
                timeline);
    }

    private static boolean looksLikePath(String s) {
        return s.toLowerCase(Locale.ROOT).endsWith(".json") || s.contains("/") || s.contains("\\");
    }

    private static CourseSpec course(StrictJson.Obj o, int index, PathResolver paths) {
        o.allowOnly(COURSE_FIELDS);
        String label = o.nonBlankString("label");
        if (label == null) {
            label = "course" + (index + 1);
        } else {
            label = label.trim();
            // the label is a column value in metrics.csv and dvh.csv and a line of the console table
            for (int i = 0; i < label.length(); i++) {
                if (Character.isISOControl(label.charAt(i))) {
                    throw o.error("label", "must not contain control characters such as line breaks or tabs");
                }
            }
        }
        List<Path> doses = new ArrayList<>();
        List<String> displayDoses = new ArrayList<>();
        Double uniform = o.positiveNumber("uniformDoseGy", 0, DoseGrid.MAX_DOSE_GY, "Gy");
        JsonNode dose = o.get("dose");
        if (dose != null && !dose.isNull()) {
            if (uniform != null) {
                throw o.error("uniformDoseGy", "give either \"dose\" (RT Dose files) or \"uniformDoseGy\", not both");
            }
            if (dose.isTextual()) {
                doses.add(paths.existingFile(o, "dose", dose.textValue()));
                displayDoses.add(paths.display(dose.textValue()));
            } else if (dose.isArray()) {
                if (dose.isEmpty()) {
                    throw o.error("dose", "must name at least one RT Dose file");
                }
                for (int i = 0; i < dose.size(); i++) {
                    JsonNode item = dose.get(i);
                    if (!item.isTextual()) {
                        throw new InvalidInputException(o.source(o.field("dose[" + i + "]")),
                                "must be a file path string, got " + StrictJson.kind(item));
                    }
                    Path p = paths.existingFile(o, "dose[" + i + "]", item.textValue());
                    if (doses.contains(p)) {
                        throw new InvalidInputException(o.source(o.field("dose[" + i + "]")),
                                "\"" + item.textValue() + "\" is listed twice (its dose would be counted twice)");
                    }
                    doses.add(p);
                    displayDoses.add(paths.display(item.textValue()));
                }
            } else {
                throw o.error("dose", "must be a file path or a list of file paths, got " + StrictJson.kind(dose));
            }
        } else if (uniform == null) {
            throw o.error("dose", "is required: an RT Dose file, a list of BEAM dose files, or (for a prior course"
                    + " without a dose grid) \"uniformDoseGy\"");
        }
        String planValue = o.nonBlankString("plan");
        Path plan = planValue == null ? null : paths.existingFile(o, "plan", planValue);
        Integer fractionGroup = o.positiveInt("fractionGroup");
        if (fractionGroup != null && plan == null) {
            throw o.error("fractionGroup", "selects a fraction group of the plan, but the course gives no \"plan\"");
        }
        Integer fractions = o.positiveInt("fractions");
        if (fractions == null && plan == null) {
            throw o.error("fractions", "is required when the course gives no \"plan\" to take them from");
        }
        Integer delivered = o.positiveInt("fractionsDelivered");
        if (delivered != null && fractions != null && delivered > fractions) {
            throw o.error("fractionsDelivered", delivered + " is more than the " + fractions + " planned fractions");
        }
        LocalDate start = date(o, "startDate");
        LocalDate end = date(o, "endDate");
        String regValue = o.nonBlankString("registration");
        Path reg = regValue == null ? null : paths.existingFile(o, "registration", regValue);
        return new CourseSpec(index, label, doses, displayDoses, uniform, plan,
                planValue == null ? null : paths.display(planValue), fractionGroup, fractions, delivered, start, end,
                reg, regValue == null ? null : paths.display(regValue));
    }

    private static LocalDate date(StrictJson.Obj o, String name) {
        String s = o.string(name);
        if (s == null) {
            return null;
        }
        if (!ISO_DATE.matcher(s).matches()) {
            throw o.error(name, "\"" + s + "\" is not an ISO date YYYY-MM-DD");
        }
        LocalDate d;
        try {
            d = LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw o.error(name, "\"" + s + "\" is not a calendar date");
        }
        // a mistyped year (0202, 2920) would otherwise set the interval, hence the forgiveness, silently
        if (d.getYear() < FIRST_YEAR || d.getYear() > LAST_YEAR) {
            throw o.error(name, "\"" + s + "\" is not a plausible treatment date (years " + FIRST_YEAR + " to "
                    + LAST_YEAR + ")");
        }
        return d;
    }

    /** Plausible treatment years: radiotherapy began in the 1890s; beyond 2199 a year is a typing error. */
    static final int FIRST_YEAR = 1900;
    static final int LAST_YEAR = 2199;

    private static AlphaBetaSpec alphaBeta(StrictJson.Obj o) {
        o.allowOnly(Set.of("default", "byStructure"));
        o.require("default", "the alpha/beta (Gy) of every voxel and structure not listed in byStructure");
        double def = o.alphaBeta("default");
        Map<String, Double> by = new LinkedHashMap<>();
        StrictJson.Obj b = o.object("byStructure");
        if (b != null) {
            Set<String> seen = new HashSet<>();
            var it = b.node().fields();
            while (it.hasNext()) {
                var e = it.next();
                String name = e.getKey();
                if (name.isBlank()) {
                    throw b.error(name, "a structure name must not be empty");
                }
                if (!seen.add(name.trim().toLowerCase(Locale.ROOT))) {
                    throw b.error(name, "structure \"" + name.trim() + "\" is listed twice (names match"
                            + " case-insensitively)");
                }
                by.put(name.trim(), b.alphaBeta(e.getValue(), b.field(name)));
            }
        }
        return new AlphaBetaSpec(def, by);
    }

    /** The schedule in {@code top}'s field "forgiveness" (a case file's, or a constraint's published one). */
    static ForgivenessSchedule forgiveness(StrictJson.Obj top) {
        JsonNode f = top.get("forgiveness");
        if (f.isTextual()) {
            return switch (f.textValue()) {
                case "none" -> ForgivenessSchedule.none();
                case "nelson2009" -> ForgivenessSchedule.nelson2009();
                default -> throw top.error("forgiveness", "\"" + f.textValue()
                        + "\" is not a schedule: use \"none\", \"nelson2009\" or {\"steps\": [...]}");
            };
        }
        StrictJson.Obj o = top.object("forgiveness");
        if (o == null) {
            throw top.error("forgiveness", "is null: use \"none\", \"nelson2009\" or {\"steps\": [...]}");
        }
        o.allowOnly(Set.of("steps"));
        o.require("steps", "a list of {\"afterMonths\": m, \"reduction\": r}");
        List<JsonNode> steps = o.array("steps");
        if (steps.isEmpty()) {
            throw o.error("steps", "must list at least one step (use \"none\" for no forgiveness)");
        }
        List<ForgivenessSchedule.Step> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            StrictJson.Obj s = new StrictJson.Obj(o.display(), o.field("steps[" + i + "]"), steps.get(i));
            s.allowOnly(Set.of("afterMonths", "reduction"));
            s.require("afterMonths", "months from the prior course's end from which the reduction applies");
            s.require("reduction", "the fraction of the prior course's EQD2 removed, from 0 to 1");
            JsonNode m = s.get("afterMonths");
            if (!m.isNumber() || !(m.doubleValue() >= 0) || Double.isInfinite(m.doubleValue())) {
                throw s.error("afterMonths", "must be a number of months >= 0, got " + StrictJson.kind(m));
            }
            JsonNode r = s.get("reduction");
            if (!r.isNumber() || !(r.doubleValue() >= 0 && r.doubleValue() <= 1)) {
                throw s.error("reduction", "must be a number from 0 to 1 (0.25 = 25 % off), got " + StrictJson.kind(r));
            }
            ForgivenessSchedule.Step step = new ForgivenessSchedule.Step(m.doubleValue(), r.doubleValue());
            for (ForgivenessSchedule.Step prev : out) {
                if (prev.afterMonths() == step.afterMonths()) {
                    throw s.error("afterMonths", "another step also starts after " + m.asText() + " months");
                }
            }
            out.add(step);
        }
        return ForgivenessSchedule.steps(out);
    }

    private static OutputGridSpec outputGrid(StrictJson.Obj top) {
        JsonNode g = top.get("outputGrid");
        if (g == null || g.isNull()) {
            return OutputGridSpec.CURRENT;
        }
        if (g.isTextual()) {
            return switch (g.textValue()) {
                case "current" -> OutputGridSpec.CURRENT;
                case "union" -> OutputGridSpec.UNION;
                default -> throw top.error("outputGrid", "\"" + g.textValue()
                        + "\" is not an output grid: use \"current\", \"union\" or {\"spacingMm\": [x, y, z]}");
            };
        }
        StrictJson.Obj o = top.object("outputGrid");
        o.allowOnly(Set.of("spacingMm"));
        o.require("spacingMm", "three positive spacings in mm, [x, y, z]");
        List<JsonNode> s = o.array("spacingMm");
        if (s.size() != 3) {
            throw o.error("spacingMm", "must have 3 values [x, y, z] in mm, got " + s.size());
        }
        double[] spacing = new double[3];
        for (int i = 0; i < 3; i++) {
            spacing[i] = o.positive(s.get(i), o.field("spacingMm[" + i + "]"), GridGeometry.MIN_SPACING_MM,
                    GridGeometry.MAX_SPACING_MM, "mm");
        }
        return new OutputGridSpec(OutputGridSpec.Kind.SPACING, spacing);
    }

    private static List<String> statistics(StrictJson.Obj top) {
        List<JsonNode> nodes = top.array("statistics");
        if (nodes == null) {
            return CaseSpec.DEFAULT_STATISTICS;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            String field = "statistics[" + i + "]";
            if (!n.isTextual()) {
                throw new InvalidInputException(top.source(field), "must be a statistic name string, got "
                        + StrictJson.kind(n));
            }
            // One grammar for the whole program: the statistics engine's, which also gives the canonical name.
            String name = DoseStatistic.parse(n.textValue(), top.source(field)).name();
            if (out.contains(name)) {
                throw new InvalidInputException(top.source(field), "\"" + n.textValue() + "\" is listed twice");
            }
            out.add(name);
        }
        return out;
    }

    private static Map<String, String> roles(StrictJson.Obj top) {
        Map<String, String> roles = new LinkedHashMap<>();
        StrictJson.Obj o = top.object("roles");
        if (o == null) {
            return roles;
        }
        var it = o.node().fields();
        while (it.hasNext()) {
            var e = it.next();
            if (Role.fromKey(e.getKey()).isEmpty()) {
                String hint = StrictJson.closest(e.getKey(), roleKeys());
                throw o.error(e.getKey(), "unknown role" + (hint == null ? "" : " (did you mean \"" + hint + "\"?)")
                        + "; roles are " + Role.keysForMessage());
            }
            String name = o.nonBlankString(e.getKey());
            if (name == null) {
                throw o.error(e.getKey(), "must name a structure");
            }
            roles.put(e.getKey(), name.trim());
        }
        return roles;
    }

    private static Set<String> roleKeys() {
        Set<String> keys = new HashSet<>();
        for (Role r : Role.values()) {
            keys.add(r.key());
        }
        return keys;
    }

    /** Resolves case-relative paths and shows them as the user would type them from the working directory. */
    private record PathResolver(Path caseDir, Path displayDir) {
        String display(String relative) {
            Path p = Path.of(relative);
            if (p.isAbsolute() || displayDir == null) {
                return p.normalize().toString();
            }
            return displayDir.resolve(p).normalize().toString();
        }

        Path existingFile(StrictJson.Obj o, String field, String relative) {
            if (relative == null || relative.isBlank()) {
                throw o.error(field, "must name a file");
            }
            Path p;
            try {
                p = caseDir.resolve(relative).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw o.error(field, "\"" + relative + "\" is not a valid path");
            }
            if (Files.isDirectory(p)) {
                throw o.error(field, display(relative) + " is a folder, not a file");
            }
            if (!Files.isRegularFile(p)) {
                throw o.error(field, Files.exists(p) ? display(relative) + " is not a regular file"
                        : "file not found: " + display(relative) + " (paths are relative to the case file)");
            }
            return p;
        }
    }
}
