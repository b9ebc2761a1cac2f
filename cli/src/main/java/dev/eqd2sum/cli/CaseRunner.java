package dev.eqd2sum.cli;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.constraint.Constraint;
import dev.eqd2sum.engine.constraint.ConstraintEvaluator;
import dev.eqd2sum.engine.constraint.ConstraintInputs;
import dev.eqd2sum.engine.constraint.ConstraintResult;
import dev.eqd2sum.engine.constraint.Role;
import dev.eqd2sum.engine.constraint.StatisticNeed;
import dev.eqd2sum.engine.constraint.ValueScope;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.dvh.CourseInfo;
import dev.eqd2sum.engine.dvh.DoseStatistic;
import dev.eqd2sum.engine.dvh.Dvh;
import dev.eqd2sum.engine.dvh.Scope;
import dev.eqd2sum.engine.dvh.StatisticUnit;
import dev.eqd2sum.engine.dvh.StructureDoseSamples;
import dev.eqd2sum.engine.dvh.StructureStatistics;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.engine.plansum.CourseDoseSampler;
import dev.eqd2sum.engine.plansum.HeapBudget;
import dev.eqd2sum.engine.plansum.MemoryNeed;
import dev.eqd2sum.engine.plansum.OutputGrid;
import dev.eqd2sum.engine.plansum.PlanSum;
import dev.eqd2sum.engine.plansum.TissueMap;
import dev.eqd2sum.engine.structure.EndCaps;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.engine.structure.StructureMask;
import dev.eqd2sum.engine.structure.StructureShape;
import dev.eqd2sum.io.casefile.CaseSpec;
import dev.eqd2sum.io.casefile.ConstraintSets;
import dev.eqd2sum.io.casefile.OutputGridSpec;
import dev.eqd2sum.io.report.CaseResult;
import dev.eqd2sum.io.report.CaseResult.CourseReport;
import dev.eqd2sum.io.report.CaseResult.DvhCurve;
import dev.eqd2sum.io.report.CaseResult.InputFile;
import dev.eqd2sum.io.report.CaseResult.StatisticReport;
import dev.eqd2sum.io.report.CaseResult.StructureReport;
import dev.eqd2sum.io.rt.RtDose;
import dev.eqd2sum.io.rt.RtDoseWriter;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs one case end to end: reads and checks the DICOM inputs, sums the courses voxel by voxel in EQD2 with
 * the chosen backend, rasterises the structures, computes every (structure, alpha/beta) pair's statistics in
 * every scope, evaluates the constraints and writes the RT Dose maps. The caller writes the reports.
 */
final class CaseRunner {
    static final String PLAN_SUM_FILE = "plan-sum-eqd2.dcm";

    private final String backend;
    private final PrintStream err;
    private final int threads;
    private final boolean writeDose;
    private final boolean collectAfterMaps;
    /** Statistics of all but the largest structure on a second thread, beside the next ones' work (one case). */
    private final boolean statisticsBeside;

    CaseRunner(String backend, PrintStream err) {
        this(backend, err, true, false);
    }

    /**
     * @param writeDose false: no EQD2 maps are computed or written (cohort --no-dose), only the reports' data
     * @param oneCase   the only case of this JVM (sum, demo): a full collection after the maps is worth its pause
     */
    CaseRunner(String backend, PrintStream err, boolean writeDose, boolean oneCase) {
        this.backend = backend;
        this.err = err;
        this.threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.writeDose = writeDose;
        this.collectAfterMaps = oneCase && writeDose;
        this.statisticsBeside = oneCase;
    }

    /**
     * At most this many samples for a structure's statistics to run on the second thread: its buffers then live
     * beside the largest structure's (bench/results/memory.md), so only small ones go (a cord: about 40 k).
     */
    static final int BESIDE_MAX_SAMPLES = 1 << 20;

    /**
     * Outputs of a run: the result model, the files written into the output folder, and the SHA-256 of each
     * input file read (absolute normalised path to hex; see {@link CaseInputs#sha256ByPath()}).
     */
    record Run(CaseResult result, List<String> files, Map<Path, String> inputSha256) {
        List<String> doseFiles() {
            return files;
        }

        /** The same run with another list of written files. */
        Run withFiles(List<String> written) {
            return new Run(result, written, inputSha256);
        }
    }

