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
                DvhJsonWriter.number(g, "limit", c.limit());
                g.writeStringField("unit", c.unit());
                DvhJsonWriter.number(g, "value", c.value());
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
