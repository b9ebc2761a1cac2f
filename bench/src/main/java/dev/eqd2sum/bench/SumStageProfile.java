package dev.eqd2sum.bench;

import dev.eqd2sum.engine.course.Course;
import dev.eqd2sum.engine.course.CourseDose;
import dev.eqd2sum.engine.course.CourseTimeline;
import dev.eqd2sum.engine.course.DoseComponent;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.course.ScheduledCourse;
import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.dvh.CourseInfo;
import dev.eqd2sum.engine.dvh.DoseStatistic;
import dev.eqd2sum.engine.dvh.Scope;
import dev.eqd2sum.engine.dvh.StructureDoseSamples;
import dev.eqd2sum.engine.dvh.StructureStatistics;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.engine.plansum.CourseDoseSampler;
import dev.eqd2sum.engine.plansum.OutputGrid;
import dev.eqd2sum.engine.plansum.PlanSum;
import dev.eqd2sum.engine.plansum.TissueMap;
import dev.eqd2sum.engine.structure.RasterOptions;
import dev.eqd2sum.engine.structure.Rasteriser;
import dev.eqd2sum.engine.structure.Structure;
import dev.eqd2sum.engine.structure.StructureMask;
import dev.eqd2sum.io.rt.RtDose;
import dev.eqd2sum.io.rt.RtDoseReader;
import dev.eqd2sum.io.rt.RtDoseWriter;
import dev.eqd2sum.io.rt.RtPlanReader;
import dev.eqd2sum.io.rt.RtStructureSet;
import dev.eqd2sum.io.rt.RtStructureSetReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Time budget of the {@code sum} pipeline per stage on a case written by
 * {@link GenerateComparisonCase}, each stage beside its floor: the bytes it must move at the
 * array-copy bandwidth measured in the same run (issue "Performance"). The stages are those of
 * {@code eqd2sum sum} (read the doses, the structure set and plans; rasterise; alpha/beta and
 * target maps; the fused plan sum; per-structure gathering and statistics in every scope; write the
 * RT Dose), called here one by one through the engine and io APIs so each can be timed alone.
 * The first repetition is the cold one (a fresh JVM, as the command line sees it); the median of
 * the others is the warm figure.
 *
 * <p>Usage: {@code SumStageProfile CASE_DIR [repetitions] [backend] [threads]}
 */
public final class SumStageProfile {
    private SumStageProfile() {
    }

    /** One stage: its name, the bytes it must read and write at least, and its times (ns). */
    private static final class Stage {
        final String name;
        final String floorBasis;
        long floorBytes;
        final List<Long> nanos = new ArrayList<>();

        Stage(String name, String floorBasis) {
            this.name = name;
            this.floorBasis = floorBasis;
        }
    }

    private final Map<String, Stage> stages = new LinkedHashMap<>();

