package dev.eqd2sum.io.casefile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eqd2sum.engine.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every rule of CONTRACT's case section that the case file alone decides: one error naming file and field. */
class CaseFileReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DISPLAY = "pt017/case.json";

    @TempDir
    Path dir;
    Path caseFile;

    static final String EXAMPLE = """
            {
              "caseId": "pt017-T1",
              "structureSet": "RS.dcm",
              "courses": [
                { "label": "cEBRT", "dose": "prior/RD.dcm", "plan": "prior/RP.dcm",
                  "fractions": 10, "startDate": "2019-02-04", "endDate": "2019-02-15",
                  "registration": "prior/REG.dcm" },
                { "label": "reSBRT", "dose": ["current/RD_beam1.dcm", "current/RD_beam2.dcm"],
                  "fractions": 1, "startDate": "2020-10-20" }
              ],
              "alphaBeta": { "default": 3.0,
                             "byStructure": { "SpinalCord": 2.0, "PTV_High": 10.0, "PTV_Low": 10.0 } },
              "forgiveness": "nelson2009",
              "outputGrid": "current",
              "statistics": ["Dmax", "D0.03cc", "D0.1cc", "D1cc", "Dmean", "Dmin", "V20Gy", "D95%"],
              "constraints": "spine-reirradiation",
              "constraintMetric": "Dmax",
              "roles": { "cord": "SpinalCord", "ptvHigh": "PTV_High" },
              "endCaps": "halfSpacing",
              "exportAlphaBeta": [2, 10]
            }
            """;

    @BeforeEach
    void files() throws IOException {
        Path pt = Files.createDirectories(dir.resolve("pt017"));
        for (String f : List.of("RS.dcm", "prior/RD.dcm", "prior/RP.dcm", "prior/REG.dcm", "current/RD_beam1.dcm",
                "current/RD_beam2.dcm", "limits.json")) {
            Files.createDirectories(pt.resolve(f).getParent());
            Files.writeString(pt.resolve(f), "x");
        }
        caseFile = pt.resolve("case.json");
    }

    private CaseSpec read(String json) throws IOException {
        Files.writeString(caseFile, json, StandardCharsets.UTF_8);
        return CaseFileReader.read(caseFile, DISPLAY);
    }

    private CaseSpec readEdited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(EXAMPLE);
        edit.accept(root);
        return read(JSON.writeValueAsString(root));
    }

    private void fails(Consumer<ObjectNode> edit, String source, String problemPart) {
        assertThatThrownBy(() -> readEdited(edit))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.source()).isEqualTo(source);
                    assertThat(e.problem()).contains(problemPart);
                });
    }

    private static ObjectNode course(ObjectNode root, int i) {
        return (ObjectNode) root.get("courses").get(i);
    }

    @Test
    void readsTheContractExample() throws IOException {
        CaseSpec c = read(EXAMPLE);
        assertThat(c.caseId()).isEqualTo("pt017-T1");
        assertThat(c.courses()).hasSize(2);
        assertThat(c.currentCourse().label()).isEqualTo("reSBRT");
        assertThat(c.courses().get(1).displayDoseFiles()).containsExactly("pt017/current/RD_beam1.dcm",
                "pt017/current/RD_beam2.dcm");
        assertThat(c.courses().get(0).doseFiles().get(0)).isEqualTo(dir.resolve("pt017/prior/RD.dcm"));
        assertThat(c.alphaBeta().of("spinalcord ")).isEqualTo(2.0);
        assertThat(c.alphaBeta().of("External")).isEqualTo(3.0);
        assertThat(c.forgiveness().name()).isEqualTo("nelson2009");
        assertThat(c.constraints().builtInName()).isEqualTo("spine-reirradiation");
        assertThat(c.exportAlphaBeta()).containsExactly(2.0, 10.0);
        assertThat(c.endCaps()).isEqualTo(EndCaps.HALF_SPACING);
        CaseTimeline.CourseTiming prior = c.timeline().courses().get(0);
        assertThat(prior.intervalDays()).isEqualTo(613L);
        assertThat(prior.endDateEstimated()).isFalse();
    }

    @Test
    void defaults() throws IOException {
        CaseSpec c = readEdited(r -> {
            r.remove(List.of("outputGrid", "statistics", "constraints", "constraintMetric", "roles", "endCaps",
                    "exportAlphaBeta"));
            course(r, 0).remove("label");
        });
        assertThat(c.outputGrid()).isEqualTo(OutputGridSpec.CURRENT);
        assertThat(c.statistics()).isEqualTo(CaseSpec.DEFAULT_STATISTICS);
        assertThat(c.constraints()).isNull();
        assertThat(c.constraintMetric()).isEqualTo("Dmax");
        assertThat(c.endCaps()).isEqualTo(EndCaps.HALF_SPACING);
        assertThat(c.courses().get(0).label()).isEqualTo("course1");
    }

    @Test
    void unknownFieldsAreErrorsAtEveryLevel() {
        fails(r -> r.put("caseID", "x"), DISPLAY + ": caseID", "unknown field (did you mean \"caseId\"?)");
        fails(r -> course(r, 1).put("fraction", 1), DISPLAY + ": courses[1].fraction", "did you mean \"fractions\"");
        fails(r -> ((ObjectNode) r.get("alphaBeta")).put("defualt", 2), DISPLAY + ": alphaBeta.defualt", "unknown field");
        fails(r -> r.putObject("outputGrid").put("spacing", 2), DISPLAY + ": outputGrid.spacing", "unknown field");
        fails(r -> r.putObject("forgiveness").putArray("steps").addObject().put("afterMonths", 6).put("reduction", 0.2)
                .put("extra", 1), DISPLAY + ": forgiveness.steps[0].extra", "unknown field");
        fails(r -> ((ObjectNode) r.get("roles")).put("spinalCord", "SpinalCord"), DISPLAY + ": roles.spinalCord",
                "unknown role");
    }

    @Test
    void malformedJsonNamesTheFileAndLine() {
        assertThatThrownBy(() -> read("{ \"caseId\": \"a\",\n  \"courses\": [ }"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.source()).isEqualTo(DISPLAY);
                    assertThat(e.problem()).startsWith("is not valid JSON at line 2");
                });
        assertThatThrownBy(() -> read("{\n  \"caseId\": \"a\""))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problem())
                        .isEqualTo("is not valid JSON at line 2, column 16: Unexpected end-of-input: expected close"
                                + " marker for Object (opened at line 1, column 1)"));
        assertThatThrownBy(() -> read("{\"caseId\": \"a\", \"caseId\": \"b\"}"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problem()).contains("caseId"));
        assertThatThrownBy(() -> read("[1, 2]"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problem()).contains("JSON object"));
        assertThatThrownBy(() -> read(""))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problem()).contains("empty"));
        assertThatThrownBy(() -> CaseFileReader.read(dir.resolve("missing.json"), "missing.json"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.source()).isEqualTo("missing.json");
                    assertThat(e.problem()).isEqualTo("file not found");
                });
    }

    @Test
    void caseIdIsRequiredAndRestricted() {
        fails(r -> r.remove("caseId"), DISPLAY + ": caseId", "is required");
        fails(r -> r.put("caseId", "pt 017"), DISPLAY + ": caseId", "only letters, digits");
        fails(r -> r.put("caseId", "../x"), DISPLAY + ": caseId", "only letters, digits");
        fails(r -> r.put("caseId", ".."), DISPLAY + ": caseId", "\"..\" is not allowed: as a folder name it means the"
                + " folder itself (\".\") or its parent (\"..\"), and a caseId names output folders");
        fails(r -> r.put("caseId", "."), DISPLAY + ": caseId", "\".\" is not allowed");
        fails(r -> r.put("caseId", ""), DISPLAY + ": caseId", "is empty; give a short identifier");
        assertThat(CaseFileReader.isValidCaseId("..")).isFalse();
        assertThat(CaseFileReader.isValidCaseId("pt.017..x")).isTrue();
        assertThat(CaseFileReader.isValidCaseId("c-0000 ")).isFalse();
        assertThat(CaseFileReader.isValidCaseId("")).isFalse();
        fails(r -> r.put("caseId", 17), DISPLAY + ": caseId", "must be a string");
    }

    @Test
    void coursesAreRequiredAndChecked() {
        fails(r -> r.remove("courses"), DISPLAY + ": courses", "is required");
        fails(r -> r.putArray("courses"), DISPLAY + ": courses", "at least one course");
        fails(r -> r.put("courses", "x"), DISPLAY + ": courses", "must be a list");
        fails(r -> ((ArrayNode) r.get("courses")).set(0, JSON.getNodeFactory().textNode("x")), DISPLAY + ": courses[0]",
                "must be a JSON object");
        fails(r -> course(r, 1).put("label", "cebrt"), DISPLAY + ": courses[1].label", "unique");
        fails(r -> course(r, 1).put("label", " "), DISPLAY + ": courses[1].label", "must not be empty");
        fails(r -> course(r, 1).put("label", "re\nSBRT"), DISPLAY + ": courses[1].label", "control characters");
    }

    @Test
    void doseIsAFileOrAListOfFilesThatExist() {
        fails(r -> course(r, 0).put("dose", "prior/RD2.dcm"), DISPLAY + ": courses[0].dose",
                "file not found: pt017/prior/RD2.dcm");
        fails(r -> course(r, 0).put("dose", "prior"), DISPLAY + ": courses[0].dose", "is a folder");
        fails(r -> course(r, 1).putArray("dose"), DISPLAY + ": courses[1].dose", "at least one");
        fails(r -> ((ArrayNode) course(r, 1).get("dose")).add(3), DISPLAY + ": courses[1].dose[2]", "file path string");
        fails(r -> ((ArrayNode) course(r, 1).get("dose")).add("current/./RD_beam1.dcm"), DISPLAY + ": courses[1].dose[2]",
                "listed twice");
        fails(r -> ((ArrayNode) course(r, 1).get("dose")).add("missing.dcm"), DISPLAY + ": courses[1].dose[2]",
                "file not found");
        fails(r -> ((ArrayNode) course(r, 1).get("dose")).add("prior/../prior/RD.dcm"),
                DISPLAY + ": courses[1].dose[2]", "\"pt017/prior/RD.dcm\" is also the dose of courses[0] (\"cEBRT\"):"
                        + " its dose would be counted twice");
        fails(r -> course(r, 1).put("dose", "prior/RD.dcm"), DISPLAY + ": courses[1].dose",
                "is also the dose of courses[0]");
        fails(r -> course(r, 0).put("dose", "/dev/null"), DISPLAY + ": courses[0].dose",
                "/dev/null is not a regular file");
        fails(r -> course(r, 0).put("dose", 5), DISPLAY + ": courses[0].dose", "a file path or a list");
        fails(r -> course(r, 0).remove("dose"), DISPLAY + ": courses[0].dose", "is required");
    }

    @Test
    void uniformDoseIsForPriorCoursesWithoutDose() throws IOException {
        CaseSpec c = readEdited(r -> course(r, 0).put("uniformDoseGy", 30).remove(List.of("dose", "plan")));
        assertThat(c.courses().get(0).uniformDoseGy()).isEqualTo(30.0);
        assertThat(c.courses().get(0).doseFiles()).isEmpty();
        fails(r -> course(r, 0).put("uniformDoseGy", 30), DISPLAY + ": courses[0].uniformDoseGy", "not both");
        fails(r -> course(r, 0).put("uniformDoseGy", -1).remove("dose"), DISPLAY + ": courses[0].uniformDoseGy",
                "positive number");
        fails(r -> course(r, 1).put("uniformDoseGy", 24).remove("dose"), DISPLAY + ": courses[1].uniformDoseGy",
                "only a prior course");
        assertThat(readEdited(r -> course(r, 0).put("uniformDoseGy", 10_000).remove(List.of("dose", "plan")))
                .courses().get(0).uniformDoseGy()).isEqualTo(10_000.0);
        fails(r -> course(r, 0).put("uniformDoseGy", 1e308).remove(List.of("dose", "plan")),
                DISPLAY + ": courses[0].uniformDoseGy", "must lie between 0 and 10000 Gy, got 1.0E308");
    }

    @Test
    void fractionsAreWholePositiveNumbersAndComeFromThePlanWhenLeftOut() throws IOException {
        fails(r -> course(r, 1).put("fractions", 0), DISPLAY + ": courses[1].fractions", "whole number of at least 1");
        fails(r -> course(r, 1).put("fractions", 1.5), DISPLAY + ": courses[1].fractions", "whole number");
        fails(r -> course(r, 1).put("fractions", "3"), DISPLAY + ": courses[1].fractions", "whole number");
        fails(r -> course(r, 1).remove("fractions"), DISPLAY + ": courses[1].fractions", "no \"plan\"");
        CaseSpec c = readEdited(r -> course(r, 0).remove("fractions"));
        assertThat(c.courses().get(0).fractions()).isNull();
        fails(r -> course(r, 0).put("fractionsDelivered", 11), DISPLAY + ": courses[0].fractionsDelivered",
                "more than the 10 planned");
        fails(r -> course(r, 1).put("fractionGroup", 1), DISPLAY + ": courses[1].fractionGroup", "no \"plan\"");
        assertThat(readEdited(r -> course(r, 0).put("fractionsDelivered", 8)).courses().get(0).fractionsDelivered())
                .isEqualTo(8);
    }

    @Test
    void datesAreIsoAndOrdered() {
        fails(r -> course(r, 0).put("startDate", "2019-2-4"), DISPLAY + ": courses[0].startDate", "ISO date");
        fails(r -> course(r, 0).put("startDate", "04.02.2019"), DISPLAY + ": courses[0].startDate", "ISO date");
        fails(r -> course(r, 0).put("endDate", "2019-02-30"), DISPLAY + ": courses[0].endDate", "not a calendar date");
        fails(r -> course(r, 0).put("startDate", "0201-02-04"), DISPLAY + ": courses[0].startDate",
                "\"0201-02-04\" is not a plausible treatment date (years 1900 to 2199)");
        fails(r -> course(r, 1).put("startDate", "9999-12-31"), DISPLAY + ": courses[1].startDate", "plausible");
        fails(r -> course(r, 0).put("endDate", "2019-02-01"), DISPLAY + ": courses[0].endDate",
                "before the course's startDate");
        fails(r -> course(r, 0).put("startDate", "2020-10-20").put("endDate", "2020-10-30"),
                DISPLAY + ": courses[1].startDate", "ambiguous");
        fails(r -> course(r, 0).put("endDate", "2020-10-21"), DISPLAY + ": courses[0].endDate",
                "after the current course courses[1] starts on 2020-10-20");
        fails(r -> course(r, 1).remove("startDate"), DISPLAY + ": courses[1].startDate", "one-course case");
        fails(r -> course(r, 0).remove("startDate"), DISPLAY + ": courses[0].startDate", "endDate but no startDate");
    }

    @Test
    void theCurrentCourseIsTheLatestStartWhateverTheOrder() throws IOException {
        CaseSpec c = readEdited(r -> {
            ArrayNode cs = (ArrayNode) r.get("courses");
            ObjectNode first = (ObjectNode) cs.remove(0);
            cs.add(first);
        });
        assertThat(c.currentCourse().label()).isEqualTo("reSBRT");
        assertThat(c.timeline().currentIndex()).isEqualTo(0);
    }

    @Test
    void aMissingPriorEndDateIsEstimatedFromWorkingDays() throws IOException {
        CaseSpec c = readEdited(r -> course(r, 0).remove("endDate"));
        CaseTimeline.CourseTiming prior = c.timeline().courses().get(0);
        // Monday 2019-02-04 + 9 working days = Friday 2019-02-15.
        assertThat(prior.endDate()).isEqualTo(LocalDate.parse("2019-02-15"));
        assertThat(prior.endDateEstimated()).isTrue();
        assertThat(CaseTimeline.addWorkingDays(LocalDate.parse("2019-02-08"), 1)).isEqualTo(LocalDate.parse("2019-02-11"));
        fails(r -> {
            course(r, 0).remove("endDate");
            course(r, 0).put("startDate", "2020-10-12");
        }, DISPLAY + ": courses[0].startDate", "estimated from startDate and fractions");
    }

    @Test
    void aOneCourseCaseNeedsNoDates() throws IOException {
        CaseSpec c = readEdited(r -> {
            ((ArrayNode) r.get("courses")).remove(0);
            course(r, 0).remove("startDate");
        });
        assertThat(c.currentCourse().label()).isEqualTo("reSBRT");
        assertThat(c.timeline().shortestIntervalMonths()).isNull();
    }

    @Test
    void forgivenessForms() throws IOException {
        fails(r -> r.remove("forgiveness"), DISPLAY + ": forgiveness", "is required");
        fails(r -> r.put("forgiveness", "nelson"), DISPLAY + ": forgiveness", "not a schedule");
        fails(r -> r.put("forgiveness", 0.25), DISPLAY + ": forgiveness", "must be a JSON object");
        fails(r -> r.putObject("forgiveness").putArray("steps"), DISPLAY + ": forgiveness.steps", "at least one step");
        fails(r -> r.putObject("forgiveness").putArray("steps").addObject().put("afterMonths", 6).put("reduction", 1.5),
                DISPLAY + ": forgiveness.steps[0].reduction", "from 0 to 1");
        fails(r -> r.putObject("forgiveness").putArray("steps").addObject().put("afterMonths", -1).put("reduction", 0.2),
                DISPLAY + ": forgiveness.steps[0].afterMonths", ">= 0");
        fails(r -> r.putObject("forgiveness").putArray("steps").addObject().put("reduction", 0.2),
                DISPLAY + ": forgiveness.steps[0].afterMonths", "is required");
        fails(r -> {
            ArrayNode s = r.putObject("forgiveness").putArray("steps");
            s.addObject().put("afterMonths", 12).put("reduction", 0.33);
            s.addObject().put("afterMonths", 12).put("reduction", 0.25);
        }, DISPLAY + ": forgiveness.steps[1].afterMonths", "also starts after 12 months");
        // Steps in any order, reductions as a published table gives them (they need not grow).
        CaseSpec table = readEdited(r -> {
            ArrayNode s = r.putObject("forgiveness").putArray("steps");
            s.addObject().put("afterMonths", 24).put("reduction", 0.26);
            s.addObject().put("afterMonths", 6).put("reduction", 0.5);
        });
        assertThat(table.forgiveness().reductionAfterMonths(12)).isEqualTo(0.5);
        assertThat(table.forgiveness().reductionAfterMonths(30)).isEqualTo(0.26);
        CaseSpec c = readEdited(r -> {
            ArrayNode s = r.putObject("forgiveness").putArray("steps");
            s.addObject().put("afterMonths", 6).put("reduction", 0.25);
            s.addObject().put("afterMonths", 12).put("reduction", 1.0 / 3);
        });
        assertThat(c.forgiveness().reductionAfterMonths(11.99)).isEqualTo(0.25);
        assertThat(c.forgiveness().reductionAfterMonths(12)).isEqualTo(1.0 / 3);
        assertThat(c.forgiveness().reductionAfterMonths(5.99)).isEqualTo(0);
        assertThat(c.forgiveness().name()).isEqualTo("custom");
    }

    @Test
    void outputGridForms() throws IOException {
        assertThat(readEdited(r -> r.put("outputGrid", "union")).outputGrid()).isEqualTo(OutputGridSpec.UNION);
        CaseSpec c = readEdited(r -> r.putObject("outputGrid").putArray("spacingMm").add(1).add(1.5).add(2));
        assertThat(c.outputGrid().kind()).isEqualTo(OutputGridSpec.Kind.SPACING);
        assertThat(c.outputGrid().spacingMm()).containsExactly(1, 1.5, 2);
        fails(r -> r.put("outputGrid", "prior"), DISPLAY + ": outputGrid", "not an output grid");
        fails(r -> r.putObject("outputGrid").putArray("spacingMm").add(1).add(1), DISPLAY + ": outputGrid.spacingMm",
                "3 values");
        fails(r -> r.putObject("outputGrid").putArray("spacingMm").add(1).add(0).add(1),
                DISPLAY + ": outputGrid.spacingMm[1]", "positive");
        fails(r -> r.putObject("outputGrid").putArray("spacingMm").add(1).add(1).add(0.01),
                DISPLAY + ": outputGrid.spacingMm[2]", "must lie between 0.05 and 100 mm, got 0.01");
        fails(r -> r.putObject("outputGrid").putArray("spacingMm").add(1e9).add(1).add(1),
                DISPLAY + ": outputGrid.spacingMm[0]", "must lie between 0.05 and 100 mm");
        fails(r -> r.putObject("outputGrid"), DISPLAY + ": outputGrid.spacingMm", "is required");
    }

    @Test
    void alphaBetaMapHasPositiveNumbers() {
        fails(r -> r.remove("alphaBeta"), DISPLAY + ": alphaBeta", "is required");
        fails(r -> ((ObjectNode) r.get("alphaBeta")).remove("default"), DISPLAY + ": alphaBeta.default", "is required");
        fails(r -> ((ObjectNode) r.get("alphaBeta")).put("default", 0), DISPLAY + ": alphaBeta.default", "positive");
        fails(r -> ((ObjectNode) r.get("alphaBeta")).put("default", "3"), DISPLAY + ": alphaBeta.default",
                "must be a number");
        fails(r -> ((ObjectNode) r.get("alphaBeta").get("byStructure")).put("SpinalCord", -2),
                DISPLAY + ": alphaBeta.byStructure.SpinalCord", "positive");
        // beyond these the kernels' float arithmetic fails (1e-300 rounds to 0, 1e308 to infinity)
        fails(r -> ((ObjectNode) r.get("alphaBeta")).put("default", 1e-300), DISPLAY + ": alphaBeta.default",
                "must lie between 0.01 and 10000 Gy, got 1.0E-300");
        fails(r -> ((ObjectNode) r.get("alphaBeta").get("byStructure")).put("SpinalCord", 1e308),
                DISPLAY + ": alphaBeta.byStructure.SpinalCord", "must lie between 0.01 and 10000 Gy");
        fails(r -> r.putArray("exportAlphaBeta").add(0.001), DISPLAY + ": exportAlphaBeta[0]",
                "must lie between 0.01 and 10000 Gy");
        fails(r -> ((ObjectNode) r.get("alphaBeta").get("byStructure")).put("spinalcord", 2),
                DISPLAY + ": alphaBeta.byStructure.spinalcord", "listed twice");
    }

    @Test
    void statisticsFollowTheGrammar() throws IOException {
        fails(r -> ((ArrayNode) r.get("statistics")).add("D95"), DISPLAY + ": statistics[8]", "unknown statistic");
        fails(r -> ((ArrayNode) r.get("statistics")).add("V20"), DISPLAY + ": statistics[8]", "unknown statistic");
        fails(r -> ((ArrayNode) r.get("statistics")).add("D120%"), DISPLAY + ": statistics[8]", "more than 100 %");
        fails(r -> ((ArrayNode) r.get("statistics")).add("Dmax"), DISPLAY + ": statistics[8]", "listed twice");
        fails(r -> ((ArrayNode) r.get("statistics")).add("dmax"), DISPLAY + ": statistics[8]", "listed twice");
        fails(r -> ((ArrayNode) r.get("statistics")).add(5), DISPLAY + ": statistics[8]", "statistic name string");
        CaseSpec c = readEdited(r -> r.putArray("statistics").add("D2cc").add("D0.035cc").add("V12.5Gy").add("volume")
                .add("D100%").add("dmean"));
        assertThat(c.statistics()).containsExactly("D2cc", "D0.035cc", "V12.5Gy", "volume", "D100%", "Dmean");
    }

    @Test
    void constraintsAreABuiltInSetOrAnExistingFile() throws IOException {
        assertThat(readEdited(r -> r.put("constraints", "limits.json")).constraints().displayFile())
                .isEqualTo("pt017/limits.json");
        fails(r -> r.put("constraints", "spine-reirradiaton"), DISPLAY + ": constraints",
                "neither a built-in constraint set (spine-reirradiation)");
        fails(r -> r.put("constraints", "other.json"), DISPLAY + ": constraints", "file not found: pt017/other.json");
        fails(r -> r.put("constraintMetric", "D0.1cc"), DISPLAY + ": constraintMetric", "\"Dmax\" or \"D0.03cc\"");
        fails(r -> r.put("constraintMetric", "max"), DISPLAY + ": constraintMetric", "\"Dmax\" or \"D0.03cc\"");
        // read as statistic names are: in any case, the number as written
        assertThat(readEdited(r -> r.put("constraintMetric", "dmax")).constraintMetric()).isEqualTo("Dmax");
        assertThat(readEdited(r -> r.put("constraintMetric", "D0.030CC")).constraintMetric()).isEqualTo("D0.03cc");
    }

    @Test
    void rolesEndCapsExportAndStructureSet() throws IOException {
        fails(r -> ((ObjectNode) r.get("roles")).put("cord", ""), DISPLAY + ": roles.cord", "must not be empty");
        fails(r -> ((ObjectNode) r.get("roles")).put("thecalsac", "TS"), DISPLAY + ": roles.thecalsac",
                "did you mean \"thecalSac\"");
        fails(r -> r.put("endCaps", "half"), DISPLAY + ": endCaps", "\"halfSpacing\" or \"none\"");
        assertThat(readEdited(r -> r.put("endCaps", "none")).endCaps()).isEqualTo(EndCaps.NONE);
        fails(r -> ((ArrayNode) r.get("exportAlphaBeta")).add(2.0), DISPLAY + ": exportAlphaBeta[2]", "listed twice");
        fails(r -> ((ArrayNode) r.get("exportAlphaBeta")).add(0), DISPLAY + ": exportAlphaBeta[2]", "positive");
        fails(r -> r.remove("structureSet"), DISPLAY + ": structureSet", "is required");
        fails(r -> r.put("structureSet", "RS2.dcm"), DISPLAY + ": structureSet", "file not found: pt017/RS2.dcm");
        CaseSpec doseOnly = readEdited(r -> {
            r.remove(List.of("structureSet", "constraints", "roles"));
            r.putArray("statistics");
            ((ObjectNode) r.get("alphaBeta")).remove("byStructure");
        });
        assertThat(doseOnly.structureSet()).isNull();
        fails(r -> course(r, 0).put("registration", "prior/none.dcm"), DISPLAY + ": courses[0].registration",
                "file not found");
        fails(r -> course(r, 0).put("plan", "prior/none.dcm"), DISPLAY + ": courses[0].plan", "file not found");
    }
}
