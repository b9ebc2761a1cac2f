package dev.eqd2sum.cli;

import dev.eqd2sum.engine.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputFolderTest {
    @TempDir
    Path dir;

    private long entries(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.count();
        }
    }

    @Test
    void appearsWholeOnCommit() throws IOException {
        Path out = dir.resolve("a/b/result");
        try (OutputFolder f = OutputFolder.prepare(out, "a/b/result", false)) {
            Files.writeString(f.temp().resolve("dvh.json"), "{}");
            assertThat(out).doesNotExist();
            f.commit();
        }
        assertThat(out.resolve("dvh.json")).hasContent("{}");
        assertThat(out.resolve(OutputFolder.MARKER)).exists();
        assertThat(entries(dir.resolve("a/b"))).isEqualTo(1);
    }

    @Test
    void aFailureLeavesNothingNotEvenCreatedParents() throws IOException {
        Path out = dir.resolve("x/y/result");
        try (OutputFolder f = OutputFolder.prepare(out, "x/y/result", false)) {
            Files.writeString(f.temp().resolve("dvh.json"), "{}");
        }
        assertThat(entries(dir)).isZero();
    }

    @Test
    void aNonEmptyFolderNeedsOverwriteAndMustBeOurs() throws IOException {
        Path out = Files.createDirectories(dir.resolve("result"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> OutputFolder.prepare(out, "result", false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.source()).isEqualTo("result");
                    assertThat(e.problem()).contains("not empty").contains("--overwrite");
                });
        assertThatThrownBy(() -> OutputFolder.prepare(out, "result", true))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.problem()).contains("not written by eqd2sum"));
        assertThat(entries(dir)).isEqualTo(1);
        assertThat(out.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void overwriteReplacesAPreviousResult() throws IOException {
        Path out = dir.resolve("result");
        try (OutputFolder f = OutputFolder.prepare(out, "result", false)) {
            Files.writeString(f.temp().resolve("old.csv"), "1");
            f.commit();
        }
        try (OutputFolder f = OutputFolder.prepare(out, "result", true)) {
            Files.writeString(f.temp().resolve("new.csv"), "2");
            f.commit();
        }
        assertThat(out.resolve("new.csv")).exists();
        assertThat(out.resolve("old.csv")).doesNotExist();
        assertThat(entries(dir)).isEqualTo(1);
    }

    @Test
    void overwriteNeverReplacesAFolderHoldingAnInputOfTheRun() throws IOException {
        // the demo's folder: its marker, its case inside; --out typed one level too short
        Path demo = dir.resolve("demo-out");
        Files.createDirectories(demo.resolve("case"));
        Files.writeString(demo.resolve(OutputFolder.MARKER), "x");
        Path caseFile = Files.writeString(demo.resolve("case/case.json"), "{}");
        Path elsewhere = Files.writeString(dir.resolve("RD.dcm"), "d");
        assertThatThrownBy(() -> OutputFolder.prepare(demo, "demo-out", true, java.util.List.of(elsewhere, caseFile)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.source()).isEqualTo("demo-out");
                    assertThat(e.problem()).isEqualTo("holds " + caseFile + ", an input of this run, so --overwrite"
                            + " will not replace it; give another output folder");
                });
        // the same through a link to the folder, and a relative path to the input
        Path link = Files.createSymbolicLink(dir.resolve("link"), demo);
        Path relative = Path.of("").toAbsolutePath().relativize(caseFile);
        assertThatThrownBy(() -> OutputFolder.prepare(link, "link", true, java.util.List.of(relative)))
                .isInstanceOf(InvalidInputException.class);
        assertThat(caseFile).exists();
        // inputs elsewhere: replaced as before
        try (OutputFolder f = OutputFolder.prepare(demo, "demo-out", true, java.util.List.of(elsewhere))) {
            f.commit();
        }
        assertThat(caseFile).doesNotExist();
    }

    @Test
    void anEmptyOutIsAUsageErrorAndAFolderThatCannotBeMadeSaysWhyWithoutTheTemporaryName() {
        assertThatThrownBy(() -> OutputFolder.prepare(Path.of(""), "", false))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.source()).isEqualTo("--out");
                    assertThat(e.problem()).isEqualTo("must name a folder (it is empty)");
                });
        assertThat(dev.eqd2sum.io.CannotWriteException.reason(new java.nio.file.NoSuchFileException("/proc/.x.eqd2sum-tmp-1")))
                .isEqualTo("no such file or folder");
        assertThat(dev.eqd2sum.io.CannotWriteException.reason(new java.nio.file.AccessDeniedException("/ro/.x.eqd2sum-tmp-1")))
                .isEqualTo("permission denied");
        assertThat(dev.eqd2sum.io.CannotWriteException.reason(
                new java.nio.file.FileSystemException("/sys/x", null, "Operation not permitted")))
                .isEqualTo("Operation not permitted");
    }

    @Test
    void anEmptyFolderIsUsedAndAFileIsRefused() throws IOException {
        Path out = Files.createDirectories(dir.resolve("empty"));
        try (OutputFolder f = OutputFolder.prepare(out, "empty", false)) {
            f.commit();
        }
        assertThat(out.resolve(OutputFolder.MARKER)).exists();
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> OutputFolder.prepare(file, "file", true))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.problem()).contains("not a folder"));
    }

    @Test
    void aFolderMadeAtTheTargetWhileTheRunWentOnIsNeverReplaced() throws IOException {
        Path out = dir.resolve("result");
        try (OutputFolder f = OutputFolder.prepare(out, "result", false)) {
            Files.writeString(f.temp().resolve("dvh.json"), "{}");
            Files.createDirectories(out);
            Files.writeString(out.resolve("notes.txt"), "mine");
            assertThatThrownBy(f::commit).isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.source()).isEqualTo("result");
                assertThat(e.problem()).isEqualTo("changed while eqd2sum ran, so the outputs were not moved into"
                        + " place: the output folder is not empty (use --overwrite to replace a previous result)");
            });
        }
        assertThat(out.resolve("notes.txt")).hasContent("mine");
        assertThat(entries(out)).isEqualTo(1);
        assertThat(entries(dir)).isEqualTo(1);
        // with --overwrite too: the folder is not eqd2sum's
        try (OutputFolder f = OutputFolder.prepare(dir.resolve("other"), "other", true)) {
            Files.writeString(dir.resolve("other"), "a file now");
            assertThatThrownBy(f::commit).isInstanceOfSatisfying(InvalidInputException.class,
                    e -> assertThat(e.problem()).endsWith(": exists and is not a folder"));
        }
        assertThat(dir.resolve("other")).hasContent("a file now");
        assertThat(entries(dir)).isEqualTo(2);
    }

    @Test
    void aMoveThatFailsPutsTheEarlierOutputsBackAndNamesTheFolderTheUserGave() throws IOException {
        Path out = dir.resolve("result");
        try (OutputFolder f = OutputFolder.prepare(out, "result", false)) {
            Files.writeString(f.temp().resolve("old.csv"), "1");
            f.commit();
        }
        try (OutputFolder f = OutputFolder.prepare(out, "result", true)) {
            // the temporary folder gone (a cleaner of temporary files, a full disk's partial write): the move fails
            OutputFolder.deleteTree(f.temp());
            assertThatThrownBy(f::commit).isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.source()).isEqualTo("result");
                assertThat(e.problem()).isEqualTo("cannot move the outputs into place: no such file or folder");
            });
        }
        assertThat(out.resolve("old.csv")).hasContent("1");
        assertThat(out.resolve(OutputFolder.MARKER)).exists();
        assertThat(entries(dir)).isEqualTo(1);
    }
}
