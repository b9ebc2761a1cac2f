package dev.eqd2sum.cli;

import dev.eqd2sum.engine.plansum.HeapBudget;
import dev.eqd2sum.io.CannotWriteException;
import dev.eqd2sum.io.synth.SpineCaseWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A case the environment cannot hold (too little heap, a full disk) and values that would break the error line:
 * one line, exit status 2, nothing half-written. The heap is faked ({@link HeapBudget}), never exhausted.
 */
class LimitsTest {
    /** A heap that runs out as soon as a case asks for its share. */
    static final HeapBudget EXHAUSTED = new HeapBudget() {
        @Override
        public long heapBytes() {
            return Long.MAX_VALUE;
        }

        @Override
        public void reserve(long bytes) {
            throw new OutOfMemoryError("Java heap space");
        }
    };

    @TempDir
    static Path tmp;
    static Path demoCase;
    static final String NL = System.lineSeparator();

    @BeforeAll
    static void writeDemo() throws IOException {
        demoCase = SpineCaseWriter.writeDemo(tmp.resolve("demo"));
    }

    static MainTest.Run sumWith(HeapBudget budget, Path caseFile, Path out) {
        return ScopedValue.where(HeapBudget.CURRENT, budget)
                .call(() -> MainTest.run("sum", caseFile.toString(), "--out", out.toString(), "--quiet"));
    }

    /** The demo case with its output grid at 0.1 mm: 1581 x 1261 x 981 voxels (the audit's case). */
    static Path fineGridCase() throws IOException {
        Path fine = demoCase.resolveSibling("fine-case.json");
        String json = Files.readString(demoCase);
        assertThat(json).contains("\"outputGrid\": \"current\"");
        Files.writeString(fine, json.replace("\"outputGrid\": \"current\"", "\"outputGrid\": {\"spacingMm\": [0.1, 0.1, 0.1]}"));
        return fine;
    }

