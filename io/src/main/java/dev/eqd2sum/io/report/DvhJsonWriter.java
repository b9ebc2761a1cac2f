package dev.eqd2sum.io.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.eqd2sum.io.report.CaseResult.CourseReport;
import dev.eqd2sum.io.report.CaseResult.InputFile;
import dev.eqd2sum.io.report.CaseResult.StatisticReport;
import dev.eqd2sum.io.report.CaseResult.StructureReport;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes dvh.json (CONTRACT, schemaVersion 1). Numbers rounded to 6 decimals; undefined values are null. */
public final class DvhJsonWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DvhJsonWriter() {
    }

    public static void write(CaseResult r, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(r, out);
        }
    }

    public static void write(CaseResult r, OutputStream out) throws IOException {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", 1);
            g.writeStringField("caseId", r.caseId());
            g.writeObjectFieldStart("tool");
            g.writeStringField("version", r.toolVersion());
            g.writeStringField("build", r.toolBuild());
            g.writeStringField("backend", r.backend());
            g.writeEndObject();
            if (r.caseFile() != null) {
                g.writeFieldName("caseFile");
                file(g, r.caseFile());
            }
            if (r.structureSet() != null) {
                g.writeFieldName("structureSet");
                file(g, r.structureSet());
            }
            g.writeStringField("forgiveness", r.forgiveness());
            g.writeStringField("outputGrid", r.outputGrid());
            g.writeStringField("constraintMetric", r.constraintMetric());
            g.writeArrayFieldStart("courses");
            for (CourseReport c : r.courses()) {
                course(g, c);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("structures");
            for (StructureReport s : r.structures()) {
                structure(g, s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("warnings");
            for (String w : r.warnings()) {
                g.writeString(w);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        g.setPrettyPrinter(pp);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        return g;
    }

    static void number(JsonGenerator g, String name, Double v) throws IOException {
        String text = Numbers.jsonText(v);
        if (text == null) {
            g.writeNullField(name);
        } else {
            g.writeFieldName(name);
            g.writeNumber(text);
        }
    }

    private static void file(JsonGenerator g, InputFile f) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", f.path());
        if (f.sopInstanceUid() != null) {
            g.writeStringField("sopInstanceUid", f.sopInstanceUid());
        }
        g.writeStringField("sha256", f.sha256());
        g.writeEndObject();
    }

    private static void course(JsonGenerator g, CourseReport c) throws IOException {
        g.writeStartObject();
        g.writeStringField("label", c.label());
        g.writeBooleanField("current", c.current());
        g.writeNumberField("fractions", c.fractions());
        if (c.fractionsPlanned() != null) {
            g.writeNumberField("fractionsPlanned", c.fractionsPlanned());
        }
        g.writeStringField("startDate", c.startDate());
        g.writeStringField("endDate", c.endDate());
        g.writeBooleanField("endDateEstimated", c.endDateEstimated());
        if (c.intervalDays() == null) {
            g.writeNullField("intervalDays");
            g.writeNullField("intervalMonths");
        } else {
            g.writeNumberField("intervalDays", c.intervalDays());
            g.writeNumberField("intervalMonths", BigDecimal.valueOf(c.intervalMonths()).setScale(2, RoundingMode.HALF_EVEN));
        }
        number(g, "reduction", c.reduction());
        if (c.uniformDoseGy() != null) {
            number(g, "uniformDoseGy", c.uniformDoseGy());
        }
        g.writeArrayFieldStart("files");
        for (InputFile f : c.files()) {
            file(g, f);
        }
        g.writeEndArray();
        g.writeStringField("transform", c.transform());
        g.writeEndObject();
    }

    private static void structure(JsonGenerator g, StructureReport s) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("role", s.role());
        number(g, "alphaBeta", s.alphaBeta());
        g.writeBooleanField("target", s.target());
        number(g, "volumeCc", s.volumeCc());
        number(g, "volumeOutsideGridCc", s.volumeOutsideGridCc());
        g.writeObjectFieldStart("outsideCourseGridCc");
        for (Map.Entry<String, Double> e : s.outsideCourseGridCc().entrySet()) {
            number(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
        if (s.dvh() != null) {
            g.writeObjectFieldStart("dvh");
            g.writeStringField("scope", s.dvh().scope());
            number(g, "binGy", s.dvh().binGy());
            array(g, "doseGy", s.dvh().doseGy());
            array(g, "volumeCc", s.dvh().volumeCc());
            g.writeEndObject();
        }
        g.writeObjectFieldStart("statistics");
        for (StatisticReport st : s.statistics()) {
            g.writeObjectFieldStart(st.key());
            g.writeStringField("unit", st.unit());
            number(g, "planSum", st.planSum());
            number(g, "planSumUnforgiven", st.planSumUnforgiven());
            number(g, "planSumPhysical", st.planSumPhysical());
            number(g, "summarySum", st.summarySum());
            number(g, "summarySumUnforgiven", st.summarySumUnforgiven());
            map(g, "courses", st.courses());
            map(g, "coursesPhysical", st.coursesPhysical());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeObjectFieldStart("maxLocationMm");
        for (Map.Entry<String, double[]> e : s.maxLocationMm().entrySet()) {
            array(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void map(JsonGenerator g, String name, Map<String, Double> values) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Double> e : values.entrySet()) {
            number(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void array(JsonGenerator g, String name, double[] values) throws IOException {
        g.writeArrayFieldStart(name);
        if (values != null) {
            for (double v : values) {
                String text = Numbers.jsonText(v);
                if (text == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(text);
                }
            }
        }
        g.writeEndArray();
    }
}
