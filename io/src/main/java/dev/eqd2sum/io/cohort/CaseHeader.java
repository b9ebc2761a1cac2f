package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.io.casefile.CaseFileReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cohort needs from a case file before the case runs: its caseId (output folder, duplicate check),
 * its RT Dose files (memory estimate) and every file it references (the --resume hash). Read leniently: the
 * case-file reader checks the case properly when the case runs, and its message is the case's failure.
 *
 * @param caseId          the caseId when it is a valid one (a string the case-file reader accepts), else null
 * @param doseFiles       {@code courses[*].dose} files (string or list), resolved against the case folder
 * @param currentDoseFiles the dose files of the current course: the one with the latest {@code startDate}
 *                        (CONTRACT), the last course when dates are missing (for the backend plan)
 * @param courseCount     how many courses the case sums (passes over the output grid)
 * @param referencedFiles every string value of the case file that names an existing regular file, resolved
 *                        against the case folder (covers structure set, doses, plans, registrations and
 *                        constraint files without the cohort knowing each field)
 */
record CaseHeader(String caseId, List<Path> doseFiles, List<Path> currentDoseFiles, int courseCount,
                  List<Path> referencedFiles) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static CaseHeader read(Path caseFile) {
        JsonNode root;
        try {
            root = JSON.readTree(caseFile.toFile());
        } catch (IOException e) {
            return new CaseHeader(null, List.of(), List.of(), 0, List.of());
        }
        if (root == null || !root.isObject()) {
            return new CaseHeader(null, List.of(), List.of(), 0, List.of());
        }
        Path dir = caseFile.toAbsolutePath().normalize().getParent();
        // an invalid caseId (a line break, ESC, a trailing space) is no key: the case fails, named by its file
        String caseId = root.path("caseId").isTextual() && CaseFileReader.isValidCaseId(root.get("caseId").asText())
                ? root.get("caseId").asText() : null;
        List<Path> doses = new ArrayList<>();
        List<Path> currentDoses = List.of();
        String currentStart = null;
        int courses = 0;
        for (JsonNode course : root.path("courses")) {
            List<Path> courseDoses = new ArrayList<>();
            JsonNode dose = course.path("dose");
            if (dose.isTextual()) {
                courseDoses.add(dir.resolve(dose.asText()).normalize());
            } else if (dose.isArray()) {
                for (JsonNode d : dose) {
                    if (d.isTextual()) {
                        courseDoses.add(dir.resolve(d.asText()).normalize());
                    }
                }
            }
            doses.addAll(courseDoses);
            courses++;
            // ISO dates compare as strings; a course without a date counts as later (the last such one wins).
            String start = course.path("startDate").isTextual() ? course.get("startDate").asText() : "~";
            if (currentStart == null || start.compareTo(currentStart) >= 0) {
                currentStart = start;
                currentDoses = courseDoses;
            }
        }
        List<Path> referenced = new ArrayList<>();
        collectFiles(root, dir, caseFile.toAbsolutePath().normalize(), referenced);
        return new CaseHeader(caseId, doses, currentDoses, courses, referenced.stream().distinct().sorted().toList());
    }

    private static void collectFiles(JsonNode node, Path dir, Path caseFile, List<Path> out) {
        if (node.isTextual()) {
            String s = node.asText();
            if (s.isBlank() || s.indexOf('\0') >= 0) {
                return;
            }
            try {
                Path p = dir.resolve(s).normalize();
                if (!p.equals(caseFile) && Files.isRegularFile(p)) {
                    out.add(p);
                }
            } catch (java.nio.file.InvalidPathException e) {
                // Not a path: a label, a date, a built-in set name.
            }
        } else {
            for (JsonNode child : node) {
                collectFiles(child, dir, caseFile, out);
            }
        }
    }
}
