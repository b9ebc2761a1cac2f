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
        // a course-scope volume limit by the summary method reads the current course: accepted
        assertThat(read("{\"id\": \"v\", \"role\": \"cord\", \"statistic\": \"V20Gy\", \"alphaBeta\": 2,"
                + " \"scope\": \"course\", \"method\": \"summary\", \"comparator\": \"<\", \"limit\": 1,"
                + " \"unit\": \"cc\"}").getFirst().methods()).containsExactly(EvaluationMethod.SUMMARY);
    }

    @Test
    void badConstraintsNameTheField() throws IOException {
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
        fails("{" + base.replace("\"Dmax\"", "\"V20Gy\"").replace("\"course\"", "\"cumulative\"")
                        + ", \"unit\": \"cc\", \"method\": \"summary\"}",
                "pt/limits.json: constraints[0].method", "\"summary\" does not apply to V20Gy: summary sums (per-course"
                        + " values added) exist for dose statistics only; use voxelwise or both");
        fails("{" + base + ", \"unit\": \"Gy\", \"published\": {\"forgiveness\": \"nelson\"}}",
                "pt/limits.json: constraints[0].published.forgiveness", "is not a schedule");
        fails("{" + base + ", \"unit\": \"Gy\", \"published\": {\"forgiveness\": 3}}",
                "pt/limits.json: constraints[0].published.forgiveness", "must be");
        // a published schedule given as null is not stated, as any optional field given as null
        assertThat(read("{" + base + ", \"unit\": \"Gy\", \"published\": {\"forgiveness\": null}}").getFirst()
                .published().forgiveness()).isNull();
    }

    @Test
    void aPublishedStatisticIsReadInTheReportsSpelling() throws IOException {
        // compared with the statistic used: "d0.030CC" written for D0.03cc named a false deviation
        String base = "\"id\": \"x\", \"role\": \"cord\", \"statistic\": \"D0.03cc\", \"alphaBeta\": 2,"
                + " \"scope\": \"course\", \"comparator\": \"<\", \"limit\": 10";
        for (String[] w : new String[][] {{"d0.030CC", "D0.03cc"}, {"dmax", "Dmax"}, {"pmax", "Pmax"},
                {"Pmax", "Pmax"}, {"D(max) of the plan", "D(max) of the plan"}}) {
            assertThat(read("{" + base + ", \"unit\": \"Gy\", \"published\": {\"statistic\": \"" + w[0] + "\"}}")
                    .getFirst().published().statistic()).as(w[0]).isEqualTo(w[1]);
        }
    }

    private static final String CORD = "\"role\": \"cord\", \"statistic\": \"D0.03cc\", \"alphaBeta\": 3,"
            + " \"scope\": \"cumulativeForgiven\", \"comparator\": \"<\", \"unit\": \"Gy\"";

    @Test
    void idsAndStructureNamesHoldNoControlCharacters() throws IOException {
        // the id is a console table row and a cohort-constraints.csv value; a structure name is echoed in reasons
        fails("{\"id\": \"a\\nb\", \"limit\": 50, " + CORD + "}", "pt/limits.json: constraints[0].id",
                "must not contain control characters");
        fails("{\"id\": \"a\\u001b[31mRED\", \"limit\": 50, " + CORD + "}", "pt/limits.json: constraints[0].id",
                "must not contain control characters");
        fails("{\"id\": \"a\\tb\", \"limit\": 50, " + CORD + "}", "pt/limits.json: constraints[0].id",
                "must not contain control characters");
        fails("{\"id\": \"x\", \"structure\": \"Eso\\u009bphagus\", \"statistic\": \"Dmax\", \"alphaBeta\": 3,"
                + " \"scope\": \"course\", \"comparator\": \"<\", \"limit\": 50, \"unit\": \"Gy\"}",
                "pt/limits.json: constraints[0].structure", "must not contain control characters");
        assertThat(read("{\"id\": \" cord \", \"limit\": 50, " + CORD + "}").getFirst().id()).isEqualTo("cord");
    }

    @Test
    void idsAreUniqueIgnoringCase() {
        // as course labels: results told apart by case alone in cohort-constraints.csv would be easy to mix up
        fails("{\"id\": \"a\", \"limit\": 50, " + CORD + "}, {\"id\": \"A\", \"limit\": 45, " + CORD + "}",
                "pt/limits.json: constraints[1].id", "\"A\" is used by another constraint; ids must be unique, ignoring");
    }

    @Test
    void limitsLieInPlausibleRangesPerUnit() throws IOException {
        String gy = "{\"id\": \"x\", " + CORD + ", \"limit\": ";
        fails(gy + "1e308}", "pt/limits.json: constraints[0].limit",
                "must lie between 0 and 10000 Gy (doses above 10000 Gy are refused in case files and RT Dose files),"
                        + " got 1.0E308");
        fails(gy + "10000.5}", "pt/limits.json: constraints[0].limit", "between 0 and 10000 Gy");
        assertThat(read(gy + "10000}").getFirst().limit()).isEqualTo(10000);
        assertThat(read(gy + "0}").getFirst().limit()).isZero();
        fails(gy + "1e-320}", "pt/limits.json: constraints[0].limit", "must be 0 or at least 0.000001 Gy");
        assertThat(read(gy + "0.000001}").getFirst().limit()).isEqualTo(1e-6);

        String v20 = "{\"id\": \"v\", \"role\": \"cord\", \"statistic\": \"V20Gy\", \"alphaBeta\": 2,"
                + " \"scope\": \"course\", \"comparator\": \"<\", ";
        fails(v20 + "\"unit\": \"%\", \"limit\": 250}", "pt/limits.json: constraints[0].limit",
                "must lie between 0 and 100 % (a percentage of a volume or of the cumulative dose), got 250");
        assertThat(read(v20 + "\"unit\": \"%\", \"limit\": 100}").getFirst().limit()).isEqualTo(100);
        fails(v20 + "\"unit\": \"cc\", \"limit\": 1e6}", "pt/limits.json: constraints[0].limit",
                "must lie between 0 and 100000 cc (100 litres, more than a whole patient's volume)");
        assertThat(read(v20 + "\"unit\": \"cc\", \"limit\": 250}").getFirst().limit()).isEqualTo(250);

        fails("{\"id\": \"r\", \"role\": \"cord\", \"statistic\": \"Dmax\", \"alphaBeta\": 2, \"scope\": \"ratio\","
                + " \"comparator\": \"<\", \"unit\": \"%\", \"limit\": 1e5}", "pt/limits.json: constraints[0].limit",
                "must lie between 0 and 100 %");
        String interval = "{\"id\": \"i\", \"scope\": \"interval\", \"comparator\": \">=\", \"unit\": \"months\","
                + " \"limit\": ";
        fails(interval + "1e6}", "pt/limits.json: constraints[0].limit",
                "must lie between 0 and 1200 months (100 years), got 1000000.0");
        assertThat(read(interval + "1200}").getFirst().limit()).isEqualTo(1200);
    }
}
