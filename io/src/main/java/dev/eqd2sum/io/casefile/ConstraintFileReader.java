package dev.eqd2sum.io.casefile;

import dev.eqd2sum.engine.course.ForgivenessSchedule;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.constraint.Comparison;
import dev.eqd2sum.engine.constraint.Constraint;
import dev.eqd2sum.engine.constraint.ConstraintScope;
import dev.eqd2sum.engine.constraint.EvaluationMethod;
import dev.eqd2sum.engine.constraint.Role;
import dev.eqd2sum.engine.dvh.DoseStatistic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a constraint file:
 * <pre>
 * { "schemaVersion": 1, "name": "...", "description": "...",
 *   "constraints": [ { "id": "nelson2009", "description": "...", "citation": "...",
 *       "role": "cord", "fallbackRoles": [], "structure": null,
 *       "statistic": "constraintMetric" | "Dmax" | "D0.03cc" | "Dmin" | "V20Gy" | ...,
 *       "alphaBeta": 3, "scope": "course|cumulative|cumulativeForgiven|interval|ratio",
 *       "method": "both|voxelwise|summary", "comparator": "&lt;|&lt;=|&gt;|&gt;=", "limit": 50, "unit": "Gy|cc|%|months",
 *       "published": { "role": "cord", "statistic": "Dmax", "method": "summary" } } ] }
 * </pre>
 * Strict like the case file: unknown fields are errors naming the file and field.
 */
public final class ConstraintFileReader {
    private static final Set<String> FILE_FIELDS = Set.of("schemaVersion", "name", "description", "constraints");
    private static final Set<String> FIELDS = Set.of("id", "description", "citation", "role", "fallbackRoles",
            "structure", "statistic", "alphaBeta", "scope", "method", "comparator", "limit", "unit", "published");

    /** The case file's and RT Dose files' largest plausible dose (README, "Plausible values"). */
    static final double MAX_LIMIT_GY = 10_000;
    /** 100 litres: more than a whole adult body, so no structure's V<x>Gy can reach it. */
    static final double MAX_LIMIT_CC = 100_000;
    /** 100 years between courses. */
    static final double MAX_LIMIT_MONTHS = 1_200;
    /** The resolution of constraints.json (6 decimals). */
    static final double MIN_NONZERO_LIMIT = 1e-6;

    private ConstraintFileReader() {
    }

    public static List<Constraint> read(Path file, String display) {
        return parse(StrictJson.read(file, display), display);
    }

    static List<Constraint> read(byte[] json, String display) {
        return parse(StrictJson.parse(json, display), display);
    }

    /** The top-level fields a constraint file may have (any other is an error). */
    public static Set<String> fileFields() {
        return FILE_FIELDS;
    }

    private static List<Constraint> parse(JsonNode root, String display) {
        StrictJson.Obj top = new StrictJson.Obj(display, "", root);
        top.allowOnly(FILE_FIELDS);
        JsonNode version = top.get("schemaVersion");
        if (version != null && !(version.isIntegralNumber() && version.intValue() == 1)) {
            throw top.error("schemaVersion", "this version of eqd2sum reads constraint files of schemaVersion 1, got "
                    + StrictJson.kind(version));
        }
        top.nonBlankString("name");
        top.string("description");
        top.require("constraints", "a list of constraints");
        List<JsonNode> items = top.array("constraints");
        List<Constraint> out = new ArrayList<>();
        // unique ignoring case, as course labels: two results "cord" and "Cord" in cohort-constraints.csv
        // would be told apart by case alone
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            Constraint c = constraint(new StrictJson.Obj(display, "constraints[" + i + "]", items.get(i)));
            if (!ids.add(c.id().toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException(display + ": constraints[" + i + "].id", "\"" + c.id()
                        + "\" is used by another constraint; ids must be unique, ignoring upper/lower case");
            }
            out.add(c);
        }
        return out;
    }