    private Stage stage(String name, String floorBasis) {
        return stages.computeIfAbsent(name, n -> new Stage(n, floorBasis));
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private <T> T time(String name, String floorBasis, long floorBytes, Work<T> work) throws Exception {
        Stage s = stage(name, floorBasis);
        s.floorBytes = floorBytes;
        long t0 = System.nanoTime();
        T result = work.run();
        s.nanos.add(System.nanoTime() - t0);
        return result;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: SumStageProfile CASE_DIR [repetitions] [backend] [threads]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String backend = args.length > 2 ? args[2] : "auto";
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        SumStageProfile p = new SumStageProfile();
        Path out = Files.createTempDirectory("eqd2sum-stage-profile");
        for (int r = 0; r < reps; r++) {
            p.once(dir, out, backend, threads);
        }
        double copyGBs = copyBandwidthGBs(6_000_000);
        p.print(reps, backend, threads, copyGBs);
        try (var files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(out);
    }

    private void once(Path dir, Path out, String backend, int threads) throws Exception {
        long total0 = System.nanoTime();
        Path currentFile = dir.resolve("current/RD.dcm");
        Path priorFile = dir.resolve("prior/RD.dcm");
        long currentBytes = Files.size(currentFile);
        long priorBytes = Files.size(priorFile);
        RtDose current = time("read RT Dose (current)", "file bytes + 4 B/voxel float written", 0,
                () -> RtDoseReader.read(currentFile));
        stage("read RT Dose (current)", "").floorBytes = currentBytes + 4L * current.grid().doseGy().length;
        RtDose prior = time("read RT Dose (prior)", "file bytes + 4 B/voxel float written", 0,
                () -> RtDoseReader.read(priorFile));
        stage("read RT Dose (prior)", "").floorBytes = priorBytes + 4L * prior.grid().doseGy().length;
        long rsBytes = Files.size(dir.resolve("RS.dcm"));
        RtStructureSet rs = time("read RT Struct + RT Plans", "file bytes", rsBytes, () -> {
            RtPlanReader.read(dir.resolve("prior/RP.dcm"));
            RtPlanReader.read(dir.resolve("current/RP.dcm"));
            return RtStructureSetReader.read(dir.resolve("RS.dcm"));
        });

        CourseTimeline timeline = CourseTimeline.of(List.of(
                Course.of("cEBRT", new CourseDose.Grids(List.of(DoseComponent.plan(prior.grid()))), 10,
                        LocalDate.parse("2023-02-27"), LocalDate.parse("2023-03-10")),
                Course.of("reSBRT", new CourseDose.Grids(List.of(DoseComponent.plan(current.grid()))), 3,
                        LocalDate.parse("2024-05-06"), null)), ForgivenessSchedule.nelson2009());
        GridGeometry grid = current.grid().geometry();
        int n = grid.voxelCount();

        List<Structure> structures = rs.structures();
        RasterOptions options = RasterOptions.forStructureSet(structures);
        Map<String, StructureMask> masks = time("rasterise (3 structures)", "occupancy written: 8 B/run + 8 B/boundary voxel + 16 B/sample", 0, () -> {
            Map<String, StructureMask> m = new LinkedHashMap<>();
            for (Structure s : structures) {
                m.put(s.name(), Rasteriser.rasterise(s, grid, options));
            }
            return m;
        });
        long maskBytes = 0;
        for (StructureMask m : masks.values()) {
            maskBytes += 8L * m.runStart().length + 8L * m.partialIndex().length + 16L * m.samples().count();
        }
        stage("rasterise (3 structures)", "").floorBytes = maskBytes;
        if (stages.get("rasterise (3 structures)").nanos.size() == 1) {
            for (Map.Entry<String, StructureMask> e : masks.entrySet()) {
                StructureMask m = e.getValue();
                System.err.printf(Locale.ROOT, "%s: %d interior voxels in %d runs, %d boundary voxels, %d sample points, %.1f cc%n",
                        e.getKey(), m.interiorVoxelCount(), m.runStart().length, m.partialIndex().length,
                        m.samples().count(), m.samples().totalVolumeCc());
            }
        }

        TissueMap tissue = time("alpha/beta + target maps", "5 B/voxel written (float a/b, byte target)", 5L * n, () ->
                TissueMap.fromStructures(grid, 3.0, List.of(
                        new TissueMap.StructureAlphaBeta(masks.get("SpinalCord"), 2.0),
                        new TissueMap.StructureAlphaBeta(masks.get("PTV_High"), 10.0)), List.of(masks.get("PTV_High"))));

        KernelProvider.Selection selection = time("kernel selection", "-", 0, () -> KernelProvider.select(backend, n));
        PlanSum planSum = PlanSum.prepare(timeline, new OutputGrid.Current(), selection.kernels(), threads);
        // current: dose read 4 + acc write 4 (first course zero-filled by new) ... counted as: acc 4 (alloc zero) +
        // prior pass: acc r/w 8 + ab map 4 + target 1 + prior (cache resident) ; current pass: dose 4 + acc r/w 8 + ab 4
        long planSumBytes = (long) n * (4 + 8 + 4 + 1 + 4 + 8 + 4) + 4L * prior.grid().doseGy().length;
        DoseGrid eqd2 = time("plan sum (EQD2 map)", "acc zeroed 4 + prior pass (acc r/w 8, a/b 4, target 1) + current pass (dose 4, acc r/w 8, a/b 4) B/voxel",
                planSumBytes, () -> planSum.eqd2(tissue));

        String[][] pairs = {{"External", "3"}, {"SpinalCord", "2"}, {"SpinalCord", "3"}, {"PTV_High", "10"}};
        List<DoseStatistic> wanted = DoseStatistic.parseAll(
                List.of("Dmax", "D0.03cc", "D0.1cc", "D1cc", "Dmean", "Dmin", "V20Gy", "D95%"), "statistics");
        CourseDoseSampler sampler = planSum.sampler();
        List<CourseInfo> infos = new ArrayList<>();
        for (ScheduledCourse c : sampler.courses()) {
            infos.add(new CourseInfo(c.label(), c.conversionFractions(), c.normalTissueWeight(), c.current()));
        }
        long gatherBytes = 0;
        for (String[] pair : pairs) {
            gatherBytes += 16L * masks.get(pair[0]).samples().count() + 8L * masks.get(pair[0]).samples().count();
        }
        Map<String, float[][]> doses = time("gather course doses at samples", "16 B/sample read + 4 B/sample/course written",
                gatherBytes, () -> {
                    Map<String, float[][]> d = new LinkedHashMap<>();
                    for (String name : masks.keySet()) {
                        d.put(name, sampler.physicalDose(masks.get(name).samples()));
                    }
                    return d;
                });
        long statBytes = 0;
        for (String[] pair : pairs) {
            statBytes += (4L + 8L) * masks.get(pair[0]).samples().count();
        }
        time("statistics, every scope (4 pairs)", "per pair: samples' volume 4 + doses 4/course B read", statBytes, () -> {
            for (String[] pair : pairs) {
                StructureMask m = masks.get(pair[0]);
                StructureStatistics.compute(StructureDoseSamples.of(m.samples(), doses.get(pair[0])), infos,
                        Double.parseDouble(pair[1]), pair[0].startsWith("PTV"), wanted, Set.of(Scope.PLAN_SUM), true);
            }
            return null;
        });
        Path target = out.resolve("plan-sum-eqd2.dcm");
        time("write RT Dose (32-bit)", "4 B/voxel read + 4 B/voxel file written", 8L * n, () ->
                RtDoseWriter.writeEqd2PlanSum(target, eqd2, RtDoseWriter.Eqd2Export.fromCurrentCourse(current,
                        List.of(), List.of(), "alpha/beta by structure, default 3 Gy", true, 32)));
        stage("total", "sum of the floors above").nanos.add(System.nanoTime() - total0);
    }

    private void print(int reps, String backend, int threads, double copyGBs) {
        long floorTotal = 0;
        for (Stage s : stages.values()) {
            if (!s.name.equals("total")) {
                floorTotal += s.floorBytes;
            }
        }
        stages.get("total").floorBytes = floorTotal;
        System.out.printf(Locale.ROOT, "SumStageProfile: %d repetitions, backend %s, %d threads, %d cores, JDK %s%n",
                reps, backend, threads, Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf(Locale.ROOT, "array copy bandwidth (same run, 24 MB float[], read + write counted): %.1f GB/s%n%n", copyGBs);
        System.out.println("| stage | cold ms (run 1) | warm ms (median of runs 2..) | floor MB moved | floor ms at copy bandwidth | warm / floor | floor basis |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Stage s : stages.values()) {
            double cold = s.nanos.get(0) / 1e6;
            double warm = median(s.nanos.subList(Math.min(1, s.nanos.size() - 1), s.nanos.size())) / 1e6;
            double floorMs = s.floorBytes / (copyGBs * 1e9) * 1e3;
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f | %s | %s |%n", s.name, cold, warm,
                    s.floorBytes / 1e6, floorMs, floorMs > 0 ? String.format(Locale.ROOT, "%.1fx", warm / floorMs) : "-",
                    s.floorBasis);
        }
    }

    private static double median(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    /** Best of 20 copies of a float[] of {@code n} values, counting bytes read plus written (GB/s). */
    static double copyBandwidthGBs(int n) {
        float[] a = new float[n];
        float[] b = new float[n];
        Arrays.fill(a, 1f);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 20; r++) {
            long t0 = System.nanoTime();
            System.arraycopy(a, 0, b, 0, n);
            best = Math.min(best, System.nanoTime() - t0);
        }
        if (b[n - 1] != 1f) {
            throw new AssertionError();
        }
        return 8.0 * n / best;
    }
}
