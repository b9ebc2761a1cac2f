package dev.eqd2sum.io.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eqd2sum.engine.constraint.ConstraintResult;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes constraints.json (CONTRACT): one entry per constraint and method. */
public final class ConstraintsJsonWriter {
    private ConstraintsJsonWriter() {
    }

    public static void write(CaseResult r, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(r, out);
        }
    }

    public static void write(CaseResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = DvhJsonWriter.generator(out)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 1);
            g.writeStringField("caseId", r.caseId());
            g.writeStringField("constraintMetric", r.constraintMetric());
            g.writeArrayFieldStart("constraints");
            for (ConstraintResult c : r.constraints()) {
                g.writeStartObject();
                g.writeStringField("id", c.id());
                g.writeStringField("description", c.description());
                g.writeStringField("citation", c.citation());
                g.writeStringField("structure", c.structure());
                g.writeStringField("role", c.role());
                g.writeStringField("metric", c.metric());
                DvhJsonWriter.number(g, "alphaBeta", c.alphaBeta());
                g.writeStringField("scope", c.scope().key());
                g.writeStringField("method", c.method() == null ? null : c.method().key());
                g.writeStringField("comparator", c.comparison().symbol());
                // the limit as written (any decimals), and the value to 6 decimals unless they would read the verdict
                // the other way round (a value within 5e-7 of its limit): then all its digits
                g.writeFieldName("limit");
                java.math.BigDecimal limit = java.math.BigDecimal.valueOf(c.limit()).stripTrailingZeros();
                g.writeNumber(Math.abs(c.limit()) >= 1e15 ? limit.toString() : limit.toPlainString());
                g.writeStringField("unit", c.unit());
                String value = Numbers.jsonText(c.value());
                if (value != null && !c.comparison().readsAlike(Double.parseDouble(value), c.value(), c.limit())) {
                    value = Double.toString(c.value());
                }
                if (value == null) {
                    g.writeNullField("value");
                } else {
                    g.writeFieldName("value");
                    g.writeNumber(value);
                }
                DvhJsonWriter.number(g, "margin", c.margin());
                g.writeStringField("status", c.status().key());
                if (c.passed() == null) {
                    g.writeNullField("passed");
                } else {
                    g.writeBooleanField("passed", c.passed());
                }
                g.writeStringField("reason", c.reason());
                g.writeArrayFieldStart("deviations");
                for (String d : c.deviations()) {
                    g.writeString(d);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
