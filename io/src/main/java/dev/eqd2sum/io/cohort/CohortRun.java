package dev.eqd2sum.io.cohort;

import dev.eqd2sum.engine.InvalidInputException;
import dev.eqd2sum.engine.plansum.HeapBudget;
import dev.eqd2sum.engine.plansum.MemoryNeed;
import dev.eqd2sum.io.CannotWriteException;
import dev.eqd2sum.io.PrintableLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the cases of a cohort in parallel with bounded memory, each isolated from the others.
 *
 * <ul>
 * <li><b>Memory</b>: a fair semaphore holds the heap budget in MiB ({@code maxHeap - }{@value #RESERVE_MIB}
 *     MiB); a case takes its {@link MemoryEstimate} (at most the whole budget) before it starts, so big cases
 *     wait for room and run alone when they need it all. A case whose dose files alone exceed the heap fails
 *     at once; a case that runs out of memory beside others is retried alone once, and fails alone with a
 *     clear line if it runs out again.</li>
 * <li><b>Isolation</b>: bad input fails only its case (line in failures.csv); an unexpected exception (a bug)
 *     fails its case too, with its stack trace on stderr, and the cohort goes on.</li>
 * <li><b>Atomic outputs</b>: a case writes into {@code OUT/}{@value #WORK_DIR}{@code /<folder>}; its
 *     {@link CaseInputs} record (with the {@link CaseOutputs} it wrote) is written last, then the folder is renamed
 *     to {@code OUT/<folder>}; {@code --resume} keeps a case only while those outputs are all there as written. A run
 *     killed at any point leaves no case folder without its record, so {@code --resume} redoes partial
 *     cases. A case folder is replaced only when it holds its record (a folder without one was not written by a
 *     cohort: the case fails instead, see {@link CohortOutput}); an earlier run's folder is first renamed into the
 *     work folder, so a kill while it is deleted never leaves a case folder without its record.</li>
 * </ul>
 */
public final class CohortRun {
    public static final String WORK_DIR = ".cohort-work";
    /** Heap kept back for the cohort itself and the JVM's own use. */
    static final long RESERVE_MIB = 64;

    private final CaseRunner runner;
    private final CaseOptions options;
    private final String toolVersion;
    private final int threads;
    private final long heapBytes;
    private final CohortListener listener;
    private final LongAdder hashingNanos = new LongAdder();
    private final LongAdder waitingNanos = new LongAdder();
    private final LongAdder runningNanos = new LongAdder();

    /**
     * @param heapBytes the heap the cases share, normally {@code Runtime.getRuntime().maxMemory()}
     */
    public CohortRun(CaseRunner runner, CaseOptions options, String toolVersion, int threads, long heapBytes,
                     CohortListener listener) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.runner = runner;
        this.options = options;
        this.toolVersion = toolVersion;
        this.threads = threads;
        this.heapBytes = heapBytes;
        this.listener = listener;
    }

    /**
     * Runs every case; returns their outcomes in case order. An earlier run's cohort tables and cohort.json are
     * removed first: a run killed before it writes its own must not leave the earlier run's describing case folders
     * that have changed since (the next {@code --resume} writes them afresh).
     */
    public List<CaseOutcome> run(List<CohortCase> cases, Path outDir, boolean resume) {
        Path work = outDir.resolve(WORK_DIR);
        deleteRecursively(work);
        CohortTables.removeAll(outDir);
        int budgetMib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (heapBytes >> 20) - RESERVE_MIB));
        Semaphore memory = new Semaphore(budgetMib, true);
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        listener.started(cases.size());
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "cohort-case-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CaseOutcome>> futures = new ArrayList<>(cases.size());
            for (CohortCase c : cases) {
                futures.add(pool.submit(() -> {
                    CaseOutcome o = runOne(c, outDir, resume, memory, budgetMib);
                    synchronized (listener) {
                        int f = o.status() == CaseOutcome.Status.FAILED ? failed.incrementAndGet() : failed.get();
                        listener.caseFinished(o, finished.incrementAndGet(), f, cases.size());
                    }
                    return o;
                }));
            }
            List<CaseOutcome> outcomes = new ArrayList<>(cases.size());
            for (Future<CaseOutcome> f : futures) {
                outcomes.add(f.get());
            }
            deleteRecursively(work);
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cohort interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private CaseOutcome runOne(CohortCase c, Path outDir, boolean resume, Semaphore memory, int budgetMib)
            throws InterruptedException {
        long t0 = System.nanoTime();
        String folder = c.folderName() != null ? c.folderName() : "_case-" + c.index();
        Path finalDir = outDir.resolve(folder);
        Path workDir = outDir.resolve(WORK_DIR).resolve(folder);
        try {
            // The record is hashed before the run only when a kept folder's record may let --resume skip the
            // case; otherwise it is made after the run from the digests the run computed anyway.
            String record = null;
            String kept = resume && c.folderName() != null ? readRecord(finalDir) : null;
            if (kept != null) {
                long h0 = System.nanoTime();
                record = CaseInputs.describe(c, toolVersion, options);
                hashingNanos.add(System.nanoTime() - h0);
                // kept only while the outputs are there as the case wrote them: the tables are read back from them
                if (record.equals(CaseOutputs.inputsOf(kept))) {
                    String damaged = CaseOutputs.problem(kept, finalDir);
                    if (damaged == null) {
                        return new CaseOutcome(c, CaseOutcome.Status.UNCHANGED, null, null, 0, null);
                    }
                    synchronized (listener) {
                        listener.note(PrintableLine.of("cohort: " + c.label() + ": " + finalDir + ": " + damaged
                                + "; running the case again"));
                    }
                }
            }
            if (c.folderName() != null) {
                String notOurs = CohortOutput.notReplaceable(finalDir, c);
                if (notOurs != null) {
                    return failed(c, t0, "eqd2sum: error: " + finalDir + ": " + notOurs, null);
                }
                removeStale(finalDir, outDir.resolve(WORK_DIR).resolve(".replaced-" + folder));
            }
            long lowerBound = MemoryEstimate.lowerBoundBytes(c);
            long estimate = MemoryEstimate.estimateBytes(c, options.noDose());
            if (lowerBound > heapBytes) {
                return failed(c, t0, "eqd2sum: error: " + c.displayCaseFile() + ": its RT Dose files hold "
                        + mib(lowerBound) + " of dose data, more than the whole Java heap (" + mib(heapBytes)
                        + "); run it with a larger heap (EQD2SUM_JAVA_OPTS=-Xmx"
                        + MemoryNeed.largerHeapOption(heapBytes, estimate) + ")", null);
            }
            Map<Path, String> hashedBefore = Map.of();
            if (record == null) {
                long h0 = System.nanoTime();
                hashedBefore = CaseInputs.hashedBeforeRun(c);
                hashingNanos.add(System.nanoTime() - h0);
            }
            CaseBudget budget = new CaseBudget(memory, budgetMib);
            String backend;
            budget.take((int) Math.max(1, Math.min(budgetMib, estimate >> 20)));
            try {
                backend = attempt(c, workDir, finalDir, record, hashedBefore, budget);
            } catch (OutOfMemoryError oom) {
                deleteRecursively(workDir);
                budget.take(budgetMib);
                try {
                    backend = attempt(c, workDir, finalDir, record, hashedBefore, budget);
                } catch (OutOfMemoryError again) {
                    deleteRecursively(workDir);
                    long need = budget.needBytes > 0 ? budget.needBytes : estimate;
                    return failed(c, t0, "eqd2sum: error: " + c.displayCaseFile() + ": ran out of memory even when"
                            + " run alone (Java heap " + mib(heapBytes) + ", estimated need " + mib(need)
                            + "); run it with a larger heap (EQD2SUM_JAVA_OPTS=-Xmx"
                            + MemoryNeed.largerHeapOption(heapBytes, need) + ")", null);
                }
            } finally {
                budget.releaseAll();
            }
            return new CaseOutcome(c, CaseOutcome.Status.DONE, null, backend, seconds(t0), null);
        } catch (InvalidInputException e) {
            deleteRecursively(workDir);
            return failed(c, t0, "eqd2sum: error: " + e.getMessage(), null);
        } catch (CannotWriteException e) {
            deleteRecursively(workDir);
            // named as the user will look for it: the case's folder, not the work folder it was written in
            String file = e.file().startsWith(workDir) ? workDir.relativize(e.file()).toString() : e.file().toString();
            return failed(c, t0, "eqd2sum: error: " + finalDir + ": cannot write " + file + ": "
                    + CannotWriteException.reason(e.getCause()), null);
        } catch (UncheckedIOException e) {
            deleteRecursively(workDir);
            return failed(c, t0, "eqd2sum: error: " + e.getMessage() + ": " + e.getCause().getMessage(), null);
        } catch (RuntimeException e) {
            deleteRecursively(workDir);
            return failed(c, t0, "eqd2sum: internal error: " + c.displayCaseFile() + ": " + e, e);
        }
    }

    /**
     * A case's share of the shared heap, in MiB permits. The case runs with it bound as its {@link HeapBudget}:
     * once the case knows its real need from its grids ({@link dev.eqd2sum.engine.plansum.MemoryNeed}, the
     * estimate `sum` refuses too large a case with), a need above what the files' sizes suggested waits for the
     * rest, and a need above the whole heap fails the case with `sum`'s line.
     */
    private final class CaseBudget implements HeapBudget {
        private final Semaphore memory;
        private final int budgetMib;
        private int held;
        /** The need the case reported, 0 before it did. */
        volatile long needBytes;

        CaseBudget(Semaphore memory, int budgetMib) {
            this.memory = memory;
            this.budgetMib = budgetMib;
        }

        @Override
        public long heapBytes() {
            return heapBytes;
        }

        @Override
        public void reserve(long bytes) {
            needBytes = bytes;
            int want = (int) Math.max(1, Math.min(budgetMib, bytes >> 20));
            if (want > held) {
                // All at once, holding nothing meanwhile: two cases each holding part and waiting for more would
                // wait for each other for ever.
                releaseAll();
                long w0 = System.nanoTime();
                memory.acquireUninterruptibly(want);
                held = want;
                waitingNanos.add(System.nanoTime() - w0);
            }
        }

        /** Holds exactly {@code permits} (none while it waits). */
        void take(int permits) throws InterruptedException {
            releaseAll();
            long w0 = System.nanoTime();
            memory.acquire(permits);
            held = permits;
            waitingNanos.add(System.nanoTime() - w0);
        }

        void releaseAll() {
            memory.release(held);
            held = 0;
        }
    }

    /**
     * @param record       the --resume record when already made, else null: made from the run's own digests
     * @param hashedBefore digests taken before the run of inputs the run does not hash itself
     */
    private String attempt(CohortCase c, Path workDir, Path finalDir, String record, Map<Path, String> hashedBefore,
                           CaseBudget budget) {
        deleteRecursively(workDir);
        long r0 = System.nanoTime();
        try {
            Files.createDirectories(workDir);
            Map<Path, String> digests = new HashMap<>(hashedBefore);
            String backend = ScopedValue.where(HeapBudget.CURRENT, budget)
                    .call(() -> runner.run(c, workDir, options, digests));
            if (c.folderName() == null) {
                throw new IllegalStateException("case without a caseId ran: " + c.displayCaseFile());
            }
            if (record == null) {
                long h0 = System.nanoTime();
                record = CaseInputs.describe(c, toolVersion, options, digests);
                long hashing = System.nanoTime() - h0;
                hashingNanos.add(hashing);
                r0 += hashing; // counted as hashing, not as running the case
            }
            Files.writeString(workDir.resolve(CaseInputs.FILE_NAME), record + CaseOutputs.describe(workDir),
                    StandardCharsets.UTF_8);
            Files.move(workDir, finalDir, StandardCopyOption.ATOMIC_MOVE);
            return backend;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the outputs of " + c.displayCaseFile(), e);
        } finally {
            runningNanos.add(System.nanoTime() - r0);
        }
    }

    /**
     * Where the cases' time went, summed over worker threads (so up to threads x wall time): hashing the inputs
     * for --resume, waiting for memory, and running the per-case pipeline (failed attempts included).
     */
    public record Timing(double hashingS, double waitingForMemoryS, double runningS) {
    }

    public Timing timing() {
        return new Timing(hashingNanos.sum() / 1e9, waitingNanos.sum() / 1e9, runningNanos.sum() / 1e9);
    }

    /**
     * Removes an earlier run's folder of a case that runs again (its inputs changed): renamed into the work folder
     * first, so that a run killed while deleting it leaves either the whole folder, record included, or nothing
     * (a folder without its record would be refused as not the cohort's own).
     */
    private static void removeStale(Path finalDir, Path aside) {
        if (!Files.exists(finalDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            deleteRecursively(aside);
            Files.createDirectories(aside.getParent());
            Files.move(finalDir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the earlier outputs " + finalDir, e);
        }
        deleteRecursively(aside);
    }

    private static String readRecord(Path caseDir) {
        try {
            return Files.readString(caseDir.resolve(CaseInputs.FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    private static CaseOutcome failed(CohortCase c, long t0, String line, Throwable bug) {
        return new CaseOutcome(c, CaseOutcome.Status.FAILED, PrintableLine.of(line), null, seconds(t0), bug);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }

    static void deleteRecursively(Path p) {
        try {
            dev.eqd2sum.io.FileTrees.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }
}
