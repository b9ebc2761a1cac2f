package dev.eqd2sum.io.casefile;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.constraint.Comparison;
import dev.eqd2sum.engine.constraint.Constraint;
import dev.eqd2sum.engine.constraint.ConstraintScope;
import dev.eqd2sum.engine.constraint.EvaluationMethod;
import dev.eqd2sum.engine.constraint.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConstraintFileReaderTest {
    @TempDir
    Path dir;

    private List<Constraint> read(String constraintJson) throws IOException {
        Path f = dir.resolve("limits.json");
        Files.writeString(f, "{\"schemaVersion\": 1, \"name\": \"mine\", \"constraints\": [" + constraintJson + "]}");
        return ConstraintFileReader.read(f, "pt/limits.json");
    }

    private void fails(String json, String source, String part) {
        assertThatThrownBy(() -> read(json)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.source()).isEqualTo(source);
            assertThat(e.problem()).contains(part);
        });
    }

    @Test
    void theBuiltInSetHasTheStudysCriteria() {
        List<Constraint> set = ConstraintSets.builtIn(ConstraintSets.SPINE_REIRRADIATION);
        assertThat(set).extracting(Constraint::id).containsExactly("sahgal2012-1", "sahgal2012-2", "sahgal2012-3",
                "sahgal2012-4", "nelson2009", "kowalchuk2024-ptv-dmin");
        assertThat(set.get(0).scope()).isEqualTo(ConstraintScope.INTERVAL);
        assertThat(set.get(0).comparison()).isEqualTo(Comparison.GREATER_OR_EQUAL);
        assertThat(set.get(0).limit()).isEqualTo(5);
        assertThat(set.get(1).role()).isEqualTo(Role.THECAL_SAC);
        assertThat(set.get(1).fallbackRoles()).containsExactly(Role.CORD);
        assertThat(set.subList(1, 5)).allSatisfy(c -> assertThat(c.comparison()).isEqualTo(Comparison.LESS));
        assertThat(set.subList(1, 5)).extracting(Constraint::limit).containsExactly(25.0, 70.0, 50.0, 50.0);
        assertThat(set.get(3).unit()).isEqualTo("%");
        assertThat(set.get(4).alphaBeta()).isEqualTo(3.0);
        assertThat(set.get(4).scope()).isEqualTo(ConstraintScope.CUMULATIVE_FORGIVEN);
        assertThat(set.get(5).statistic()).isEqualTo("Dmin");
        assertThat(set.get(5).alphaBeta()).isEqualTo(10.0);
        assertThat(set.get(5).limit()).isEqualTo(32.2);
        assertThat(set.subList(1, 6)).allSatisfy(c -> assertThat(c.methods())
                .containsExactly(EvaluationMethod.VOXELWISE, EvaluationMethod.SUMMARY));
    }

    @Test
    void aUserConstraint() throws IOException {
        Constraint c = read("{\"id\": \"eso\", \"structure\": \"Esophagus\", \"statistic\": \"D2cc\", \"alphaBeta\": 3,"
                + " \"scope\": \"cumulativeForgiven\", \"method\": \"voxelwise\", \"comparator\": \"<=\", \"limit\": 60,"
                + " \"unit\": \"Gy\"}").getFirst();
        assertThat(c.structure()).isEqualTo("Esophagus");
        assertThat(c.methods()).containsExactly(EvaluationMethod.VOXELWISE);
        assertThat(read("{\"id\": \"v\", \"role\": \"cord\", \"statistic\": \"V20Gy\", \"alphaBeta\": 2,"
                + " \"scope\": \"course\", \"comparator\": \"<\", \"limit\": 1, \"unit\": \"cc\"}").getFirst().unit())
                .isEqualTo("cc");
    }

    @Test
    void badConstraintsNameTheField() {
        String base = "\"id\": \"x\", \"role\": \"cord\", \"statistic\": \"Dmax\", \"alphaBeta\": 2, \"scope\": \"course\","
                + " \"comparator\": \"<\", \"limit\": 25";
        fails("{" + base + ", \"unit\": \"Gy\", \"sign\": 1}", "pt/limits.json: constraints[0].sign", "unknown field");
        fails("{" + base + ", \"unit\": \"cGy\"}", "pt/limits.json: constraints[0].unit", "must be \"Gy\"");
        fails("{" + base.replace("\"course\"", "\"total\"") + ", \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[0].scope", "not a scope");
        fails("{" + base.replace("\"<\"", "\"=<\"") + ", \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[0].comparator", "not a comparator");
        fails("{" + base.replace("\"cord\"", "\"Cord\"") + ", \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[0].role", "not a role");
        fails("{" + base.replace("\"Dmax\"", "\"Dmax2\"") + ", \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[0].statistic", "unknown statistic");
        fails("{" + base.replace(", \"alphaBeta\": 2", "") + ", \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[0].alphaBeta", "is required");
        fails("{" + base.replace("\"alphaBeta\": 2", "\"alphaBeta\": 1e6") + ", \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[0].alphaBeta", "must lie between 0.01 and 10000 Gy");
        fails("{" + base + ", \"unit\": \"Gy\"}, {" + base + ", \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[1].id", "unique");
        fails("{\"id\": \"i\", \"scope\": \"interval\", \"comparator\": \">=\", \"limit\": 5, \"unit\": \"months\","
                + " \"alphaBeta\": 2}", "pt/limits.json: constraints[0].alphaBeta", "does not apply");
        fails("{" + base + ", \"unit\": \"Gy\", \"method\": \"both ways\"}", "pt/limits.json: constraints[0].method",
                "not a method");
    }
}