    @Test
    void aGridLargerThanTheHeapIsRefusedBeforeItIsAllocated() throws IOException {
        Path fine = fineGridCase();
        Path out = tmp.resolve("fine-out");
        MainTest.Run r = sumWith(() -> 6L << 30, fine, out);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("eqd2sum: error: ")).toList()).containsExactly(
                "eqd2sum: error: " + fine + ": outputGrid: 1581 x 1261 x 981 voxels at 0.1 mm need about 27 GiB of"
                        + " memory; this Java heap is 6.0 GiB (use a coarser outputGrid.spacingMm, or a larger heap:"
                        + " EQD2SUM_JAVA_OPTS=-Xmx31g ./eqd2sum ..., on a machine with that much memory)");
        assertThat(out).doesNotExist();
        assertThat(siblingsOf(out)).isEmpty();
        // the courses' own grid too large for a tiny heap: the case is named, not a field it never set
        MainTest.Run small = sumWith(() -> 1L << 20, demoCase, tmp.resolve("tiny-out"));
        assertThat(small.status()).isEqualTo(2);
        assertThat(small.err().lines().filter(l -> l.startsWith("eqd2sum: error: ")).toList()).singleElement()
                .asString().startsWith("eqd2sum: error: " + demoCase + ": ").doesNotContain(": outputGrid:");
    }

    /** A heap of {@code heapBytes} that records what a case reserves in {@code reserved[0]}. */
    static HeapBudget recording(long heapBytes, long[] reserved) {
        return new HeapBudget() {
            @Override
            public long heapBytes() {
                return heapBytes;
            }

            @Override
            public void reserve(long bytes) {
                reserved[0] = bytes;
            }
        };
    }

    @Test
    void aHeapBelowTheEstimateButAboveWhatTheCaseCannotDoWithoutRunsIt() {
        // the demo's estimate is 32 MiB and some; its grids alone need a few MiB: a 33 MiB heap is not refused, and
        // the case asks for its estimate, which takes the whole heap (std and large ran in heaps below their estimates)
        long[] reserved = {-1};
        HeapBudget tight = recording(33L << 20, reserved);
        MainTest.Run r = sumWith(tight, demoCase, tmp.resolve("tight-out"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(reserved[0]).isGreaterThan(33L << 20);
    }

    @Test
    void theDemoGridFitsAModestHeapAndReservesItsNeed() {
        long[] reserved = {-1};
        HeapBudget roomy = recording(256L << 20, reserved);
        MainTest.Run r = sumWith(roomy, demoCase, tmp.resolve("demo-out"));
        assertThat(r.status()).as(r.err()).isZero();
        // 32 MiB + 15 B per output voxel + 4 B per course voxel: the demo's grids are small
        assertThat(reserved[0]).isBetween(32L << 20, 256L << 20);
    }

    @Test
    void runningOutOfMemoryAnywhereIsOneLineWithTheCaseAndTheHeap() {
        Path out = tmp.resolve("oom-out");
        HeapBudget exhausted = EXHAUSTED;
        MainTest.Run r = sumWith(exhausted, demoCase, out);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        List<String> errors = r.err().lines().filter(l -> l.startsWith("eqd2sum: error: ")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst()).startsWith("eqd2sum: error: " + demoCase + ": ran out of memory (this Java"
                + " heap is ").containsPattern("EQD2SUM_JAVA_OPTS=-Xmx[0-9]+[mg] ");
        assertThat(out).doesNotExist();
        assertThat(siblingsOf(out)).isEmpty();
    }

    @Test
    void runningOutOfMemoryInACommandPicocliRunsIsOneLineToo() {
        Path out = tmp.resolve("demo-oom");
        HeapBudget exhausted = EXHAUSTED;
        MainTest.Run r = ScopedValue.where(HeapBudget.CURRENT, exhausted)
                .call(() -> MainTest.run("demo", "--out", out.toString(), "--quiet"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(r.err().lines().filter(l -> l.startsWith("eqd2sum: error: ")).toList()).singleElement()
                .asString().startsWith("eqd2sum: error: " + out + ": ran out of memory (this Java heap is ");
        assertThat(out).doesNotExist();
    }

    /**
     * A heap that, when a case asks for its share (its output folder prepared), puts a folder where the case will
     * write {@code output} in the temporary output folder: that output cannot be written, as on a full disk.
     */
    static HeapBudget blocking(Path out, String output) {
        return () -> {
            try (Stream<Path> s = Files.list(out.getParent())) {
                String prefix = "." + out.getFileName() + ".eqd2sum-tmp-";
                Path temp = s.filter(p -> p.getFileName().toString().startsWith(prefix))
                        .findFirst().orElseThrow();
                Files.createDirectories(temp.resolve(output).resolve("in-the-way"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return Long.MAX_VALUE;
        };
    }

    @Test
    void anOutputThatCannotBeWrittenIsTheEnvironmentNotABug() {
        Path out = tmp.resolve("blocked-out");
        // Once the output folder is prepared, a folder takes the plan sum's name in it: the RT Dose cannot be moved
        // into place, as when the disk is full (a real full disk needs a mount, see the report of branch limits).
        HeapBudget blocking = blocking(out, CaseRunner.PLAN_SUM_FILE);
        MainTest.Run r = sumWith(blocking, demoCase, out);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("internal error").doesNotContain("\tat ");
        List<String> errors = r.err().lines().filter(l -> l.startsWith("eqd2sum: error: ")).toList();
        assertThat(errors).hasSize(1);
        // the reason is the operating system's ("Is a directory" on Linux)
        assertThat(errors.getFirst()).startsWith("eqd2sum: error: " + out + ": cannot write plan-sum-eqd2.dcm: ");
        assertThat(out).doesNotExist();
        assertThat(siblingsOf(out)).isEmpty();
    }

    @Test
    void aReportThatCannotBeWrittenIsNamed() {
        Path out = tmp.resolve("blocked-report");
        HeapBudget blocking = blocking(out, "metrics.csv");
        MainTest.Run r = sumWith(blocking, demoCase, out);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("internal error").doesNotContain("\tat ");
        assertThat(r.err().lines().filter(l -> l.startsWith("eqd2sum: error: ")).toList()).singleElement().asString()
                .startsWith("eqd2sum: error: " + out + ": cannot write metrics.csv: ");
        assertThat(out).doesNotExist();
        assertThat(siblingsOf(out)).isEmpty();
    }

    @Test
    void ioFailuresNameTheOutputFolderTheFileAndTheReason() {
        Path temp = Path.of("/data/.o.eqd2sum-tmp-1234/plan-sum-eqd2.dcm");
        assertThat(IoFailure.describe(new CannotWriteException(temp, new IOException("No space left on device")),
                "/data/o")).isEqualTo("/data/o: cannot write plan-sum-eqd2.dcm: No space left on device");
        assertThat(IoFailure.describe(new CannotWriteException(temp, new IOException("No space left on device")),
                null)).isEqualTo(temp + ": cannot write: No space left on device");
        // the report writers' checked IOExceptions, with and without the file
        assertThat(IoFailure.describe(new FileSystemException("/data/.o.eqd2sum-tmp-1234/dvh.json", null,
                "Read-only file system"), "o")).isEqualTo("o: cannot write dvh.json: Read-only file system");
        assertThat(IoFailure.describe(new IOException("No space left on device"), "o"))
                .isEqualTo("o: cannot write the outputs: No space left on device");
        assertThat(IoFailure.describe(new java.io.UncheckedIOException("cannot remove the temporary output folder"
                + " /data/.o.eqd2sum-tmp-1", new IOException("Input/output error")), "o"))
                .isEqualTo("cannot remove the temporary output folder /data/.o.eqd2sum-tmp-1: Input/output error");
        assertThat(IoFailure.describe(new IllegalStateException("a bug"), "o")).isNull();
        assertThat(IoFailure.describe(new NullPointerException(), "o")).isNull();
    }

    @Test
    void controlCharactersFromFilesAreEscapedInTheErrorLine() {
        assertThat(Main.oneLine("SOP class 1.2.8 0.\u001b0008.5\u0000 x\u007f\u0085\u009f\u00a0é\ty"))
                .isEqualTo("SOP class 1.2.8 0.\\x1b0008.5\\x00 x\\x7f\\x85\\x9f\u00a0é\\x09y");
        assertThat(Main.oneLine("a\n  b\r\nc ")).isEqualTo("a b c");
    }

    private static List<Path> siblingsOf(Path out) {
        try (Stream<Path> s = Files.list(out.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("." + out.getFileName())).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
