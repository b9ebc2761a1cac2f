package dev.eqd2sum.engine.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the JVM's POSIX signal handlers in place across calls into an OpenCL runtime.
 *
 * <p>Why: POCL (the CPU OpenCL of CI and of most Linux machines without a GPU) loads LLVM, which installs
 * its own handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGINT, SIGTERM and more, over the JVM's
 * ({@code -Xcheck:jni} lists them). HotSpot raises SIGSEGV on purpose (safepoint polls in compiled loops,
 * implicit null checks). LLVM's handlers are one-shot ({@code SA_RESETHAND}): the first such fault runs
 * LLVM's handler, which puts the JVM's back, but a second thread faulting in between (every thread in a
 * compiled loop faults at once when a safepoint is armed) meets the default action and the process dies
 * with exit 139 and no {@code hs_err} file (a CI test JVM once). A test program with three threads in
 * compiled loops and a few collections after listing POCL's devices died that way in 5 of 40 runs; with
 * {@link OpenClDoseKernels#open()}, which guards its listing and its program build each on its own, in
 * none of 40 (1 of 40 with one guard around both: LLVM's handlers stayed in place while the program built),
 * and in none of 40 with the JVM's signal-chaining library ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so},
 * which keeps the JVM's handlers in place during the calls too; the launcher sets it for OpenCL runs). The
 * test JVMs that use OpenCL start it as their session opens, before other threads run Java code
 * (OpenClEarlyStart in engine's tests).
 *
 * <p>How: before a call that may load or run the compiler, each handler is read with {@code sigaction(2)}
 * into a buffer; afterwards every one whose handler or flags changed is put back as it was. 64-bit Linux
 * only (where POCL runs; the buffer is larger than glibc's and musl's {@code struct sigaction}); elsewhere,
 * or without native access, calls run unguarded.
 */
public final class SignalHandlers {
    /** The classic signals 1..31; real-time signals are left alone (the JVM does not use them). */
    private static final int LAST_SIGNAL = 31;
    /** Bytes kept per handler: more than {@code sizeof(struct sigaction)} on any 64-bit Linux (152 on glibc). */
    private static final long ACTION_BYTES = 256;

    private static final MethodHandle SIGACTION = link();

    private SignalHandlers() {
    }

    /** A call into native code that may replace signal handlers. */
    @FunctionalInterface
    public interface NativeCall<T, E extends Exception> {
        T call() throws E;
    }

    /** True when handlers can be read and restored here (Linux, native access enabled). */
    public static boolean available() {
        return SIGACTION != null;
    }

    /**
     * Runs {@code call}, then restores every signal handler it changed.
     *
     * @return what {@code call} returned
     */
    public static <T, E extends Exception> T preserving(NativeCall<T, E> call) throws E {
        Snapshot before = snapshot();
        try {
            return call.call();
        } finally {
            if (before != null) {
                before.restore();
            }
        }
    }

    /** The handlers now in place, or null when {@link #available()} is false. */
    public static Snapshot snapshot() {
        if (SIGACTION == null) {
            return null;
        }
        byte[][] actions = new byte[LAST_SIGNAL + 1][];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(ACTION_BYTES, 16);
            for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
                buffer.fill((byte) 0);
                if (sigaction(sig, MemorySegment.NULL, buffer) == 0) {
                    actions[sig] = buffer.toArray(ValueLayout.JAVA_BYTE);
                }
            }
        }
        return new Snapshot(actions);
    }

    /** The signal handlers of one moment, as {@code struct sigaction} bytes. */
    public static final class Snapshot {
        private final byte[][] actions;

        private Snapshot(byte[][] actions) {
            this.actions = actions;
        }

        /** Signal numbers whose handler or flags differ between this snapshot and {@code now}. */
        public List<Integer> changedIn(Snapshot now) {
            List<Integer> changed = new ArrayList<>();
            for (int sig = 1; sig <= LAST_SIGNAL; sig++) {
                if (actions[sig] != null && now.actions[sig] != null
                        && (handler(actions[sig]) != handler(now.actions[sig])
                            || flags(actions[sig]) != flags(now.actions[sig]))) {
                    changed.add(sig);
                }
            }
            return changed;
        }

        /** Puts back every handler that differs from this snapshot; returns the signals restored. */
        public List<Integer> restore() {
            List<Integer> changed = changedIn(snapshot());
            if (changed.isEmpty()) {
                return changed;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(ACTION_BYTES, 16);
                for (int sig : changed) {
                    MemorySegment.copy(actions[sig], 0, buffer, ValueLayout.JAVA_BYTE, 0, actions[sig].length);
                    sigaction(sig, buffer, MemorySegment.NULL);
                }
            }
            return changed;
        }
    }

    // The fields compared, at their offsets in 64-bit Linux's struct sigaction (glibc and musl): the handler
    // first, then a 128-byte sa_mask, then sa_flags. Only the mask's first 8 bytes are the kernel's; glibc
    // copies the rest from an uninitialised buffer, so the mask is not compared (a handler is).
    private static final long HANDLER_OFFSET = 0;
    private static final long FLAGS_OFFSET = 136;

    private static long handler(byte[] action) {
        return MemorySegment.ofArray(action).get(ValueLayout.JAVA_LONG_UNALIGNED, HANDLER_OFFSET);
    }

    /** SA_RESTORER: the C library adds it to every handler it installs; not part of what a caller set. */
    private static final int SA_RESTORER = 0x04000000;

    private static int flags(byte[] action) {
        return MemorySegment.ofArray(action).get(ValueLayout.JAVA_INT_UNALIGNED, FLAGS_OFFSET) & ~SA_RESTORER;
    }

    private static int sigaction(int sig, MemorySegment act, MemorySegment old) {
        try {
            return (int) SIGACTION.invokeExact(sig, act, old);
        } catch (Throwable t) {
            return -1;
        }
    }

    private static MethodHandle link() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || ValueLayout.ADDRESS.byteSize() != 8
                || !SignalHandlers.class.getModule().isNativeAccessEnabled()) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("sigaction")
                    .map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS)))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
