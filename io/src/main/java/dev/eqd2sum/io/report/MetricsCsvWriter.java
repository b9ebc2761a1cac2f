package dev.eqd2sum.io.report;

import dev.eqd2sum.io.report.CaseResult.StatisticReport;
import dev.eqd2sum.io.report.CaseResult.StructureReport;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes metrics.csv (CONTRACT): {@code case_id,structure,alpha_beta,statistic,unit,scope,value}, one row per
 * statistic and scope. Physical rows do not depend on alpha/beta, so they appear once per structure with an
 * empty alpha_beta cell. Summary scopes exist for dose statistics only. Rows are sorted by structure,
 * alpha/beta (empty first), statistic, scope, unit, each compared as text except alpha/beta (numeric).
 */
public final class MetricsCsvWriter {
    public static final String HEADER = "case_id,structure,alpha_beta,statistic,unit,scope,value";

    private MetricsCsvWriter() {
    }

    /** One metrics.csv row, before formatting. {@code alphaBeta} is null for physical rows. */
    public record Row(String caseId, String structure, Double alphaBeta, String statistic, String unit, String scope,
                      Double value) {
        public String format() {
            StringBuilder sb = new StringBuilder();
            Csv.row(sb, caseId, structure, Numbers.csv(alphaBeta), statistic, unit, scope, Numbers.csv(value));
            return sb.toString();
        }
    }

    /** By structure, alpha/beta (none first), statistic, scope and unit. */
    static final Comparator<Row> ORDER = new RowOrder();

    /**
     * Written out rather than composed with Comparator.comparing/thenComparing, whose lambdas inside the JDK are
     * spun on first use in every fresh JVM (the start-up cache does not keep them).
     */
    private static final class RowOrder implements Comparator<Row> {
        @Override
        public int compare(Row a, Row b) {
            int c = a.structure().compareTo(b.structure());
            if (c == 0) {
                c = a.alphaBeta() == null || b.alphaBeta() == null
                        ? Boolean.compare(b.alphaBeta() == null, a.alphaBeta() == null)
                        : a.alphaBeta().compareTo(b.alphaBeta());
            }
            if (c == 0) {
                c = a.statistic().compareTo(b.statistic());
            }
            if (c == 0) {
                c = a.scope().compareTo(b.scope());
            }
            return c != 0 ? c : a.unit().compareTo(b.unit());
        }
    }

    /** The rows of one case, sorted. Cohorts concatenate these. */
    public static List<Row> rows(CaseResult r) {
        List<Row> rows = new ArrayList<>();
        Set<String> physicalSeen = new HashSet<>();
        for (StructureReport s : r.structures()) {
            for (StatisticReport st : s.statistics()) {
                boolean dose = st.statistic().startsWith("D");
                String id = r.caseId();
                rows.add(new Row(id, s.name(), s.alphaBeta(), st.statistic(), st.unit(), "plan_sum", st.planSum()));
                rows.add(new Row(id, s.name(), s.alphaBeta(), st.statistic(), st.unit(), "plan_sum_unforgiven",
                        st.planSumUnforgiven()));
                if (dose) {
                    rows.add(new Row(id, s.name(), s.alphaBeta(), st.statistic(), st.unit(), "summary_sum", st.summarySum()));
                    rows.add(new Row(id, s.name(), s.alphaBeta(), st.statistic(), st.unit(), "summary_sum_unforgiven",
                            st.summarySumUnforgiven()));
                }
                for (Map.Entry<String, Double> e : st.courses().entrySet()) {
                    rows.add(new Row(id, s.name(), s.alphaBeta(), st.statistic(), st.unit(), "course:" + e.getKey(),
                            e.getValue()));
                }
                if (physicalSeen.add(s.name() + "\u0000" + st.key())) {
                    rows.add(new Row(id, s.name(), null, st.statistic(), st.unit(), "plan_sum_physical",
                            st.planSumPhysical()));
                    for (Map.Entry<String, Double> e : st.coursesPhysical().entrySet()) {
                        rows.add(new Row(id, s.name(), null, st.statistic(), st.unit(), "course_physical:" + e.getKey(),
                                e.getValue()));
                    }
                }
            }
        }
        rows.sort(ORDER);
        return rows;
    }

    public static void write(CaseResult r, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(r, w);
        }
    }

    public static void write(CaseResult r, Writer w) throws IOException {
        w.write(HEADER);
        w.write('\n');
        for (Row row : rows(r)) {
            w.write(row.format());
        }
    }
}
