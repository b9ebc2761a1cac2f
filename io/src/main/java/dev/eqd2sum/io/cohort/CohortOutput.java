package dev.eqd2sum.io.cohort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.io.RealPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cohort's output folder, held for the whole run. The rules that keep a user's files safe:
 * <ul>
 * <li>the cohort writes {@value #MARKER} into the folder before anything else, so {@code --resume} continues only
 *     a folder a cohort wrote: absent, empty, holding the marker, or (outputs of versions before the marker) holding
 *     a {@code cohort.json} of kind {@code eqd2sum-cohort} or a {@value CohortRun#WORK_DIR} folder;</li>
 * <li>a case's folder is replaced only when it holds its {@link CaseInputs} record, which a case written by the
 *     cohort always has (it is renamed into place with it);</li>
 * <li>the folder holds no input of the cohort (a case file, a file a case names, the study folder or manifest);</li>
 * <li>one cohort at a time: the marker is locked ({@link FileChannel#tryLock()}) for the whole run and holds the
 *     pid of the run; the operating system drops the lock when the process ends, however it ends.</li>
 * </ul>
 */
public final class CohortOutput implements AutoCloseable {
    /** Marks a folder as a cohort's output, so {@code --resume} may continue it; locked while a cohort runs. */
    public static final String MARKER = ".eqd2sum-cohort";
    private static final Pattern PID = Pattern.compile("(?m)^pid (\\d+)$");
    private static final Pattern HOST = Pattern.compile("(?m)^host (.+)$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Outputs this JVM holds: a second channel on a marker, closed, would drop the lock POSIX gives the process. */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final FileChannel channel;
    private final FileLock lock;
    private final Path key;
    private final String warning;

    private CohortOutput(FileChannel channel, FileLock lock, Path key, String warning) {
        this.channel = channel;
        this.lock = lock;
        this.key = key;
        this.warning = warning;
    }

    /** A line for the user when the folder could not be locked (a file system without locks), or null. */
    public String warning() {
        return warning;
    }

    /**
     * The checks that need no case list, made before discovery so that a wrong {@code --out} is reported first and
     * nothing is created: {@code --out} is a folder (or absent), and empty unless it is an earlier cohort's output
     * and {@code --resume} is given.
     */
    public static void check(Path out, String display, boolean resume) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InvalidInputException(display, "--out must be a folder, but this is a file");
        }
        if (!Files.isDirectory(out) || isEmpty(out)) {
            return;
        }
        if (!resume) {
            throw new InvalidInputException(display, "--out is not empty; give an empty or new folder,"
                    + " or --resume to continue an earlier run there");
        }
        if (!isCohortOutput(out)) {
            throw new InvalidInputException(display, "--out is not empty and was not written by eqd2sum cohort (no "
                    + MARKER + " file), so --resume will not write into it; give the output folder of an earlier"
                    + " cohort, or an empty or new folder");
        }
    }

    /**
     * Refuses an {@code --out} that holds an input of the cohort: a case rerun there would delete a file another
     * case reads, and a study folder inside it would be hidden from the scan.
     *
     * @param input        the study folder or manifest
     * @param displayInput as the user named it
     */
    public static void checkHoldsNoInput(Path out, String display, Path input, String displayInput,
                                         List<CohortCase> cases) {
        Path outReal = RealPath.of(out);
        if (RealPath.of(input).startsWith(outReal)) {
            throw new InvalidInputException(display, "--out holds the cohort's input " + displayInput
                    + "; give an output folder that holds none of the cohort's inputs");
        }
        for (CohortCase c : cases) {
            String held = RealPath.of(c.caseFile()).startsWith(outReal) ? c.displayCaseFile() : null;
            for (Path f : c.referencedFiles()) {
                if (held == null && RealPath.of(f).startsWith(outReal)) {
                    held = f.toString();
                }
            }
            for (Path f : c.doseFiles()) {
                if (held == null && RealPath.of(f).startsWith(outReal)) {
                    held = f.toString();
                }
            }
            if (held != null) {
                throw new InvalidInputException(display, "--out holds " + held + ", an input of case " + c.label()
                        + "; give an output folder that holds none of the cohort's inputs");
            }
        }
    }

    /**
     * Creates {@code out} when absent, locks it for this run, checks it again under the lock (another run may have
     * written there since {@link #check}) and checks that every case folder already there was written by a cohort.
     * Close it when the run is over.
     */
    public static CohortOutput open(Path out, String display, boolean resume, List<CohortCase> cases) {
        Path marker = out.resolve(MARKER);
        Path key = RealPath.of(out);
        if (!HELD.add(key)) {
            throw new InvalidInputException(display, "another eqd2sum cohort is writing into this folder (pid "
                    + ProcessHandle.current().pid() + ", this process)");
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(out);
            if (!Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
                check(out, display, resume); // nothing of ours is there yet: the folder must be fit to be marked
            }
            channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock;
            String warning = null;
            try {
                lock = channel.tryLock();
                if (lock == null) {
                    String holder = otherHolder(marker);
                    throw new InvalidInputException(display, "another eqd2sum cohort is writing into this folder"
                            + (holder != null ? " (" + holder + ")" : "") + "; if none is (a run killed on another"
                            + " machine whose lock the file system kept), delete " + marker + " and run again");
                }
            } catch (OverlappingFileLockException sameJvm) {
                throw new InvalidInputException(display, "another eqd2sum cohort is writing into this folder");
            } catch (IOException noLocks) {
                // NFS without its lock service, Lustre without flock: run unlocked rather than not at all
                lock = null;
                warning = "cohort: " + marker + " cannot be locked on this file system ("
                        + dev.eqd2sum.io.CannotWriteException.reason(noLocks) + "): make sure no other cohort writes"
                        + " into " + display + " meanwhile";
            }
            // the holder first, so that a run refused while this one checks names this one
            byte[] text = ("Written by eqd2sum cohort; `eqd2sum cohort --resume` may continue this folder.\n"
                    + "pid " + ProcessHandle.current().pid() + "\nhost " + hostName() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(text), 0);
            channel.force(false);
            CohortOutput held = new CohortOutput(channel, lock, key, warning);
            try {
                checkUnderLock(out, display, resume, cases);
            } catch (RuntimeException e) {
                held.close();
                throw e;
            }
            return held;
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(key);
            throw new InvalidInputException(display, "cannot be prepared as the output folder: "
                    + dev.eqd2sum.io.CannotWriteException.reason(e));
        } catch (RuntimeException e) {
            closeQuietly(channel);
            HELD.remove(key);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the reason reported is the first failure
            }
        }
    }

    /** This machine's name, for the marker (a lock held on a shared file system names its machine). */
    private static String hostName() {
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                return Files.readString(proc, StandardCharsets.UTF_8).strip();
            }
        } catch (IOException | UncheckedIOException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env != null ? env : System.getenv().getOrDefault("COMPUTERNAME", "unknown");
    }

    private static void checkUnderLock(Path out, String display, boolean resume, List<CohortCase> cases) {
        check(out, display, resume);
        for (CohortCase c : cases) {
            if (c.folderName() != null) {
                Path folder = out.resolve(c.folderName());
                String why = notReplaceable(folder, c);
                if (why != null) {
                    throw new InvalidInputException(display + java.io.File.separator + c.folderName(),
                            why + "; move it away or give another --out");
                }
            }
        }
    }

    /**
     * Why the cohort may not replace the case folder {@code folder} (null when absent or when a cohort wrote it:
     * it is a folder, not a link, holding the case's {@link CaseInputs} record).
     */
    static String notReplaceable(Path folder, CohortCase c) {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                && (Files.isRegularFile(folder.resolve(CaseInputs.FILE_NAME), LinkOption.NOFOLLOW_LINKS)
                || onlyOutputs(folder))) {
            return null;
        }
        return "was not written by eqd2sum cohort (no " + CaseInputs.FILE_NAME + " in it), so it is not replaced"
                + " with the outputs of case " + c.label();
    }

    /**
     * A case folder holding nothing but a case's outputs: what a run killed while it replaced the folder leaves
     * (earlier versions deleted it file by file, its record among the first), to be redone.
     */
    private static boolean onlyOutputs(Path folder) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                boolean output = n.equals("dvh.json") || n.equals("dvh.csv") || n.equals("metrics.csv")
                        || n.equals("constraints.json") || (n.startsWith("plan-sum-eqd2") && n.endsWith(".dcm"))
                        || n.equals(".eqd2sum-output");
                if (!output || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A folder an earlier cohort wrote: its marker, or what versions before the marker left. */
    static boolean isCohortOutput(Path out) {
        if (Files.isRegularFile(out.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)
                || Files.isDirectory(out.resolve(CohortRun.WORK_DIR), LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        Path report = out.resolve(CohortReport.FILE_NAME);
        try {
            if (!Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS) || Files.size(report) > (1L << 20)) {
                return false;
            }
            JsonNode root = JSON.readTree(report.toFile());
            return root != null && "eqd2sum-cohort".equals(root.path("kind").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    /** "pid N on HOST", as the locking run wrote it into the marker, when it can be read. */
    private static String otherHolder(Path marker) {
        try {
            String text = Files.readString(marker, StandardCharsets.UTF_8);
            Matcher m = PID.matcher(text);
            Matcher h = HOST.matcher(text);
            return m.find() ? "pid " + m.group(1) + (h.find() ? " on " + h.group(1) : "") : null;
        } catch (IOException | UncheckedIOException e) {
            return null; // Windows refuses to read a locked file
        }
    }

    /** Empty but for the marker (a run that stopped before it wrote anything). */
    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().equals(MARKER)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new InvalidInputException(dir.toString(), "cannot be read: " + e.getMessage());
        }
    }

    /** Releases the folder for the next run (the marker stays). */
    @Override
    public void close() {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // closing a local file's channel: only a broken system gets here
        } finally {
            HELD.remove(key);
        }
    }
}
