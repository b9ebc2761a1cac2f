package dev.eqd2sum.cli;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.Fractionation;
import dev.eqd2sum.engine.geometry.RigidTransform;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.casefile.CourseSpec;
import dev.eqd2sum.io.report.CaseResult.InputFile;
import dev.eqd2sum.io.rt.PatientStudy;
import dev.eqd2sum.io.rt.RtDose;
import dev.eqd2sum.io.rt.RtDoseReader;
import dev.eqd2sum.io.rt.RtPlan;
import dev.eqd2sum.io.rt.RtPlanReader;
import dev.eqd2sum.io.rt.RtStructureSet;
import dev.eqd2sum.io.rt.RtStructureSetReader;
import dev.eqd2sum.io.rt.SpatialRegistration;
import dev.eqd2sum.io.rt.SpatialRegistrationReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.stream.Collectors;

/**
 * The DICOM files of a case, read and checked against the case file (CONTRACT: fractions from the plan,
 * frames of reference, registrations), and turned into the engine's courses. Each file's identity
 * (SOP Instance UID, SHA-256) is kept for provenance.
 */
final class CaseInputs {
    /** One course's files as read. */
    record CourseFiles(CourseSpec spec, List<RtDose> doses, List<InputFile> doseFiles, RtPlan plan, InputFile planFile,
                       SpatialRegistration registration, InputFile registrationFile, int plannedFractions,
                       RigidTransform toCurrent, String transformDescription) {
    }

    final CaseSpec spec;
    final RtStructureSet structureSet;
    final InputFile structureSetFile;
    final InputFile caseFile;
    final List<CourseFiles> courses;
    final List<String> warnings;

    private CaseInputs(CaseSpec spec, RtStructureSet structureSet, InputFile structureSetFile, InputFile caseFile,
                       List<CourseFiles> courses, List<String> warnings) {
        this.spec = spec;
        this.structureSet = structureSet;
        this.structureSetFile = structureSetFile;
        this.caseFile = caseFile;
        this.courses = courses;
        this.warnings = warnings;
    }

    static CaseInputs read(CaseSpec spec) {
        List<String> warnings = new ArrayList<>();
        InputFile caseFile = new InputFile(spec.displayCaseFile(), null, sha256(read(spec.caseFile(), spec.displayCaseFile())));
        // The structure set is read and parsed on a second thread while the doses are read: two
        // independent files, about a third of the reading time each in a fresh JVM. Errors and warnings
        // come out in the order of a sequential read: the structure set's first.
        FutureTask<StructureSetRead> ssTask = null;
        if (spec.structureSet() != null) {
            ssTask = new FutureTask<>(() -> readStructureSet(spec));
            Thread.ofPlatform().daemon().name("eqd2sum-read-structure-set").start(ssTask);
        }
        int currentIndex = spec.timeline().currentIndex();
        List<CourseFiles> raw = new ArrayList<>();
        List<String> courseWarnings = new ArrayList<>();
        RuntimeException courseError = null;
        try {
            for (CourseSpec c : spec.courses()) {
                raw.add(readCourse(spec, c, courseWarnings));
            }
        } catch (RuntimeException e) {
            courseError = e;
        }
        RtStructureSet ss = null;
        InputFile ssFile = null;
        if (ssTask != null) {
            StructureSetRead r = Tasks.join(ssTask);
            ss = r.structureSet();
            ssFile = r.file();
            warnings.addAll(r.warnings());
        }
        if (courseError != null) {
            throw courseError;
        }
        warnings.addAll(courseWarnings);
        refuseADoseGivenTwice(raw);
        warnOfCrowdedCourses(raw, warnings);
        CourseFiles current = raw.get(currentIndex);
        warnOfOtherPatients(spec, current, raw, ss, warnings);
        String currentFrame = current.doses().getFirst().frameOfReferenceUid();
        if (current.spec().registration() != null) {
            throw new InvalidInputException(spec.source(current.spec().field() + ".registration"),
                    "the current course defines the frame of reference; a registration is only for prior courses");
        }
        // a set whose first ROI (which names its frame) is on an MR but whose others are on the planning CT is the
        // current course's: only a set with no structure in the current frame is another's
        if (ss != null && currentFrame != null && ss.frameOfReferenceUid() != null
                && !ss.frameOfReferenceUid().equals(currentFrame) && !anyStructureIn(ss, currentFrame)) {
            throw new InvalidInputException(spec.displayStructureSet(), "is in frame of reference "
                    + ss.frameOfReferenceUid() + ", but the current course's dose " + current.doseFiles().getFirst().path()
                    + " is in " + currentFrame + "; the structure set must be the current course's");
        }
        if (ss != null && currentFrame != null) {
            ss = withoutOtherFrames(spec, ss, currentFrame, current.doseFiles().getFirst().path(), warnings);
        }
        if (ss != null && current.plan() != null && current.plan().referencedStructureSetUid() != null
                && !current.plan().referencedStructureSetUid().equals(ss.sopInstanceUid())) {
            warnings.add(current.planFile().path() + " was planned on structure set "
                    + current.plan().referencedStructureSetUid() + ", not on " + spec.displayStructureSet() + " ("
                    + ss.sopInstanceUid() + ")");
        }
        List<CourseFiles> placed = new ArrayList<>();
        for (CourseFiles c : raw) {
            placed.add(place(spec, c, currentFrame));
        }
        return new CaseInputs(spec, ss, ssFile, caseFile, placed, warnings);
    }

