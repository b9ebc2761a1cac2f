package dev.eqd2sum.io.report;

import dev.eqd2sum.io.report.CaseResult.DvhCurve;
import dev.eqd2sum.io.report.CaseResult.StructureReport;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes dvh.csv (CONTRACT): the cumulative DVH curves in long format, one row per bin. */
public final class DvhCsvWriter {
    public static final String HEADER = "case_id,structure,alpha_beta,scope,dose_gy,volume_cc";

    private DvhCsvWriter() {
    }

    public static void write(CaseResult r, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(r, w);
        }
    }

    public static void write(CaseResult r, Writer w) throws IOException {
        w.write(HEADER);
        w.write('\n');
        StringBuilder sb = new StringBuilder();
        for (StructureReport s : r.structures()) {
            DvhCurve c = s.dvh();
            if (c == null) {
                continue;
            }
            String prefix = Csv.field(r.caseId()) + ',' + Csv.field(s.name()) + ',' + Numbers.csv(s.alphaBeta()) + ','
                    + Csv.field(scopeColumn(c.scope())) + ',';
            for (int b = 0; b < c.doseGy().length; b++) {
                sb.setLength(0);
                sb.append(prefix).append(Numbers.csv(c.doseGy()[b])).append(',').append(Numbers.csv(c.volumeCc()[b]))
                        .append('\n');
                w.write(sb.toString());
            }
        }
    }

    /** dvh.json's scope names (planSum) in metrics.csv's spelling (plan_sum), so both CSVs join. */
    static String scopeColumn(String scope) {
        return switch (scope) {
            case "planSum" -> "plan_sum";
            case "planSumUnforgiven" -> "plan_sum_unforgiven";
            case "planSumPhysical" -> "plan_sum_physical";
            default -> scope;
        };
    }
}