    Run run(CaseSpec spec, Path outDir) {
        CaseInputs in = CaseInputs.read(spec);
        StageTimes.lap("read inputs (DICOM, SHA-256)");
        List<String> warnings = new ArrayList<>(in.warnings);
        List<Constraint> constraints = spec.constraints() == null ? List.of() : ConstraintSets.load(spec.constraints());
        List<Structure> structures = in.structureSet == null ? List.of() : in.structureSet.structures();
        checkNames(spec, structures, in);

        // in, timeline and planSum hold the dose grids: plain locals (no lambda captures them), set to null once
        // the grids are no longer needed
        CourseTimeline timeline = timeline(spec, in);
        OutputGrid choice = outputGrid(spec);
        GridGeometry grid = outputGrid(spec, timeline, choice);
        reserveMemory(spec, grid, timeline);
        KernelProvider.Selection selection = KernelProvider.select(backend, grid.voxelCount());
        err.println(selection.message());
        PlanSum planSum = PlanSum.prepare(timeline, choice, selection.kernels(), threads);
        StageTimes.lap("timeline, grid, backend");

        // Structures onto the output grid, once each. Only those the alpha/beta and target maps need are
        // rasterised before the maps, every other one after them, so that a large body's sample points never
        // coexist with the full-size maps (peak memory); each mask is dropped after its statistics.
        EndCaps endCaps = EndCaps.fromContractName(spec.endCaps().key());
        // a prior's own grid (or every course's, off the current grid) peaks at its nodes: samples for Dmax/Dmin
        RasterOptions options = RasterOptions.forStructureSet(structures).withEndCaps(endCaps)
                .withNodeLattices(planSum.courseNodeLattices());
        Map<String, StructureMask> masks = new LinkedHashMap<>(); // null: not rasterised yet
        Map<String, Structure> byName = new LinkedHashMap<>();
        // names match ignoring case and spaces at the ends (CONTRACT), so "SpinalCord" and "SPINALCORD " are one
        Map<String, String> firstByKey = new HashMap<>();
        for (Structure s : structures) {
            if (s.contours().stream().noneMatch(c -> c.type().enclosesVolume())) {
                warnings.add("structure " + s.name() + " has no closed contours" + (s.isEmpty() ? "" : " (only points"
                        + " or open contours)") + "; no statistics");
                continue;
            }
            String first = firstByKey.putIfAbsent(s.name().strip().toLowerCase(Locale.ROOT), s.name());
            if (first != null) {
                warnings.add(first.equals(s.name())
                        ? "the structure set has two structures named " + s.name() + "; the first is used"
                        : "the structure set has structures named \"" + first + "\" and \"" + s.name() + "\", one name"
                                + " ignoring case and spaces at the ends; the first is used");
                continue;
            }
            masks.put(s.name(), null);
            byName.put(s.name(), s);
        }

        List<String> doseFiles = List.of();
        if (writeDose) {
            for (Map.Entry<String, StructureMask> e : masks.entrySet()) {
                if (shapesTissueMap(spec, byName.get(e.getKey()))) {
                    e.setValue(rasterise(spec, byName.get(e.getKey()), grid, options));
                }
            }
            StageTimes.lap("rasterise");
            TissueMap tissue = tissueMap(spec, grid, masks, byName, options);
            StageTimes.lap("alpha/beta and target maps");
            doseFiles = writeMaps(spec, in, timeline, planSum, tissue, outDir);
            tissue = null; // the maps are written: let the full-size arrays go before the statistics
            if (collectAfterMaps) {
                // The maps' full-size arrays (EQD2, alpha/beta, target) die here. The Serial collector of a one-case
                // run would otherwise grow the old generation around them while the External is rasterised (its
                // young collections promote the chunks' sample buffers): one full collection (10-15 ms) instead
                // keeps the std case's peak RSS at 167 rather than 205 MB, at no measurable cost in time
                // (bench/results/memory.md, section 7). Not in a cohort: its cases share the heap and the pause.
                System.gc();
                StageTimes.lap("full collection after the maps");
            }
        }

        // Statistics for every (structure, alpha/beta) pair the structure or a constraint needs.
        List<CourseInfo> infos = new ArrayList<>();
        List<Integer> courseIndex = new ArrayList<>(); // each info's course in the sampler's per-course results
        for (ScheduledCourse c : timeline.courses()) {
            infos.add(new CourseInfo(c.label(), c.conversionFractions(), c.normalTissueWeight(), c.current()));
            courseIndex.add(c.index());
        }
        Map<Role, String> roles = roles(spec, new ArrayList<>(masks.keySet()));
        ConstraintEvaluator evaluator = new ConstraintEvaluator(spec.constraintMetric());
        RolesOnly roleView = new RolesOnly(roles, masks.keySet(), timeline);
        Set<StatisticNeed> needs = evaluator.needs(constraints, roleView);
        Affine3 toMm = grid.indexToPatient();
        // What the result needs of the inputs and the timeline, taken now: the dose grids they hold are let go
        // before the last structure's statistics (below).
        List<String> courseWarnings = new ArrayList<>();
        List<CourseReport> courses = courseReports(in, timeline, courseWarnings);
        String currentLabel = timeline.current().label();
        String forgiveness = timeline.forgiveness().name();
        InputFile caseFile = in.caseFile;
        InputFile structureSetFile = in.structureSetFile;
        Map<Path, String> inputSha256 = in.sha256ByPath();

        // The largest structure (by its contours' area, before anything is rasterised: usually the External) goes
        // last: the courses' dose grids are needed until its doses are gathered, and no longer during its
        // statistics, the run's peak of memory. Each mask is rasterised just before its doses are gathered and
        // dropped after its statistics; results and warnings keep the structure set's order.
        List<String> order = new ArrayList<>(masks.keySet());
        String largest = null;
        double largestArea = -1;
        for (String name : order) {
            double area = byName.get(name).closedContourAreaMm2();
            if (area > largestArea) {
                largest = name;
                largestArea = area;
            }
        }
        if (largest != null) {
            order.remove(largest);
            order.add(largest);
        }
        CourseDoseSampler sampler = planSum.sampler();
        planSum = null;
        Map<String, StructureStatistics> stats = new LinkedHashMap<>();
        Map<String, List<StructureReport>> reportsByName = new LinkedHashMap<>();
        Map<String, List<String>> warningsByName = new LinkedHashMap<>();
        for (String name : masks.keySet()) {
            reportsByName.put(name, new ArrayList<>());
            warningsByName.put(name, new ArrayList<>());
        }
        Map<String, Map<Double, StructureStatistics>> statsByName = new LinkedHashMap<>();
        // A small structure's statistics run one at a time on a second thread while the main thread goes on with
        // the next structures (the largest one's sequential passes leave a core idle); joined below, in order.
        Map<String, Future<Map<Double, StructureStatistics>>> beside = new LinkedHashMap<>();
        ExecutorService besideThread = statisticsBeside && order.size() > 1
                ? Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("eqd2sum-statistics")
                        .unstarted(r))
                : null;
        try {
            for (String name : order) {
                Structure s = byName.get(name);
                StructureMask mask = masks.get(name) != null ? masks.get(name) : rasterise(spec, s, grid, options);
                masks.put(name, null);
                StageTimes.lap("rasterise");
                List<String> structureWarnings = warningsByName.get(name);
                // the compact set: an External's interior voxel centres are not held as points
                // (bench/results/memory.md)
                StructureDoseSamples samples = StructureDoseSamples.of(mask.sampleSet(),
                        sampler.physicalDose(mask.sampleSet()));
                double[] outside = sampler.outsideCourseGridCc(mask.sampleSet());
                if (name.equals(largest)) {
                    // the last gather: the dose grids (held by the sampler, the inputs and the timeline) can go
                    sampler = null;
                    in = null;
                    timeline = null;
                }
                StageTimes.lap("gather course doses at samples");
                Map<String, Double> outsideByCourse = new LinkedHashMap<>();
                for (int i = 0; i < infos.size(); i++) {
                    CourseInfo c = infos.get(i);
                    int index = courseIndex.get(i);
                    outsideByCourse.put(c.label(), outside[index]);
                    if (outside[index] > 0.0005) {
                        structureWarnings.add(String.format(Locale.ROOT, "%s: %.3f cc lies outside the dose grid of"
                                + " course %s, which contributes 0 there", name, outside[index], c.label()));
                    }
                }
                if (mask.outsideGridCc() > ConstraintEvaluator.OUTSIDE_GRID_SHOWN_CC) {
                    structureWarnings.add(String.format(Locale.ROOT, "%s: %.3f cc lies outside the output grid and is"
                            + " not in its statistics (percentages are of the part inside)", name,
                            mask.outsideGridCc()));
                }
                LinkedHashSet<Double> abs = new LinkedHashSet<>();
                abs.add(spec.alphaBeta().of(name));
                for (StatisticNeed n : needs) {
                    if (n.structure().equals(name)) {
                        abs.add(n.alphaBeta());
                    }
                }
                String role = roleOf(roles, name);
                Map<Double, List<DoseStatistic>> parsedByAb = new LinkedHashMap<>();
                for (double ab : abs) {
                    List<String> wanted = new ArrayList<>(spec.statistics());
                    for (StatisticNeed n : needs) {
                        if (n.structure().equals(name) && n.alphaBeta() == ab && !wanted.contains(n.statistic())) {
                            wanted.add(n.statistic());
                        }
                    }
                    parsedByAb.put(ab, DoseStatistic.parseAll(wanted, spec.source("statistics")));
                }
                // all alpha/betas of the structure in one call: its physical scopes are computed once
                List<StructureReport> structureReports = reportsByName.get(name);
                Supplier<Map<Double, StructureStatistics>> statistics = () -> {
                    Map<Double, StructureStatistics> byAb = StructureStatistics.compute(samples, infos, parsedByAb,
                            s.isTarget(), Set.of(Scope.PLAN_SUM), true);
                    for (double ab : abs) {
                        structureReports.add(report(name, role, ab, s.isTarget(), mask, outsideByCourse, byAb.get(ab),
                                parsedByAb.get(ab), infos, toMm));
                    }
                    return byAb;
                };
                if (besideThread != null && !name.equals(largest) && mask.sampleSet().count() <= BESIDE_MAX_SAMPLES) {
                    beside.put(name, besideThread.submit(statistics::get));
                } else {
                    statsByName.put(name, statistics.get());
                }
                StageTimes.lap("statistics");
            }
            for (Map.Entry<String, Future<Map<Double, StructureStatistics>>> e : beside.entrySet()) {
                statsByName.put(e.getKey(), Tasks.join(e.getValue()));
            }
        } finally {
            if (besideThread != null) {
                besideThread.shutdownNow();
            }
        }
        StageTimes.lap("statistics");
        List<StructureReport> reports = new ArrayList<>();
        for (String name : reportsByName.keySet()) {
            warnings.addAll(warningsByName.get(name));
            reports.addAll(reportsByName.get(name));
            Map<Double, StructureStatistics> byAb = statsByName.get(name);
            for (Map.Entry<Double, StructureStatistics> e : byAb.entrySet()) {
                stats.put(key(name, e.getKey()), e.getValue());
            }
        }
        warnings.addAll(courseWarnings);