    /**
     * A structure drawn in another frame of reference (an ROI of a multi-modality set that references the MR's
     * frame) has coordinates that mean nothing on the dose grid: it is left out with a warning, or refused when
     * the case names it (byStructure, roles) and no structure of that name is in the current frame.
     */
    private static RtStructureSet withoutOtherFrames(CaseSpec spec, RtStructureSet ss, String frame, String doseFile,
                                                     List<String> warnings) {
        List<Structure> kept = new ArrayList<>();
        List<Structure> elsewhere = new ArrayList<>();
        for (Structure st : ss.structures()) {
            if (st.frameOfReferenceUid() == null || st.frameOfReferenceUid().equals(frame)) {
                kept.add(st);
            } else {
                elsewhere.add(st);
            }
        }
        for (Structure st : elsewhere) {
            String where = "structure '" + st.name() + "' (ROI " + st.roiNumber() + ") is drawn in frame of reference "
                    + st.frameOfReferenceUid() + ", but the current course's dose " + doseFile + " is in " + frame;
            // named by the case and no structure of that name in the current frame: the case means this one
            for (String named : spec.alphaBeta().byStructure().keySet()) {
                if (st.hasName(named) && !CaseRunner.hasStructure(kept, named)) {
                    throw new InvalidInputException(spec.displayStructureSet(), where + " (alphaBeta.byStructure names"
                            + " it); a structure must be in the current course's frame");
                }
            }
            for (Map.Entry<String, String> role : spec.roles().entrySet()) {
                if (st.hasName(role.getValue()) && !CaseRunner.hasStructure(kept, role.getValue())) {
                    throw new InvalidInputException(spec.displayStructureSet(), where + " (roles." + role.getKey()
                            + " names it); a structure must be in the current course's frame");
                }
            }
            warnings.add(spec.displayStructureSet() + ": " + where + ": left out, no statistics");
        }
        if (kept.size() == ss.structures().size()) {
            return ss;
        }
        return new RtStructureSet(ss.source(), ss.sopInstanceUid(), ss.frameOfReferenceUid(), ss.label(), kept,
                ss.unknownContours(), ss.patientStudy());
    }

    /**
     * A course whose fractions cannot fit between its dates (more than three a calendar day: CHART, the most
     * accelerated schedule in use, gives three a day, seven days a week) has a mistyped count or date: its EQD2
     * depends on both. A warning, not an error: the dates may be approximate.
     */
    private static void warnOfCrowdedCourses(List<CourseFiles> courses, List<String> warnings) {
        for (CourseFiles c : courses) {
            CourseSpec s = c.spec();
            if (s.startDate() == null || s.endDate() == null) {
                continue;
            }
            int fractions = s.fractionsDelivered() != null ? s.fractionsDelivered() : c.plannedFractions();
            long days = java.time.temporal.ChronoUnit.DAYS.between(s.startDate(), s.endDate()) + 1;
            if (fractions > 3 * days) {
                warnings.add("course " + s.label() + ": " + fractions + " fractions from " + s.startDate() + " to "
                        + s.endDate() + " (" + days + (days == 1 ? " day" : " days") + "), more than three a day:"
                        + " check its fractions and dates");
            }
        }
    }

