package dev.eqd2sum.io.report;

import dev.eqd2sum.engine.constraint.Comparison;
import dev.eqd2sum.engine.constraint.ConstraintResult;
import dev.eqd2sum.engine.constraint.ConstraintScope;
import dev.eqd2sum.engine.constraint.EvaluationMethod;
import dev.eqd2sum.io.report.CaseResult.CourseReport;
import dev.eqd2sum.io.report.CaseResult.DvhCurve;
import dev.eqd2sum.io.report.CaseResult.InputFile;
import dev.eqd2sum.io.report.CaseResult.StatisticReport;
import dev.eqd2sum.io.report.CaseResult.StructureReport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-made result of two courses and one cord at two alpha/betas, for the writers' golden files. */
public final class SmallCaseResult {
    private SmallCaseResult() {
    }

    public static CaseResult build() {
        CourseReport prior = new CourseReport("cEBRT", false, 10, null, "2019-02-04", "2019-02-15", false, 613L,
                613 / 30.4375, 0.33, null, List.of(new InputFile("pt017/prior/RD.dcm", "2.25.1", "ab12")),
                "identity");
        CourseReport current = new CourseReport("reSBRT", true, 1, null, "2020-10-20", null, false, null, null, 0,
                null, List.of(new InputFile("pt017/current/RD.dcm", "2.25.2", "cd34")), "identity");
        StructureReport cord2 = new StructureReport("SpinalCord", "cord", 2.0, false, 4.71, 0.0,
                map("cEBRT", 0.0, "reSBRT", 0.0),
                new DvhCurve("planSum", 0.01, new double[] {0, 0.01, 0.02}, new double[] {4.71, 4.7, 4.5}),
                List.of(new StatisticReport("Dmax", "Gy", 59.0, 73.296, 42.8, 59.0, 73.296,
                                map("cEBRT", 43.296, "reSBRT", 30.0), map("cEBRT", 32.8, "reSBRT", 10.0)),
                        new StatisticReport("D2cc", "Gy", null, null, null, null, null,
                                map("cEBRT", null, "reSBRT", null), map("cEBRT", null, "reSBRT", null)),
                        new StatisticReport("V20Gy", "cc", 1.25, 1.5, 0.5, null, null,
                                map("cEBRT", 1.0, "reSBRT", 0.25), map("cEBRT", 0.75, "reSBRT", 0.0)),
                        new StatisticReport("V20Gy", "%", 26.5393, 31.8471, 10.6157, null, null,
                                map("cEBRT", 21.2314, "reSBRT", 5.3079), map("cEBRT", 15.9236, "reSBRT", 0.0))),
                Map.of("planSum", new double[] {0, 0, 0}));
        StructureReport cord3 = new StructureReport("SpinalCord", "cord", 3.0, false, 4.71, 0.0,
                map("cEBRT", 0.0, "reSBRT", 0.0), null,
                List.of(new StatisticReport("Dmax", "Gy", 53.6, 67.2, 42.8, 53.6, 67.2,
                        map("cEBRT", 41.2, "reSBRT", 26.0), map("cEBRT", 32.8, "reSBRT", 10.0))),
                Map.of());
        StructureReport ptv = new StructureReport("PTV, \"High\"", "ptvHigh", 10.0, true, 12.5, 0.25,
                map("cEBRT", 0.0, "reSBRT", 0.25), null,
                List.of(new StatisticReport("Dmin", "Gy", 40.0, 40.0, 20.0, 41.0, 41.0,
                        map("cEBRT", 10.0, "reSBRT", 31.0), map("cEBRT", 10.0, "reSBRT", 14.0))),
                Map.of());
        ConstraintResult c = new ConstraintResult("sahgal2012-2", "Reirradiation course alone", "Sahgal 2012",
                "SpinalCord", "cord", "Dmax", 2.0, ConstraintScope.COURSE, EvaluationMethod.VOXELWISE,
                Comparison.LESS, 25, "Gy", 30.0, -5.0, ConstraintResult.Status.FAILED, "30.00 Gy is not < 25 Gy",
                List.of("SpinalCord (spinal cord) used instead of the thecal sac"));
        ConstraintResult i = new ConstraintResult("sahgal2012-1", "Interval", "Sahgal 2012", null, null, "interval",
                null, ConstraintScope.INTERVAL, null, Comparison.GREATER_OR_EQUAL, 5, "months", 613 / 30.4375,
                613 / 30.4375 - 5, ConstraintResult.Status.PASSED, "20.14 months >= 5 months", List.of());
        ConstraintResult n = new ConstraintResult("kowalchuk2024-ptv-dmin", "PTV", "Kowalchuk 2024", null, null, "Dmin",
                10.0, ConstraintScope.COURSE, EvaluationMethod.SUMMARY, Comparison.GREATER_OR_EQUAL, 32.2, "Gy", null,
                null, ConstraintResult.Status.NOT_EVALUATED, "no contoured structure for the high-dose PTV", List.of());
        return new CaseResult("pt017-T1", "0.1.0", "0123456789ab", "scalar", new InputFile("pt017/case.json", null, "ef56"),
                new InputFile("pt017/RS.dcm", "2.25.3", "0789"), "nelson2009", "current", "Dmax",
                List.of(prior, current), List.of(cord2, cord3, ptv), List.of(c, i, n),
                List.of("course cEBRT: endDate estimated"));
    }

    private static Map<String, Double> map(String k1, Double v1, String k2, Double v2) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