    private static Constraint constraint(StrictJson.Obj o) {
        o.allowOnly(FIELDS);
        o.require("id", "a short unique identifier");
        String id = printable(o, "id", o.nonBlankString("id").trim());
        String description = o.string("description");
        String citation = o.string("citation");
        o.require("scope", "course, cumulative, cumulativeForgiven, interval or ratio");
        String scopeValue = o.string("scope");
        ConstraintScope scope = ConstraintScope.fromKey(scopeValue).orElseThrow(() -> o.error("scope",
                "\"" + scopeValue + "\" is not a scope: use course, cumulative, cumulativeForgiven, interval or ratio"));
        o.require("comparator", "<, <=, > or >=");
        String cmp = o.string("comparator");
        Comparison comparison = Comparison.fromSymbol(cmp).orElseThrow(() -> o.error("comparator",
                "\"" + cmp + "\" is not a comparator: use <, <=, > or >="));
        o.require("limit", "the limit, in unit");
        JsonNode limitNode = o.get("limit");
        if (!limitNode.isNumber() || !Double.isFinite(limitNode.doubleValue()) || limitNode.doubleValue() < 0) {
            throw o.error("limit", "must be a number >= 0, got " + StrictJson.kind(limitNode));
        }
        double limit = limitNode.doubleValue();
        o.require("unit", "Gy, cc, % or months");
        String unit = o.string("unit");

        Role role = role(o, "role", o.string("role"));
        List<Role> fallbacks = new ArrayList<>();
        List<JsonNode> fb = o.array("fallbackRoles");
        if (fb != null) {
            for (int i = 0; i < fb.size(); i++) {
                JsonNode n = fb.get(i);
                fallbacks.add(role(o, "fallbackRoles[" + i + "]", n.isTextual() ? n.textValue() : n.toString()));
            }
        }
        String structure = o.nonBlankString("structure");
        if (structure != null) {
            printable(o, "structure", structure);
        }
        if (structure != null && role != null) {
            throw o.error("structure", "give either \"role\" or \"structure\", not both");
        }
        if (!fallbacks.isEmpty() && role == null) {
            throw o.error("fallbackRoles", "fall-back roles need a \"role\"");
        }
        String statistic = o.string("statistic");
        Double alphaBeta = o.alphaBeta("alphaBeta");
        List<EvaluationMethod> methods;
        String method = o.string("method");

        if (scope == ConstraintScope.INTERVAL) {
            if (!"months".equals(unit)) {
                throw o.error("unit", "an interval is in \"months\", got \"" + unit + "\"");
            }
            for (String f : List.of("statistic", "alphaBeta", "method", "structure")) {
                if (o.has(f)) {
                    throw o.error(f, "does not apply to an interval constraint");
                }
            }
            methods = List.of();
        } else {
            if (role == null && structure == null) {
                throw o.error("role", "is required: the role (" + Role.keysForMessage()
                        + ") or \"structure\" the constraint applies to");
            }
            o.require("statistic", "Dmax, D0.03cc, Dmin, ... or \"constraintMetric\" (the case's point metric)");
            DoseStatistic parsed = null;
            if (!Constraint.CONSTRAINT_METRIC.equals(statistic)) {
                parsed = DoseStatistic.parse(statistic, o.source(o.field("statistic")));
                statistic = parsed.name();
            }
            o.require("alphaBeta", "the alpha/beta (Gy) of the EQD2 conversion");
            boolean dose = parsed == null || parsed.isDose();
            String expected = scope == ConstraintScope.RATIO ? "%" : dose ? "Gy" : null;
            if (expected != null && !expected.equals(unit)) {
                throw o.error("unit", "must be \"" + expected + "\" for " + (scope == ConstraintScope.RATIO
                        ? "a ratio" : "a dose statistic") + ", got \"" + unit + "\"");
            }
            if (expected == null && !"cc".equals(unit) && !"%".equals(unit)) {
                throw o.error("unit", "must be \"cc\" or \"%\" for " + statistic + ", got \"" + unit + "\"");
            }
            if (method == null || method.equals("both")) {
                methods = List.of(EvaluationMethod.VOXELWISE, EvaluationMethod.SUMMARY);
            } else {
                methods = List.of(EvaluationMethod.fromKey(method).orElseThrow(() -> o.error("method",
                        "\"" + method + "\" is not a method: use both, voxelwise or summary")));
                // (a course-scope value is the current course's by either method: it is evaluated)
                if (!dose && scope != ConstraintScope.COURSE && methods.getFirst() == EvaluationMethod.SUMMARY) {
                    // it could never be evaluated: accepting it would give a verdict-less constraint on every case
                    throw o.error("method", "\"summary\" does not apply to " + statistic + ": summary sums (per-course"
                            + " values added) exist for dose statistics only; use voxelwise or both");
                }
            }
        }
        checkLimit(o, limit, unit);
        Constraint.Published published = null;
        StrictJson.Obj p = o.object("published");
        if (p != null) {
            p.allowOnly(Set.of("role", "statistic", "method", "forgiveness"));
            Role pr = role(p, "role", p.string("role"));
            String ps = publishedStatistic(p.nonBlankString("statistic"));
            String pm = p.string("method");
            EvaluationMethod pMethod = pm == null ? null : EvaluationMethod.fromKey(pm).orElseThrow(() -> p.error("method",
                    "\"" + pm + "\" is not a method: use voxelwise or summary"));
            // the schedule a forgiven limit was derived with: another one in the case is a named deviation
            JsonNode pfNode = p.get("forgiveness");
            ForgivenessSchedule pf = pfNode == null || pfNode.isNull() ? null : CaseFileReader.forgiveness(p);
            published = new Constraint.Published(pr, ps, pMethod, pf);
        }
        return new Constraint(id, description, citation, role, fallbacks, structure, statistic, alphaBeta, scope,
                methods, comparison, limit, unit, published);
    }

