package dev.eqd2sum.io.report;

import dev.eqd2sum.engine.constraint.ConstraintResult;
import dev.eqd2sum.io.report.CaseResult.CourseReport;
import dev.eqd2sum.io.report.CaseResult.StatisticReport;
import dev.eqd2sum.io.report.CaseResult.StructureReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The short table for the person at the console: courses, the key statistics of each structure (voxel-wise
 * plan sum beside the summary sum), where the maxima lie, and each constraint's verdict.
 */
public final class ConsoleTable {
    /** The statistics shown per structure, when the case computed them. */
    static final List<String> KEY_STATISTICS = List.of("Dmax", "D0.03cc", "Dmean", "Dmin");

    private ConsoleTable() {
    }

    public static String render(CaseResult r) {
        StringBuilder out = new StringBuilder();
        out.append("eqd2sum ").append(r.toolVersion()).append(" - case ").append(printable(r.caseId()))
                .append(" - backend ").append(r.backend()).append(" - forgiveness ").append(r.forgiveness())
                .append('\n');

        out.append("\nCourses\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"course", "fx", "start", "end", "interval", "EQD2 reduction"});
        for (CourseReport c : r.courses()) {
            String end = c.endDate() == null ? "-" : c.endDate() + (c.endDateEstimated() ? " (est.)" : "");
            String interval = c.current() ? "current" : c.intervalDays() == null ? "-"
                    : String.format(Locale.ROOT, "%d d (%.2f months)", c.intervalDays(), c.intervalMonths());
            String reduction = c.current() ? "-" : String.format(Locale.ROOT, "%s %%", Numbers.plain(
                    Math.round(c.reduction() * 10000) / 100.0));
            rows.add(new String[] {c.label(), Integer.toString(c.fractions()),
                    c.startDate() == null ? "-" : c.startDate(), end, interval, reduction});
        }
        table(out, rows);

        if (!r.structures().isEmpty()) {
            out.append("\nStructures: EQD2 in Gy; voxel-wise plan sum beside the sum of per-course values (summary)\n");
            rows = new ArrayList<>();
            rows.add(new String[] {"structure", "a/b", "statistic", "plan sum", "unforgiven", "summary",
                    "summary unforgiven", "physical"});
            for (StructureReport s : r.structures()) {
                boolean first = true;
                for (String key : KEY_STATISTICS) {
                    StatisticReport st = find(s, key);
                    if (st == null) {
                        continue;
                    }
                    rows.add(new String[] {first ? s.name() + (s.target() ? " (target)" : "") : "",
                            first ? Numbers.plain(s.alphaBeta()) : "", key, Numbers.twoDecimals(st.planSum()),
                            Numbers.twoDecimals(st.planSumUnforgiven()), Numbers.twoDecimals(st.summarySum()),
                            Numbers.twoDecimals(st.summarySumUnforgiven()), Numbers.twoDecimals(st.planSumPhysical())});
                    first = false;
                }
            }
            table(out, rows);
            out.append("\nWhere the maxima lie (mm)\n");
            List<String> seen = new ArrayList<>();
            for (StructureReport s : r.structures()) {
                if (s.maxLocationMm().isEmpty() || seen.contains(s.name())) {
                    continue;
                }
                seen.add(s.name());
                StringBuilder line = new StringBuilder("  ").append(printable(s.name())).append(':');
                String sep = " ";
                for (Map.Entry<String, double[]> e : s.maxLocationMm().entrySet()) {
                    double[] p = e.getValue();
                    line.append(sep).append(e.getKey()).append(String.format(Locale.ROOT, " (%.1f, %.1f, %.1f)",
                            p[0], p[1], p[2]));
                    sep = "; ";
                }
                out.append(line).append('\n');
            }
        }

        if (!r.constraints().isEmpty()) {
            out.append("\nConstraints (point metric ").append(r.constraintMetric()).append(")\n");
            rows = new ArrayList<>();
            rows.add(new String[] {"verdict", "id", "method", "structure", "compared", "result", "deviations"});
            // each deviation once per constraint (both methods share most), numbered in the notes below the table
            List<String> notes = new ArrayList<>();
            for (ConstraintResult c : r.constraints()) {
                StringBuilder refs = new StringBuilder();
                for (String d : c.deviations()) {
                    String note = c.id() + ": " + d;
                    int n = notes.indexOf(note);
                    if (n < 0) {
                        notes.add(note);
                        n = notes.size() - 1;
                    }
                    refs.append(refs.isEmpty() ? "" : ",").append(n + 1);
                }
                rows.add(new String[] {verdict(c), c.id(), c.method() == null ? "-" : c.method().key(),
                        c.structure() == null ? "-" : c.structure(), compared(c), c.reason(), refs.toString()});
            }
            table(out, rows);
            long failed = r.constraints().stream().filter(c -> c.status() == ConstraintResult.Status.FAILED).count();
            long notEvaluated = r.constraints().stream()
                    .filter(c -> c.status() == ConstraintResult.Status.NOT_EVALUATED && !c.neverEvaluable()).count();
            long neverEvaluable = r.constraints().stream().filter(ConstraintResult::neverEvaluable).count();
            out.append(String.format(Locale.ROOT, "  %d of %d failed, %d not evaluated%s%n", failed,
                    r.constraints().size(), notEvaluated, neverEvaluable == 0 ? "" : String.format(Locale.ROOT,
                            " (and %d summary entries of volume statistics, which have no summary sum)",
                            neverEvaluable)));
            if (!notes.isEmpty()) {
                out.append("  deviations:\n");
                for (int n = 0; n < notes.size(); n++) {
                    out.append("  ").append(n + 1).append(". ").append(printable(notes.get(n))).append('\n');
                }
            }
        }
        if (!r.warnings().isEmpty()) {
            out.append("\nWarnings\n");
            for (String w : r.warnings()) {
                out.append("  - ").append(printable(w)).append('\n');
            }
        }
        return out.toString();
    }

    /** What the value is: "Dmax cumulative forgiven EQD2(3)", "V20Gy course EQD2(2)", "interval". */
    private static String compared(ConstraintResult c) {
        if (c.scope() == dev.eqd2sum.engine.constraint.ConstraintScope.INTERVAL) {
            return "interval";
        }
        String scope = switch (c.scope()) {
            case COURSE -> "current course";
            case CUMULATIVE -> "cumulative";
            case CUMULATIVE_FORGIVEN -> "cumulative forgiven";
            case RATIO -> "course/cumulative";
            case INTERVAL -> "interval";
        };
        return (c.metric() == null ? "" : c.metric() + " ") + scope
                + (c.alphaBeta() == null ? "" : " EQD2(" + Numbers.plain(c.alphaBeta()) + ")");
    }

    private static String verdict(ConstraintResult c) {
        return switch (c.status()) {
            case PASSED -> "pass";
            case FAILED -> "FAIL";
            case NOT_EVALUATED -> "n/a";
        };
    }

    private static StatisticReport find(StructureReport s, String key) {
        for (StatisticReport st : s.statistics()) {
            if (st.key().equals(key)) {
                return st;
            }
        }
        return null;
    }

    /**
     * A value read from a file (a DICOM ROI name may hold an ESC, a warning may quote a file) with its control
     * characters shown as {@code \x1b}, as error lines do, so that it neither splits a row nor drives the terminal.
     */
    static String printable(String s) {
        return dev.eqd2sum.io.PrintableLine.escapeControls(s);
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                row[c] = printable(row[c]);
            }
        }
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < cols; c++) {
                line.append(row[c]);
                if (c < cols - 1) {
                    line.append(" ".repeat(width[c] - row[c].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
