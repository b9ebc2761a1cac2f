package dev.eqd2sum.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eqd2sum.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The study's neuropathy patient (DOMAIN.md) through the whole program: DICOM files in, constraints.json out.
 * By Dmax, Sahgal criteria 2 (30.00 Gy) and 3 (73.30 Gy) and Nelson (27.60 + 26.00 = 53.60 Gy) fail; by
 * D0.03cc all four Sahgal criteria pass (24.75 Gy; 68.05 Gy; 36.37 %) and Nelson passes
 * (27.60 + 21.60 = 49.20 Gy). The prior dose is uniform over the cord, so the voxel-wise and summary sums agree.
 */
class NeuropathyPatientEndToEndTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run eqd2sum(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private JsonNode sum(String metric) throws IOException {
        Path caseFile = NeuropathyPatient.write(dir.resolve("case-" + metric), metric);
        Path out = dir.resolve("result-" + metric);
        Run r = eqd2sum("sum", caseFile.toString(), "--out", out.toString(), "--backend", "scalar");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("eqd2sum: backend scalar");
        assertThat(r.out()).contains("sahgal2012-2");
        for (String f : List.of("plan-sum-eqd2.dcm", "plan-sum-eqd2-ab3.dcm", "dvh.json", "dvh.csv", "metrics.csv",
                "constraints.json")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        return new ObjectMapper().readTree(out.resolve("constraints.json").toFile());
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode find(JsonNode constraints, String id, String method) {
        for (JsonNode c : constraints.get("constraints")) {
            if (c.get("id").asText().equals(id) && (method == null || c.get("method").asText().equals(method))) {
                return c;
            }
        }
        throw new AssertionError("no constraint " + id + " " + method);
    }

    /** The study's numbers are rounded to 0.01 Gy; ours must agree with them to 0.01 Gy. */
    private static void verdict(JsonNode c, double value, String status) {
        assertThat(c.get("value").asDouble()).as(c.toString()).isCloseTo(value, within(0.01));
        assertThat(c.get("status").asText()).as(c.toString()).isEqualTo(status);
        assertThat(c.get("passed").asBoolean()).isEqualTo(status.equals("passed"));
    }

    @Test
    void byDmax() throws IOException {
        JsonNode c = sum("Dmax");
        for (String m : List.of("voxelwise", "summary")) {
            verdict(find(c, "sahgal2012-2", m), 30.00, "failed");
            verdict(find(c, "sahgal2012-3", m), 73.30, "failed");
            verdict(find(c, "sahgal2012-4", m), 40.93, "passed");
            verdict(find(c, "nelson2009", m), 53.60, "failed");
            verdict(find(c, "kowalchuk2024-ptv-dmin", m), 14.25, "failed");  // 9 Gy in 1 fx at alpha/beta 10
            assertThat(find(c, "sahgal2012-2", m).get("deviations").get(0).asText())
                    .startsWith("SpinalCord (spinal cord) used instead of the thecal sac");
        }
        verdict(find(c, "sahgal2012-1", null), 20.14, "passed");
    }

    @Test
    void byD003cc() throws IOException {
        JsonNode c = sum("D0.03cc");
        for (String m : List.of("voxelwise", "summary")) {
            verdict(find(c, "sahgal2012-2", m), 24.75, "passed");
            verdict(find(c, "sahgal2012-3", m), 68.05, "passed");
            verdict(find(c, "sahgal2012-4", m), 36.37, "passed");
            verdict(find(c, "nelson2009", m), 49.20, "passed");
        }
        verdict(find(c, "sahgal2012-1", null), 20.14, "passed");
        JsonNode dvh = new ObjectMapper().readTree(dir.resolve("result-D0.03cc/dvh.json").toFile());
        JsonNode cord = null;
        for (JsonNode s : dvh.get("structures")) {
            if (s.get("name").asText().equals("SpinalCord") && s.get("alphaBeta").asDouble() == 2.0) {
                cord = s;
            }
        }
        assertThat(cord).isNotNull();
        JsonNode d003 = cord.get("statistics").get("D0.03cc");
        assertThat(d003.get("coursesPhysical").get("reSBRT").asDouble()).isCloseTo(9.0, within(0.001));
        assertThat(cord.get("statistics").get("Dmax").get("coursesPhysical").get("reSBRT").asDouble())
                .isCloseTo(10.0, within(0.001));
        assertThat(cord.get("statistics").get("Dmax").get("coursesPhysical").get("cEBRT").asDouble())
                .isCloseTo(32.8, within(0.001));
        JsonNode prior = dvh.get("courses").get(0);
        assertThat(prior.get("intervalDays").asInt()).isEqualTo(613);
        assertThat(prior.get("reduction").asDouble()).isEqualTo(0.33);
        assertThat(prior.get("fractions").asInt()).isEqualTo(10);
        assertThat(prior.get("transform").asText()).startsWith("rigid, from ");
        assertThat(prior.get("files")).hasSize(3);
        assertThat(prior.get("files").get(0).get("sha256").asText()).hasSize(64);
        // Provenance: each input's SHA-256 is that of the whole file (the doses are read and hashed in pieces).
        Path caseDir = dir.resolve("case-D0.03cc");
        int hashed = 0;
        for (JsonNode course : dvh.get("courses")) {
            for (JsonNode f : course.get("files")) {
                assertThat(f.get("sha256").asText()).as(f.toString()).isEqualTo(sha256(caseDir.resolve(f.get("path").asText())));
                hashed++;
            }
        }
        assertThat(hashed).isEqualTo(5);
        assertThat(dvh.get("structureSet").get("sha256").asText()).isEqualTo(sha256(caseDir.resolve("RS.dcm")));
        assertThat(dvh.get("warnings")).isEmpty();
    }

    @Test
    void aPlanMadeOnAnotherStructureSetIsAWarning() throws IOException {
        Path caseFile = NeuropathyPatient.write(dir.resolve("other-rs"), "Dmax");
        dev.eqd2sum.io.rt.RtPlanWriter.write(dir.resolve("other-rs/current/RP.dcm"),
                dev.eqd2sum.io.rt.PatientStudy.synthetic("Neuropathy^Patient", "NP001", "20201020"),
                NeuropathyPatient.CURRENT_FRAME, "reSBRT", 1, 10.0, "2.25.42");
        Run r = eqd2sum("sum", caseFile.toString(), "--out", dir.resolve("other-rs-out").toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode dvh = new ObjectMapper().readTree(dir.resolve("other-rs-out/dvh.json").toFile());
        assertThat(dvh.get("warnings").toString()).contains("was planned on structure set 2.25.42");
    }

    @Test
    void aPriorCourseWithoutDoseGridAsTheStudyAssumedIt() throws IOException {
        // The study's assumption without plan data: every structure received the prior prescription.
        Path caseFile = NeuropathyPatient.write(dir.resolve("uniform"), "D0.03cc");
        String json = Files.readString(caseFile).replace(
                "\"dose\": \"prior/RD.dcm\", \"plan\": \"prior/RP.dcm\",", "\"uniformDoseGy\": 32.8, \"fractions\": 10,")
                .replace(", \"registration\": \"prior/REG.dcm\"", "");
        Files.writeString(caseFile, json);
        Run r = eqd2sum("sum", caseFile.toString(), "--out", dir.resolve("uniform-out").toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode c = new ObjectMapper().readTree(dir.resolve("uniform-out/constraints.json").toFile());
        for (String m : List.of("voxelwise", "summary")) {
            verdict(find(c, "sahgal2012-3", m), 68.05, "passed");
            verdict(find(c, "nelson2009", m), 49.20, "passed");
        }
    }

    @Test
    void aFailedConstraintGivesStatus4OnlyWhenAsked() throws IOException {
        Path caseFile = NeuropathyPatient.write(dir.resolve("case"), "Dmax");
        Run plain = eqd2sum("sum", caseFile.toString(), "--out", dir.resolve("a").toString(), "--quiet");
        assertThat(plain.status()).isZero();
        assertThat(plain.out()).isEmpty();
        Run strict = eqd2sum("sum", caseFile.toString(), "--out", dir.resolve("b").toString(), "--quiet",
                "--fail-on-constraint");
        assertThat(strict.status()).isEqualTo(4);
        assertThat(Files.exists(dir.resolve("b/constraints.json"))).isTrue();
        // --quiet: stdout silent, each failed constraint one line on stderr
        assertThat(strict.out()).isEmpty();
        assertThat(strict.err().lines().filter(l -> l.startsWith("eqd2sum: constraint "))).contains(
                "eqd2sum: constraint failed: sahgal2012-2 (voxelwise, SpinalCord): 30.00 Gy is not < 25 Gy",
                "eqd2sum: constraint failed: nelson2009 (summary, SpinalCord): 53.60 Gy is not < 50 Gy");
        assertThat(plain.err()).contains("eqd2sum: constraint failed: sahgal2012-2 (voxelwise, SpinalCord)");
    }
}
