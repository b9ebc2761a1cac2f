package dev.eqd2sum.io.report;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.eqd2sum.engine.constraint.ConstraintResult;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
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
                number(g, "alphaBeta", c.alphaBeta());
                g.writeStringField("scope", c.scope().key());
                g.writeStringField("method", c.method() == null ? null : c.method().key());
                g.writeStringField("comparator", c.comparison().symbol());
                number(g, "limit", c.limit());
                g.writeStringField("unit", c.unit());
                number(g, "value", c.value());
                number(g, "margin", c.margin());
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

    /**
     * dvh.json's 6 decimals; from 1e15 on in scientific notation ("1E+308"), where those digits run to hundreds
     * (the constraint file reader bounds limits, this keeps any other huge number short).
     */
    static void number(JsonGenerator g, String name, Double v) throws IOException {
        if (v != null && Double.isFinite(v) && Math.abs(v) >= 1e15) {
            g.writeFieldName(name);
            g.writeNumber(BigDecimal.valueOf(v).stripTrailingZeros().toString());
        } else {
            DvhJsonWriter.number(g, name, v);
        }
    }
}