    /** Whether a structure with contours is drawn in {@code frame} (an empty ROI says nothing of the set). */
    private static boolean anyStructureIn(RtStructureSet ss, String frame) {
        for (Structure st : ss.structures()) {
            if (frame.equals(st.frameOfReferenceUid()) && !st.contours().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * One RT Dose object in two places (two copies, or a link, under different names) would be counted twice: the
     * case file's check compares paths, this one SOP Instance UIDs.
     */
    private static void refuseADoseGivenTwice(List<CourseFiles> courses) {
        java.util.Map<String, InputFile> seen = new java.util.HashMap<>();
        for (CourseFiles c : courses) {
            for (InputFile f : c.doseFiles()) {
                InputFile first = f.sopInstanceUid() == null ? null : seen.putIfAbsent(f.sopInstanceUid(), f);
                if (first != null) {
                    throw new InvalidInputException(f.path(), "is the same RT Dose as " + first.path()
                            + " (SOP Instance UID " + f.sopInstanceUid() + "): its dose would be counted twice");
                }
            }
        }
    }

    /**
     * Files of another patient are a warning, not an error: a prior course planned elsewhere often has another
     * institution's patient ID. The current course's dose is the reference, as for the frame of reference.
     */
    private static void warnOfOtherPatients(CaseSpec spec, CourseFiles current, List<CourseFiles> courses,
                                            RtStructureSet ss, List<String> warnings) {
        String id = patientId(current.doses().getFirst().patientStudy());
        if (id == null) {
            return;
        }
        String reference = current.doseFiles().getFirst().path();
        if (ss != null) {
            warnOfOtherPatient(spec.displayStructureSet(), ss.patientStudy(), id, reference, warnings);
        }
        for (CourseFiles c : courses) {
            for (int n = 0; n < c.doses().size(); n++) {
                warnOfOtherPatient(c.doseFiles().get(n).path(), c.doses().get(n).patientStudy(), id, reference, warnings);
            }
            if (c.plan() != null) {
                warnOfOtherPatient(c.planFile().path(), c.plan().patientStudy(), id, reference, warnings);
            }
        }
    }

    // a method, not a lambda: the first lambda of a fresh JVM costs a one-case run about 25 ms (bench/RESULTS.md)
    private static void warnOfOtherPatient(String file, PatientStudy ps, String id, String reference,
                                           List<String> warnings) {
        String other = patientId(ps);
        if (other != null && !other.equals(id)) {
            warnings.add(file + " is of patient ID \"" + other + "\", but " + reference + " is of \"" + id
                    + "\": check that every file is this patient's");
        }
    }

    private static String patientId(PatientStudy ps) {
        if (ps == null || ps.patientId() == null || ps.patientId().isBlank()) {
            return null;
        }
        return ps.patientId().strip();
    }

    private record StructureSetRead(RtStructureSet structureSet, InputFile file, List<String> warnings) {
    }

    private static StructureSetRead readStructureSet(CaseSpec spec) {
        byte[] bytes = read(spec.structureSet(), spec.displayStructureSet());
        RtStructureSet ss = RtStructureSetReader.read(bytes, spec.displayStructureSet());
        List<String> warnings = new ArrayList<>();
        for (RtStructureSet.UnknownContour u : ss.unknownContours()) {
            warnings.add(spec.displayStructureSet() + ": structure " + u.roiName() + " has a contour of unknown type "
                    + u.geometricType() + " (" + u.pointCount() + " points), ignored");
        }
        return new StructureSetRead(ss, new InputFile(spec.displayStructureSet(), ss.sopInstanceUid(), sha256(bytes)),
                warnings);
    }


    private static CourseFiles readCourse(CaseSpec spec, CourseSpec c, List<String> warnings) {
        List<RtDose> doses = new ArrayList<>();
        // A dose file (up to hundreds of megabytes) is read in pieces, decoded straight into its dose array,
        // and its SHA-256 is computed on a second thread from the same pieces: the file is never held whole.
        List<String> doseHashes = new ArrayList<>();
        for (int n = 0; n < c.doseFiles().size(); n++) {
            String display = c.displayDoseFiles().get(n);
            try (BackgroundSha256 hash = new BackgroundSha256()) {
                doses.add(RtDoseReader.read(c.doseFiles().get(n), display, hash));
                doseHashes.add(hash.hex());
            }
        }
        if (doses.size() > 1) {
            for (RtDose d : doses) {
                if (!d.isBeamDose()) {
                    throw new InvalidInputException(d.source(), "is a " + d.doseSummationType() + " dose, but "
                            + spec.displayCaseFile() + " lists several dose files for course " + c.label()
                            + ", which are summed: only BEAM doses may be listed together");
                }
                if (d.frameOfReferenceUid() != null && doses.getFirst().frameOfReferenceUid() != null
                        && !d.frameOfReferenceUid().equals(doses.getFirst().frameOfReferenceUid())) {
                    throw new InvalidInputException(d.source(), "is in frame of reference " + d.frameOfReferenceUid()
                            + ", but " + doses.getFirst().source() + " of the same course is in "
                            + doses.getFirst().frameOfReferenceUid());
                }
            }
        } else if (doses.size() == 1 && doses.getFirst().isBeamDose()) {
            warnings.add(doses.getFirst().source() + " is the dose of one beam (BEAM) and is the only dose of course "
                    + c.label() + ": the course's other beams are not included");
        }
        RtPlan plan = null;
        InputFile planFile = null;
        if (c.plan() != null) {
            byte[] bytes = read(c.plan(), c.displayPlan());
            plan = RtPlanReader.read(bytes, c.displayPlan());
            planFile = new InputFile(c.displayPlan(), plan.sopInstanceUid(), sha256(bytes));
            for (RtDose d : doses) {
                if (!d.referencedPlanUids().isEmpty() && !d.referencedPlanUids().contains(plan.sopInstanceUid())) {
                    warnings.add(d.source() + " references RT Plan " + String.join(", ", d.referencedPlanUids())
                            + ", not " + c.displayPlan() + " (" + plan.sopInstanceUid() + ")");
                }
            }
        }
        int planned = plannedFractions(spec, c, plan);
        SpatialRegistration reg = null;
        InputFile regFile = null;
        if (c.registration() != null) {
            byte[] bytes = read(c.registration(), c.displayRegistration());
            reg = SpatialRegistrationReader.read(bytes, c.displayRegistration());
            regFile = new InputFile(c.displayRegistration(), reg.sopInstanceUid(), sha256(bytes));
        }
        if (c.fractionsDelivered() != null && c.fractionsDelivered() > planned) {
            throw new InvalidInputException(spec.source(c.field() + ".fractionsDelivered"), c.fractionsDelivered()
                    + " is more than the " + planned + " planned fractions");
        }
        List<InputFile> doseFiles = new ArrayList<>();
        for (int n = 0; n < doses.size(); n++) {
            doseFiles.add(new InputFile(c.displayDoseFiles().get(n), doses.get(n).sopInstanceUid(), doseHashes.get(n)));
        }
        return new CourseFiles(c, doses, doseFiles, plan, planFile, reg, regFile, planned, null, null);
    }

    /** Fractions from the case, the plan, or both when they agree (CONTRACT). */
    private static int plannedFractions(CaseSpec spec, CourseSpec c, RtPlan plan) {
        if (plan == null) {
            return c.fractions();
        }
        List<RtPlan.FractionGroup> groups = plan.fractionGroups();
        RtPlan.FractionGroup group = null;
        if (c.fractionGroup() != null) {
            group = groups.stream().filter(g -> g.number() == c.fractionGroup()).findFirst().orElseThrow(() ->
                    new InvalidInputException(spec.source(c.field() + ".fractionGroup"), "the plan " + c.displayPlan()
                            + " has no fraction group " + c.fractionGroup() + " (it has " + describe(groups) + ")"));
        } else if (groups.size() == 1) {
            group = groups.getFirst();
        } else if (c.fractions() == null) {
            throw new InvalidInputException(spec.source(c.field() + ".fractions"), groups.isEmpty()
                    ? "is required: the plan " + c.displayPlan() + " has no fraction group"
                    : "is required, or fractionGroup: the plan " + c.displayPlan() + " has " + groups.size()
                    + " fraction groups (" + describe(groups) + ")");
        }
        if (group == null) {
            return c.fractions();
        }
        if (group.fractionsPlanned() < 1) {
            if (c.fractions() == null) {
                throw new InvalidInputException(c.displayPlan(), "fraction group " + group.number()
                        + " has no NumberOfFractionsPlanned; give the course's fractions in the case file");
            }
            return c.fractions();
        }
        if (c.fractions() != null && c.fractions() != group.fractionsPlanned()) {
            throw new InvalidInputException(spec.source(c.field() + ".fractions"), "is " + c.fractions()
                    + ", but the plan " + c.displayPlan() + " plans " + group.fractionsPlanned()
                    + " fractions (fraction group " + group.number() + ")");
        }
        return group.fractionsPlanned();
    }

    private static String describe(List<RtPlan.FractionGroup> groups) {
        return groups.stream().map(g -> "group " + g.number() + ": " + g.fractionsPlanned() + " fractions")
                .collect(Collectors.joining(", "));
    }

    /** The transform of a course into the current course's frame (CONTRACT, "Frames of reference"). */
    private static CourseFiles place(CaseSpec spec, CourseFiles c, String currentFrame) {
        if (c.doses().isEmpty()) {
            return new CourseFiles(c.spec(), c.doses(), c.doseFiles(), c.plan(), c.planFile(), c.registration(),
                    c.registrationFile(), c.plannedFractions(), null, "uniform dose (no grid)");
        }
        String frame = c.doses().getFirst().frameOfReferenceUid();
        if (c.registration() != null) {
            SpatialRegistration reg = c.registration();
            RigidTransform t = reg.mapping(frame, currentFrame);
            String desc = "rigid, from " + c.registrationFile().path() + " (" + reg.sopInstanceUid() + "): "
                    + matrix(t);
            return new CourseFiles(c.spec(), c.doses(), c.doseFiles(), c.plan(), c.planFile(), reg,
                    c.registrationFile(), c.plannedFractions(), t, desc);
        }
        if (frame != null && currentFrame != null && !frame.equals(currentFrame)) {
            throw new InvalidInputException(spec.source(c.spec().field() + ".registration"), "is required: the dose "
                    + c.doseFiles().getFirst().path() + " is in frame of reference " + frame
                    + ", the current course's in " + currentFrame + "; give a rigid Spatial Registration (REG)");
        }
        return new CourseFiles(c.spec(), c.doses(), c.doseFiles(), c.plan(), c.planFile(), null, null,
                c.plannedFractions(), null, "identity (same frame of reference)");
    }

    private static String matrix(RigidTransform t) {
        double[] m = t.toMatrix4x4();
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < 4; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < 4; c++) {
                sb.append(c == 0 ? "" : ", ").append(String.format(java.util.Locale.ROOT, "%.6g", m[r * 4 + c]));
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /**
     * The SHA-256 computed for each input file's provenance, by absolute normalised path (the case file, the
     * structure set, every course's doses, plan and registration), so that a cohort's --resume record need not
     * hash them again.
     */
    java.util.Map<Path, String> sha256ByPath() {
        java.util.Map<Path, String> out = new java.util.HashMap<>();
        out.put(spec.caseFile().toAbsolutePath().normalize(), caseFile.sha256());
        if (spec.structureSet() != null && structureSetFile != null) {
            out.put(spec.structureSet().toAbsolutePath().normalize(), structureSetFile.sha256());
        }
        for (CourseFiles c : courses) {
            for (int n = 0; n < c.doseFiles().size(); n++) {
                out.put(c.spec().doseFiles().get(n).toAbsolutePath().normalize(), c.doseFiles().get(n).sha256());
            }
            if (c.planFile() != null) {
                out.put(c.spec().plan().toAbsolutePath().normalize(), c.planFile().sha256());
            }
            if (c.registrationFile() != null) {
                out.put(c.spec().registration().toAbsolutePath().normalize(), c.registrationFile().sha256());
            }
        }
        return out;
    }

    /** The engine's courses, in case order. */
    List<Course> engineCourses() {
        List<Course> out = new ArrayList<>();
        for (CourseFiles c : courses) {
            CourseSpec s = c.spec();
            CourseDose dose;
            if (s.hasUniformDose()) {
                dose = CourseDose.uniform(s.uniformDoseGy());
            } else {
                List<DoseComponent> parts = new ArrayList<>();
                for (RtDose d : c.doses()) {
                    parts.add(d.isFractionDose() ? DoseComponent.perFraction(d.grid(), c.plannedFractions())
                            : DoseComponent.plan(d.grid()));
                }
                dose = new CourseDose.Grids(parts);
            }
            int delivered = s.fractionsDelivered() != null ? s.fractionsDelivered() : c.plannedFractions();
            out.add(new Course(s.label(), dose, Fractionation.delivered(c.plannedFractions(), delivered), s.startDate(),
                    s.endDate(), c.toCurrent()));
        }
        return out;
    }

    static byte[] read(Path path, String display) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(display, "file not found");
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException(display, "the file is too large to read into memory");
        } catch (IOException e) {
            throw new InvalidInputException(display, "cannot read the file: " + e.getMessage());
        }
    }

    static String sha256(byte[] bytes) {
        return Sha256.of(bytes);
    }
}