    /**
     * The statistic a limit was published for, in the spelling the reports use when it is one of the grammar's
     * ({@code d0.030CC} is {@code D0.03cc}, so that comparing it with the one used names no false deviation); Pmax
     * (a publication's point maximum) as {@code Pmax}; anything else as written.
     */
    static String publishedStatistic(String written) {
        if (written == null || written.trim().equalsIgnoreCase("Pmax")) {
            return written == null ? null : "Pmax";
        }
        return DoseStatistic.canonicalName(written).orElse(written);
    }

    /**
     * The id is a line of the console table and a value of cohort-constraints.csv, the structure name is
     * echoed in reasons: a line break would split the row, an ESC would reach the terminal.
     */
    private static String printable(StrictJson.Obj o, String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw o.error(field, "must not contain control characters such as line breaks or tabs");
            }
        }
        return value;
    }

    /**
     * Plausibility per unit, as the case file's values: a limit beyond these is a typo (or a unit mix-up) that
     * no dose distribution could meet or fail meaningfully.
     */
    private static void checkLimit(StrictJson.Obj o, double limit, String unit) {
        double max = switch (unit) {
            case "Gy" -> MAX_LIMIT_GY;
            case "%" -> 100;
            case "cc" -> MAX_LIMIT_CC;
            case "months" -> MAX_LIMIT_MONTHS;
            default -> throw new IllegalStateException("unit not checked: " + unit);
        };
        String why = switch (unit) {
            case "Gy" -> "doses above 10000 Gy are refused in case files and RT Dose files";
            case "%" -> "a percentage of a volume or of the cumulative dose";
            case "cc" -> "100 litres, more than a whole patient's volume";
            default -> "100 years";
        };
        if (limit > max) {
            throw o.error("limit", "must lie between 0 and " + StrictJson.plain(max) + " " + unit + " (" + why
                    + "), got " + o.get("limit").asText());
        }
        if (limit > 0 && limit < MIN_NONZERO_LIMIT) {
            // constraints.json writes 6 decimals: such a limit would be written as 0 yet compared as non-zero
            throw o.error("limit", "must be 0 or at least 0.000001 " + unit + ", got " + o.get("limit").asText());
        }
    }

    private static Role role(StrictJson.Obj o, String field, String key) {
        if (key == null) {
            return null;
        }
        return Role.fromKey(key).orElseThrow(() -> o.error(field, "\"" + key + "\" is not a role: use "
                + Role.keysForMessage()));
    }
}
