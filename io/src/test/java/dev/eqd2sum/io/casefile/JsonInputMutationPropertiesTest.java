package dev.eqd2sum.io.casefile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eqd2sum.engine.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a case file or a constraint file holds, reading it either succeeds or fails with one
 * {@link InvalidInputException} naming the file: never another exception (a NullPointerException on a field of an
 * unexpected type, say). The contract's example case file, and the built-in spine constraint set as a user's file, are
 * mutated at random, one to four times: a field removed, a value replaced by another JSON type or an
 * extreme number (0, -1, 1e308, -0.0, a huge integer), a string emptied or made odd, an array or object emptied or
 * given an extra element, a field added. These are small JSON files read before any DICOM file, so this runs fast;
 * the DICOM readers have their own fuzz targets (DicomFuzzTest).
 */
class JsonInputMutationPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String DISPLAY = "pt017/case.json";

    @Property(tries = 400)
    void everyMutationIsReadOrRefusedWithOneErrorNamingTheFile(@ForAll long seed) throws IOException {
        Path dir = Files.createTempDirectory("eqd2sum-case-mutation");
        try {
            Path pt = Files.createDirectories(dir.resolve("pt017"));
            for (String f : List.of("RS.dcm", "prior/RD.dcm", "prior/RP.dcm", "prior/REG.dcm", "current/RD_beam1.dcm",
                    "current/RD_beam2.dcm", "limits.json")) {
                Files.createDirectories(pt.resolve(f).getParent());
                Files.writeString(pt.resolve(f), "x");
            }
            Random r = new Random(seed);
            JsonNode root = JSON.readTree(CaseFileReaderTest.EXAMPLE);
            int mutations = 1 + r.nextInt(4);
            for (int i = 0; i < mutations; i++) {
                root = mutate(root, r);
            }
            String text = JSON.writeValueAsString(root);
            Path caseFile = pt.resolve("case.json");
            Files.writeString(caseFile, text, StandardCharsets.UTF_8);
            try {
                CaseFileReader.read(caseFile, DISPLAY);
            } catch (InvalidInputException e) {
                assertThat(e.getMessage()).as(text).startsWith(DISPLAY);
                assertThat(e.problem()).as(text).isNotBlank();
            }
        } finally {
            deleteTree(dir);
        }
    }

    @Property(tries = 400)
    void everyConstraintFileMutationIsReadOrRefusedWithOneErrorNamingTheFile(@ForAll long seed) throws IOException {
        JsonNode root;
        try (var in = ConstraintSets.class.getResourceAsStream(ConstraintSets.SPINE_REIRRADIATION + ".json")) {
            root = JSON.readTree(in);
        }
        Random r = new Random(seed);
        int mutations = 1 + r.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            root = mutate(root, r);
        }
        String text = JSON.writeValueAsString(root);
        try {
            ConstraintFileReader.read(text.getBytes(StandardCharsets.UTF_8), "pt/limits.json");
        } catch (InvalidInputException e) {
            assertThat(e.getMessage()).as(text).startsWith("pt/limits.json");
            assertThat(e.problem()).as(text).isNotBlank();
        }
    }

    /** The tree with one random node changed (the root itself may be replaced). */
    private static JsonNode mutate(JsonNode root, Random r) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return r.nextBoolean() ? F.objectNode() : randomValue(r); // the root was replaced by a scalar before
        }
        JsonNode target = containers.get(r.nextInt(containers.size()));
        if (target instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            int action = r.nextInt(4);
            if (names.isEmpty() || action == 0) {
                o.set(r.nextBoolean() && !names.isEmpty() ? names.get(r.nextInt(names.size())) + "x" : "extra",
                        randomValue(r));
            } else if (action == 1) {
                o.remove(names.get(r.nextInt(names.size())));
            } else {
                String name = names.get(r.nextInt(names.size()));
                o.set(name, tweak(o.get(name), r));
            }
        } else if (target instanceof ArrayNode a) {
            int action = r.nextInt(4);
            if (a.isEmpty() || action == 0) {
                a.add(r.nextBoolean() && !a.isEmpty() ? a.get(r.nextInt(a.size())).deepCopy() : randomValue(r));
            } else if (action == 1) {
                a.remove(r.nextInt(a.size()));
            } else {
                int i = r.nextInt(a.size());
                a.set(i, tweak(a.get(i), r));
            }
        }
        return r.nextInt(50) == 0 ? randomValue(r) : root;
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    /** A value of the same kind made odd, or one of another kind. */
    private static JsonNode tweak(JsonNode v, Random r) {
        if (r.nextInt(3) == 0) {
            return randomValue(r);
        }
        if (v.isTextual()) {
            String s = v.textValue();
            return switch (r.nextInt(6)) {
                case 0 -> F.textNode("");
                case 1 -> F.textNode(" " + s + " ");
                case 2 -> F.textNode(s.toUpperCase(java.util.Locale.ROOT));
                case 3 -> F.textNode(s + "\u0000");
                case 4 -> F.textNode(s.isEmpty() ? "x" : s.substring(0, r.nextInt(s.length())));
                default -> F.textNode("../" + s);
            };
        }
        if (v.isNumber()) {
            return extremeNumber(r);
        }
        return randomValue(r);
    }

    private static JsonNode extremeNumber(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> F.numberNode(0);
            case 1 -> F.numberNode(-1);
            case 2 -> F.numberNode(1e308);
            case 3 -> F.numberNode(-0.0);
            case 4 -> F.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 5 -> F.numberNode(Long.MIN_VALUE);
            case 6 -> F.numberNode(4.9e-324);
            case 7 -> F.numberNode(0.5);
            case 8 -> F.numberNode(Integer.MAX_VALUE);
            default -> F.numberNode(r.nextGaussian() * 100);
        };
    }

    private static JsonNode randomValue(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> extremeNumber(r);
            case 3 -> F.textNode(r.nextBoolean() ? "" : "2020-02-30");
            case 4 -> F.arrayNode();
            case 5 -> F.arrayNode().add(extremeNumber(r)).add(F.textNode("x"));
            case 6 -> F.objectNode();
            default -> F.objectNode().put("steps", 1).set("x", F.arrayNode());
        };
    }

    private static void deleteTree(Path p) {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(q -> {
                try {
                    Files.delete(q);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
