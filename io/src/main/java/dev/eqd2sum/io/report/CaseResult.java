package dev.eqd2sum.io.report;

import dev.eqd2sum.engine.constraint.ConstraintResult;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a summed case reports, in the shape of CONTRACT's outputs (dvh.json, dvh.csv, metrics.csv,
 * constraints.json, the console table). Plain data: the writers only format it.
 *
 * @param toolBuild    which build of eqd2sum ran (its own jars' fingerprint; a snapshot's version stays the same
 *                     from build to build)
 * @param structureSet the structure set file read, or null
 * @param warnings     things the user should know that did not stop the run
 */
public record CaseResult(String caseId, String toolVersion, String toolBuild, String backend, InputFile caseFile,
                         InputFile structureSet, String forgiveness, String outputGrid, String constraintMetric,
                         List<CourseReport> courses, List<StructureReport> structures,
                         List<ConstraintResult> constraints, List<String> warnings) {
    public CaseResult {
        courses = List.copyOf(courses);
        structures = List.copyOf(structures);
        constraints = List.copyOf(constraints);
        warnings = List.copyOf(warnings);
    }

    /** An input file and its identity: path as the user named it, SOP Instance UID (DICOM only), SHA-256. */
    public record InputFile(String path, String sopInstanceUid, String sha256) {
    }

    /**
     * One course's provenance.
     *
     * @param fractions          fractions the dose was converted with (delivered when given)
     * @param intervalDays       days from this prior course's end to the current course's start (null: current)
     * @param reduction          forgiveness reduction of this course's EQD2 in normal tissue (0 for the current course)
     * @param transform          how the dose was brought into the current frame: "identity" or the 4x4 matrix and REG
     */
    public record CourseReport(String label, boolean current, int fractions, Integer fractionsPlanned,
                               String startDate, String endDate, boolean endDateEstimated, Long intervalDays,
                               Double intervalMonths, double reduction, Double uniformDoseGy, List<InputFile> files,
                               String transform) {
        public CourseReport {
            files = List.copyOf(files);
        }
    }

    /**
     * One (structure, alpha/beta) pair.
     *
     * @param outsideCourseGridCc per course label, the structure's volume outside that course's dose grid
     * @param maxLocationMm       per scope ({@code planSum}, course labels) the patient coordinates (mm) of the maximum
     */
    public record StructureReport(String name, String role, double alphaBeta, boolean target, double volumeCc,
                                  double volumeOutsideGridCc, Map<String, Double> outsideCourseGridCc, DvhCurve dvh,
                                  List<StatisticReport> statistics, Map<String, double[]> maxLocationMm) {
        public StructureReport {
            outsideCourseGridCc = Collections.unmodifiableMap(new LinkedHashMap<>(outsideCourseGridCc));
            statistics = List.copyOf(statistics);
            maxLocationMm = Collections.unmodifiableMap(new LinkedHashMap<>(maxLocationMm));
        }
    }

    /**
     * A cumulative DVH: {@code volumeCc[b]} is the volume receiving at least {@code doseGy[b]}.
     */
    public record DvhCurve(String scope, double binGy, double[] doseGy, double[] volumeCc) {
        public DvhCurve {
            if (doseGy.length != volumeCc.length) {
                throw new IllegalArgumentException("DVH dose and volume arrays differ in length");
            }
        }
    }

    /**
     * One statistic of a (structure, alpha/beta) pair in every scope. Null values are undefined (a volume larger
     * than the structure) or do not exist (summary sums of volume statistics).
     *
     * @param unit            {@code Gy}, {@code cc} or {@code %}
     * @param courses         per course label, unweighted EQD2 (or the volume statistic of that course's EQD2)
     * @param coursesPhysical per course label, physical dose
     */
    public record StatisticReport(String statistic, String unit, Double planSum, Double planSumUnforgiven,
                                  Double planSumPhysical, Double summarySum, Double summarySumUnforgiven,
                                  Map<String, Double> courses, Map<String, Double> coursesPhysical) {
        public StatisticReport {
            courses = Collections.unmodifiableMap(new LinkedHashMap<>(courses));
            coursesPhysical = Collections.unmodifiableMap(new LinkedHashMap<>(coursesPhysical));
        }

        /**
         * The key in dvh.json's statistics object: the statistic, except that V&lt;x&gt;Gy in percent (reported
         * beside the one in cc) is keyed {@code V<x>Gy%}.
         */
        public String key() {
            return statistic.startsWith("V") && "%".equals(unit) ? statistic + "%" : statistic;
        }
    }
}