        Map<String, GridVolumes> volumes = new HashMap<>();
        for (StructureReport r : reports) {
            volumes.put(r.name(), new GridVolumes(r.volumeCc(), r.volumeOutsideGridCc()));
        }
        List<ConstraintResult> results = evaluator.evaluate(constraints,
                new Evaluated(roleView, stats, currentLabel, volumes));
        CaseResult result = new CaseResult(spec.caseId(), Main.Version.version(), Main.Version.build(),
                selection.name(), caseFile, structureSetFile, forgiveness, spec.outputGrid().toString(),
                spec.constraintMetric(), courses, reports, results, warnings);
        StageTimes.lap("constraints, result model");
        return new Run(result, doseFiles, inputSha256);
    }

    /**
     * Refuses, once the course grids are read and before the output grid's arrays are allocated, a case whose grids
     * need more than the heap (a fine
     * outputGrid.spacingMm can ask for billions of voxels), and waits in a cohort until the case's share is free.
     */
    private static void reserveMemory(CaseSpec spec, GridGeometry grid, CourseTimeline timeline) {
        HeapBudget budget = HeapBudget.current();
        long need = MemoryNeed.bytes(grid, timeline.courses());
        long heap = budget.heapBytes();
        // refused only when it certainly cannot fit: the estimate runs a quarter high on std and large, which ran
        // in 100 and 600 MB heaps before this check (a case that runs out later fails with one line too, Main)
        if (MemoryNeed.minimumBytes(grid, timeline.courses()) > heap) {
            // the field when the case chose a finer grid; else the case (its courses' own grids are the size)
            boolean chosen = spec.outputGrid() != null
                    && spec.outputGrid().kind() == dev.eqd2sum.io.casefile.OutputGridSpec.Kind.SPACING;
            throw new InvalidInputException(chosen ? spec.source("outputGrid") : spec.displayCaseFile(),
                    tooLarge(grid, need, heap));
        }
        budget.reserve(need);
    }

    /** Why a case does not fit, and the two ways out (the launcher passes EQD2SUM_JAVA_OPTS to the JVM). */
    static String tooLarge(GridGeometry grid, long needBytes, long heapBytes) {
        return MemoryNeed.describe(grid) + " need about " + MemoryNeed.size(needBytes) + " of memory; this Java"
                + " heap is " + MemoryNeed.size(heapBytes) + " (use a coarser outputGrid.spacingMm, or a larger heap:"
                + " EQD2SUM_JAVA_OPTS=-Xmx" + MemoryNeed.heapOption(needBytes + (needBytes >> 3))
                + " ./eqd2sum ..., on a machine with that much memory)";
    }

    /** The structure's mask; a contour the rasteriser refuses is named with the structure set's file. */
    private static StructureMask rasterise(CaseSpec spec, Structure s, GridGeometry grid, RasterOptions options) {
        try {
            return Rasteriser.rasterise(s, grid, options);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(spec.displayStructureSet(), e.getMessage(), e);
        }
    }

    /** One report per course (its files and dates); a warning for each course whose end date was estimated. */
    private static List<CourseReport> courseReports(CaseInputs in, CourseTimeline timeline, List<String> warnings) {
        List<CourseReport> courses = new ArrayList<>();
        for (ScheduledCourse c : timeline.courses()) {
            CaseInputs.CourseFiles files = in.courses.get(c.index());
            List<InputFile> inputs = new ArrayList<>(files.doseFiles());
            if (files.planFile() != null) {
                inputs.add(files.planFile());
            }
            if (files.registrationFile() != null) {
                inputs.add(files.registrationFile());
            }
            if (c.endDateEstimated()) {
                warnings.add("course " + c.label() + ": endDate estimated as " + c.endDate() + " (startDate + "
                        + (c.conversionFractions() - 1) + " working days)");
            }
            courses.add(new CourseReport(c.label(), c.current(), c.conversionFractions(),
                    c.course().fractionation().isIncomplete() ? c.course().fractionation().plannedFractions() : null,
                    c.course().startDate() == null ? null : c.course().startDate().toString(),
                    c.endDate() == null ? null : c.endDate().toString(), c.endDateEstimated(),
                    c.current() || c.course().startDate() == null ? null : c.intervalDays(),
                    c.current() || c.course().startDate() == null ? null : c.intervalMonths(), c.reduction(),
                    files.spec().uniformDoseGy(), inputs, files.transformDescription()));
        }
        return courses;
    }

    /** No structure has an alpha/beta of its own other than the default: the map is uniform, and says so. */
    private static boolean uniformAlphaBeta(CaseSpec spec) {
        for (double ab : spec.alphaBeta().byStructure().values()) {
            if (ab != spec.alphaBeta().defaultGy()) {
                return false;
            }
        }
        return true;
    }

    /** The EQD2 plan sum with the case's alpha/beta map, and one map per exportAlphaBeta; returns their names. */
    private static List<String> writeMaps(CaseSpec spec, CaseInputs in, CourseTimeline timeline, PlanSum planSum,
                                          TissueMap tissue, Path outDir) {
        List<String> doseFiles = new ArrayList<>();
        RtDose currentDose = in.courses.get(timeline.current().index()).doses().getFirst();
        List<String> planUids = new ArrayList<>();
        List<String> regUids = new ArrayList<>();
        for (CaseInputs.CourseFiles c : in.courses) {
            if (c.plan() != null) {
                planUids.add(c.plan().sopInstanceUid());
            } else {
                for (RtDose d : c.doses()) {
                    for (String p : d.referencedPlanUids()) {
                        if (!planUids.contains(p)) {
                            planUids.add(p);
                        }
                    }
                }
            }
            if (c.registration() != null) {
                regUids.add(c.registration().sopInstanceUid());
            }
        }
        boolean multiPlan = in.courses.size() > 1;
        DoseGrid eqd2 = planSum.eqd2(tissue);
        StageTimes.lap("plan sum (EQD2 map)");
        RtDoseWriter.writeEqd2PlanSum(outDir.resolve(PLAN_SUM_FILE), eqd2, RtDoseWriter.Eqd2Export.fromCurrentCourse(
                currentDose, planUids, regUids, uniformAlphaBeta(spec) ? "alpha/beta "
                        + plain(spec.alphaBeta().defaultGy()) + " Gy" : "alpha/beta by structure, default "
                        + plain(spec.alphaBeta().defaultGy()) + " Gy", multiPlan, 32));
        doseFiles.add(PLAN_SUM_FILE);
        StageTimes.lap("write RT Dose");
        for (double ab : spec.exportAlphaBeta()) {
            String name = "plan-sum-eqd2-ab" + plain(ab) + ".dcm";
            RtDoseWriter.writeEqd2PlanSum(outDir.resolve(name), planSum.eqd2(tissue.withUniformAlphaBeta(ab)),
                    RtDoseWriter.Eqd2Export.fromCurrentCourse(currentDose, planUids, regUids,
                            "alpha/beta " + plain(ab) + " Gy", multiPlan, 32));
            doseFiles.add(name);
            StageTimes.lap("exportAlphaBeta maps (sum + write)");
        }
        return doseFiles;
    }

    private static String key(String structure, double ab) {
        return structure + "\u0000" + ab;
    }

    private static StructureReport report(String name, String role, double ab, boolean target, StructureMask mask,
                                          Map<String, Double> outsideByCourse, StructureStatistics st,
                                          List<DoseStatistic> statistics, List<CourseInfo> courseInfos, Affine3 toMm) {
        List<StatisticReport> rows = new ArrayList<>();
        for (DoseStatistic d : statistics) {
            for (StatisticUnit u : d.units()) {
                Map<String, Double> courses = new LinkedHashMap<>();
                Map<String, Double> physical = new LinkedHashMap<>();
                for (CourseInfo c : courseInfos) {
                    courses.put(c.label(), st.value(d, u, Scope.course(c.label())));
                    physical.put(c.label(), st.value(d, u, Scope.coursePhysical(c.label())));
                }
                boolean summary = d.isDose();
                rows.add(new StatisticReport(d.name(), u.symbol(), st.value(d, u, Scope.PLAN_SUM),
                        st.value(d, u, Scope.PLAN_SUM_UNFORGIVEN), st.value(d, u, Scope.PLAN_SUM_PHYSICAL),
                        summary ? st.value(d, u, Scope.SUMMARY_SUM) : null,
                        summary ? st.value(d, u, Scope.SUMMARY_SUM_UNFORGIVEN) : null, courses, physical));
            }
        }
        Map<String, double[]> maxAt = new LinkedHashMap<>();
        double[] at = st.maxLocationIndex(Scope.PLAN_SUM);
        if (at != null) {
            maxAt.put("planSum", toMm.apply(at[0], at[1], at[2]));
        }
        for (CourseInfo c : courseInfos) {
            double[] ci = st.maxLocationIndex(Scope.course(c.label()));
            if (ci != null) {
                maxAt.put(c.label(), toMm.apply(ci[0], ci[1], ci[2]));
            }
        }
        Dvh dvh = st.dvh(Scope.PLAN_SUM);
        DvhCurve curve = dvh == null ? null : new DvhCurve("planSum", dvh.binGy(), dvh.doseGy(), dvh.volumeCc());
        return new StructureReport(name, role, ab, target, st.volumeCc(), mask.outsideGridCc(), outsideByCourse, curve,
                rows, maxAt);
    }

    private static String roleOf(Map<Role, String> roles, String structure) {
        for (Map.Entry<Role, String> e : roles.entrySet()) {
            if (e.getValue().equals(structure)) {
                return e.getKey().key();
            }
        }
        return null;
    }

    /** Names in byStructure and roles must exist in the structure set (CONTRACT). */
    private static void checkNames(CaseSpec spec, List<Structure> structures, CaseInputs in) {
        for (String name : spec.alphaBeta().byStructure().keySet()) {
            if (!hasStructure(structures, name)) {
                throw new InvalidInputException(spec.source("alphaBeta.byStructure." + name), "the structure set "
                        + spec.displayStructureSet() + " has no structure named " + name + " (it has "
                        + names(structures) + ")");
            }
        }
        for (Map.Entry<String, String> e : spec.roles().entrySet()) {
            if (!hasStructure(structures, e.getValue())) {
                throw new InvalidInputException(spec.source("roles." + e.getKey()), "the structure set "
                        + spec.displayStructureSet() + " has no structure named " + e.getValue() + " (it has "
                        + names(structures) + ")");
            }
        }
    }

    // Plain loops here and in roles(), not lambdas: a lambda the start-up cache's training (demo) never ran is
    // spun on first use, 5-30 ms in a fresh JVM (demo's case file names no roles, so the roles' lambdas never ran).
    static boolean hasStructure(List<Structure> structures, String name) {
        for (Structure s : structures) {
            if (s.hasName(name)) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<Structure> structures) {
        List<String> n = new ArrayList<>();
        for (Structure s : structures) {
            n.add(s.name());
        }
        return String.join(", ", n);
    }

    /** Role to structure: the case's roles, else TG-263 names and aliases. Names as the structure set has them. */
    private static Map<Role, String> roles(CaseSpec spec, List<String> contoured) {
        Map<Role, String> out = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            String given = spec.roles().get(r.key());
            if (given != null) {
                for (String n : contoured) {
                    if (Structure.sameName(n, given)) {
                        out.put(r, n);
                        break;
                    }
                }
            } else {
                Optional<String> found = r.findIn(contoured);
                if (found.isPresent()) {
                    out.put(r, found.get());
                }
            }
        }
        return out;
    }

    private static TissueMap tissueMap(CaseSpec spec, GridGeometry grid, Map<String, StructureMask> masks,
                                       Map<String, Structure> byName, RasterOptions options) {
        List<TissueMap.StructureAlphaBeta> withAb = new ArrayList<>();
        List<StructureMask> targets = new ArrayList<>();
        List<StructureShape> targetShapes = new ArrayList<>();
        for (Map.Entry<String, StructureMask> e : masks.entrySet()) {
            Structure s = byName.get(e.getKey());
            if (!shapesTissueMap(spec, s)) {
                continue;
            }
            // the shape answers only for voxels two structures share, and is made only then
            StructureShape shape = StructureShape.of(s, grid, options);
            Optional<Double> ab = spec.alphaBeta().forStructure(e.getKey());
            if (ab.isPresent()) {
                withAb.add(new TissueMap.StructureAlphaBeta(e.getValue(), ab.get(), shape));
            }
            if (s.isTarget()) {
                targets.add(e.getValue());
                targetShapes.add(shape);
            }
        }
        return TissueMap.fromStructures(grid, spec.alphaBeta().defaultGy(), withAb, targets, targetShapes);
    }

    /** A structure with its own alpha/beta, or a target: the alpha/beta and target maps need its occupancy. */
    private static boolean shapesTissueMap(CaseSpec spec, Structure s) {
        return spec.alphaBeta().forStructure(s.name()).isPresent() || s.isTarget();
    }

    private static OutputGrid outputGrid(CaseSpec spec) {
        OutputGridSpec g = spec.outputGrid();
        return switch (g.kind()) {
            case CURRENT -> new OutputGrid.Current();
            case UNION -> new OutputGrid.Union();
            case SPACING -> new OutputGrid.Spacing(g.spacingMm());
        };
    }

    private static CourseTimeline timeline(CaseSpec spec, CaseInputs in) {
        return resourced(spec, () -> CourseTimeline.of(in.engineCourses(), spec.forgiveness()));
    }

    private static GridGeometry outputGrid(CaseSpec spec, CourseTimeline timeline, OutputGrid choice) {
        return resourced(spec, () -> PlanSum.resolveOutputGrid(timeline, choice));
    }

    /** Engine errors name case fields (courses[1].endDate); in the CLI they also name the case file. */
    private static <T> T resourced(CaseSpec spec, Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidInputException e) {
            String s = e.source();
            if (s != null && !s.isEmpty() && !s.contains(".dcm") && !s.startsWith(spec.displayCaseFile())) {
                throw e.withSource(spec.source(s));
            }
            throw e;
        }
    }

    static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Roles and course facts, for deciding which statistics constraints need. */
    private record RolesOnly(Map<Role, String> roles, Set<String> contoured, boolean hasPriorCourse,
                             OptionalDouble intervalMonths, ForgivenessSchedule forgiveness,
                             String intervalEndEstimated) implements ConstraintInputs {
        /** The course facts taken from the timeline, which (with its dose grids) is not kept. */
        RolesOnly(Map<Role, String> roles, Set<String> contoured, CourseTimeline timeline) {
            this(roles, contoured, timeline.size() > 1, latestPrior(timeline), timeline.forgiveness());
        }

        private RolesOnly(Map<Role, String> roles, Set<String> contoured, boolean hasPriorCourse,
                          ScheduledCourse latestPrior, ForgivenessSchedule forgiveness) {
            this(roles, contoured, hasPriorCourse, latestPrior == null ? OptionalDouble.empty()
                    : OptionalDouble.of(latestPrior.intervalMonths()), forgiveness,
                    latestPrior != null && latestPrior.endDateEstimated() ? latestPrior.label() : null);
        }

        /**
         * The prior course the interval to reirradiation runs from (the shortest interval: the latest end), or null
         * when there is none or the dates are not all in the case.
         */
        private static ScheduledCourse latestPrior(CourseTimeline timeline) {
            ScheduledCourse latest = null;
            for (ScheduledCourse c : timeline.courses()) {
                if (!c.current()) {
                    if (c.course().startDate() == null || timeline.current().course().startDate() == null) {
                        return null;
                    }
                    if (latest == null || c.intervalDays() < latest.intervalDays()) {
                        latest = c;
                    }
                }
            }
            return latest;
        }

        @Override
        public Optional<String> structureFor(Role role) {
            return Optional.ofNullable(roles.get(role));
        }

        @Override
        public boolean hasStructure(String name) {
            return contoured.contains(name);
        }

        @Override
        public Optional<String> structureNamed(String name) {
            if (contoured.contains(name)) {
                return Optional.of(name);
            }
            for (String s : contoured) {
                if (Structure.sameName(s, name)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        @Override
        public Double value(String structure, String statistic, String unit, double alphaBeta, ValueScope scope) {
            return null;
        }
    }

    /** A structure's volume inside and outside the output grid (cc). */
    private record GridVolumes(double insideCc, double outsideCc) {
    }

    /** The computed statistics, as constraint evaluation reads them. */
    private record Evaluated(RolesOnly facts, Map<String, StructureStatistics> stats, String currentLabel,
                             Map<String, GridVolumes> volumes) implements ConstraintInputs {
        @Override
        public ForgivenessSchedule forgiveness() {
            return facts.forgiveness();
        }

        @Override
        public String intervalEndEstimated() {
            return facts.intervalEndEstimated();
        }

        @Override
        public double outsideGridCc(String structure) {
            GridVolumes v = volumes.get(structure);
            return v == null ? 0 : v.outsideCc();
        }

        @Override
        public double insideGridCc(String structure) {
            GridVolumes v = volumes.get(structure);
            return v == null ? Double.NaN : v.insideCc();
        }

        @Override
        public Optional<String> structureFor(Role role) {
            return facts.structureFor(role);
        }

        @Override
        public boolean hasStructure(String name) {
            return facts.hasStructure(name);
        }

        @Override
        public Optional<String> structureNamed(String name) {
            return facts.structureNamed(name);
        }

        @Override
        public boolean hasPriorCourse() {
            return facts.hasPriorCourse();
        }

        @Override
        public OptionalDouble intervalMonths() {
            return facts.intervalMonths();
        }

        @Override
        public Double value(String structure, String statistic, String unit, double alphaBeta, ValueScope scope) {
            StructureStatistics st = stats.get(key(structure, alphaBeta));
            if (st == null) {
                return null;
            }
            DoseStatistic d = DoseStatistic.parse(statistic, "constraint statistic");
            StatisticUnit u = null;
            for (StatisticUnit x : d.units()) {
                if (x.symbol().equals(unit)) {
                    u = x;
                }
            }
            if (u == null) {
                return null;
            }
            Scope s = switch (scope) {
                case CURRENT_COURSE -> Scope.course(currentLabel);
                case PLAN_SUM -> Scope.PLAN_SUM;
                case PLAN_SUM_UNFORGIVEN -> Scope.PLAN_SUM_UNFORGIVEN;
                case SUMMARY_SUM -> Scope.SUMMARY_SUM;
                case SUMMARY_SUM_UNFORGIVEN -> Scope.SUMMARY_SUM_UNFORGIVEN;
            };
            if (!st.has(d, s)) {
                return null;
            }
            return st.value(d, u, s);
        }
    }
}
