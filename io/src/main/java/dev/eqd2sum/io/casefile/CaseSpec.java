package dev.eqd2sum.io.casefile;

import dev.eqd2sum.engine.course.ForgivenessSchedule;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A case file, checked: every rule of CONTRACT's case section that needs no DICOM file has been
 * enforced (the rest, such as frames of reference and plan fractions, are checked when the files are read).
 * Plain data; the engine's courses are built from it.
 *
 * @param caseFile         the case file
 * @param displayCaseFile  the case file as the user named it (the start of every error message)
 * @param structureSet     the RT Structure Set, or null when nothing needs structures
 * @param roles            role key ({@code cord}, {@code thecalSac}, ...) to structure name, as given
 * @param constraints      the constraints asked for, or null for none
 * @param constraintMetric {@code Dmax} or {@code D0.03cc}
 * @param exportAlphaBeta  uniform alpha/beta values (Gy) of the extra exported maps
 * @param timeline         current course and intervals, as far as the case alone determines them
 */
public record CaseSpec(Path caseFile, String displayCaseFile, String caseId, Path structureSet,
                       String displayStructureSet, List<CourseSpec> courses, AlphaBetaSpec alphaBeta,
                       ForgivenessSchedule forgiveness, OutputGridSpec outputGrid, List<String> statistics,
                       ConstraintsSpec constraints, String constraintMetric, Map<String, String> roles,
                       EndCaps endCaps, List<Double> exportAlphaBeta, CaseTimeline timeline) {

    /** The statistics reported when the case does not list any (CONTRACT). */
    public static final List<String> DEFAULT_STATISTICS =
            List.of("Dmax", "D0.03cc", "D0.1cc", "D1cc", "Dmean", "Dmin", "V20Gy", "D95%");

    public CaseSpec {
        courses = List.copyOf(courses);
        statistics = List.copyOf(statistics);
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        exportAlphaBeta = List.copyOf(exportAlphaBeta);
    }

    public CourseSpec currentCourse() {
        return courses.get(timeline.currentIndex());
    }

    /** The source for a field of this case file in error messages: {@code pt017/case.json: courses[1].fractions}. */
    public String source(String field) {
        return displayCaseFile + ": " + field;
    }

    /** Every file the case reads: the case file, structure set, each course's doses, plan, registration, constraints. */
    public List<Path> inputFiles() {
        List<Path> files = new java.util.ArrayList<>();
        files.add(caseFile);
        if (structureSet != null) {
            files.add(structureSet);
        }
        for (CourseSpec c : courses) {
            files.addAll(c.doseFiles());
            if (c.plan() != null) {
                files.add(c.plan());
            }
            if (c.registration() != null) {
                files.add(c.registration());
            }
        }
        if (constraints != null && constraints.file() != null) {
            files.add(constraints.file());
        }
        return files;
    }

    /** The same case with the timeline recomputed, e.g. once plan files gave the missing fractions. */
    public CaseSpec withTimeline(CaseTimeline t) {
        return new CaseSpec(caseFile, displayCaseFile, caseId, structureSet, displayStructureSet, courses, alphaBeta,
                forgiveness, outputGrid, statistics, constraints, constraintMetric, roles, endCaps, exportAlphaBeta, t);
    }
}
