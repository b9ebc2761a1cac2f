package dev.eqd2sum.io.cohort;

import java.nio.file.Path;
import java.util.List;

/**
 * One case of a cohort as discovery found it, before it runs.
 *
 * @param index           position in the cohort's case order (0-based); every table follows it
 * @param caseFile        the case file
 * @param displayCaseFile the case file as the user would name it (input argument + relative path)
 * @param caseId          the case file's {@code caseId} when it is a valid one, else null (the case then fails
 *                        when it runs, with the case-file reader's message, named by its file)
 * @param folderName      the case's output folder under the cohort's output folder
 * @param doseFiles       the RT Dose files the case names (for the memory estimate); may name missing files
 * @param currentDoseFiles the current course's RT Dose files (for the backend plan); may name missing files
 * @param courseCount     how many courses the case file lists
 * @param referencedFiles every existing file the case file names (hashed for --resume)
 */
public record CohortCase(int index, Path caseFile, String displayCaseFile, String caseId, String folderName,
                         List<Path> doseFiles, List<Path> currentDoseFiles, int courseCount,
                         List<Path> referencedFiles) {
    public CohortCase {
        doseFiles = List.copyOf(doseFiles);
        currentDoseFiles = List.copyOf(currentDoseFiles);
        referencedFiles = List.copyOf(referencedFiles);
    }

    /** What the {@code case} column of failures.csv says: the caseId, or the file when it has none. */
    public String label() {
        return caseId != null ? caseId : displayCaseFile;
    }
}
