package dev.eqd2sum.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The JVM keeps its own SIGSEGV, SIGBUS, SIGILL and SIGFPE handlers after OpenCL starts and runs each kernel
 * (POCL's LLVM replaces them otherwise: {@link SignalHandlers} says why that crashes the JVM), and a
 * snapshot puts back what changed after it.
 */
class SignalHandlersTest {
    private static final boolean REQUIRE = "1".equals(System.getenv("EQD2SUM_REQUIRE_CROSSCHECK"));
    private static final int SIGILL = 4;
    private static final int SIGBUS = 7;
    private static final int SIGFPE = 8;
    private static final int SIGSEGV = 11;
    private static final int SIGWINCH = 28;

    @Test
    void handlersCanBeReadOnLinux() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
        Assumptions.assumeTrue(linux, "signal handlers are guarded on Linux only");
        assertThat(SignalHandlers.available()).as("sigaction linked (the build enables native access)").isTrue();
    }

    @Test
    void restorePutsBackAChangedHandler() throws Throwable {
        Assumptions.assumeTrue(SignalHandlers.available(), "no sigaction here");
        SignalHandlers.Snapshot before = SignalHandlers.snapshot();
        // SIGWINCH is ignored by default and unused by the JVM: set it to SIG_IGN (1) explicitly.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = arena.allocate(256, 16);
            act.set(ValueLayout.JAVA_LONG, 0, 1L);
            int rc = (int) sigaction().invokeExact(SIGWINCH, act, MemorySegment.NULL);
            assertThat(rc).isEqualTo(0);
        }
        assertThat(before.changedIn(SignalHandlers.snapshot())).containsExactly(SIGWINCH);
        assertThat(before.restore()).containsExactly(SIGWINCH);
        assertThat(before.changedIn(SignalHandlers.snapshot())).isEmpty();
        assertThat(before.restore()).isEmpty();
    }

    /**
     * In a child JVM, a fresh one (this one may have started OpenCL before the test, OpenClEarlyStart), without
     * a signal-chaining library (with libjsig, LLVM's handlers never reach the kernel, and sigaction reports
     * what the library keeps, not what is in place): OpenCL starts, each kernel runs, then each fault
     * signal's handler must be the JVM's.
     */
    @Test
    void openClLeavesTheJvmsFaultHandlersInPlace() throws Exception {
        Assumptions.assumeTrue(SignalHandlers.available(), "no sigaction here");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true);
        pb.environment().remove("LD_PRELOAD");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int exit = p.waitFor();
        if (exit == Probe.NO_OPENCL) {
            if (REQUIRE) {
                fail("OpenCL cannot start, and EQD2SUM_REQUIRE_CROSSCHECK=1: " + out);
            }
            Assumptions.abort("OpenCL cannot start here: " + out);
        }
        assertThat(exit).as(out).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("signal ")))
                .as("library of each fault signal's handler after OpenCL ran")
                .hasSize(4)
                .allSatisfy(l -> assertThat(l).endsWith("libjvm.so"));
    }

    /** The child JVM of {@link #openClLeavesTheJvmsFaultHandlersInPlace}: one line per fault signal. */
    static final class Probe {
        static final int NO_OPENCL = 3;

        public static void main(String[] args) {
            DoseKernelSupport k;
            try {
                k = OpenClDoseKernels.open();
            } catch (OpenClDoseKernels.UnavailableException e) {
                System.out.println(e.getMessage());
                System.exit(NO_OPENCL);
                return;
            }
            // Each kernel once: POCL compiles a kernel's work-group function at its first launch.
            GridGeometry g = GridGeometry.axisAligned(7, 5, 3, 0, 0, 0, 2.5, 2.5, 3);
            float[] dose = new float[g.voxelCount()];
            for (int v = 0; v < dose.length; v++) {
                dose[v] = v % 11;
            }
            DoseGrid source = new DoseGrid(g, dose);
            VoxelConversion c = VoxelConversion.uniform(5, 3f);
            float[] acc = new float[g.voxelCount()];
            k.eqd2Accumulate(dose, c, acc, 0, acc.length);
            k.resampleEqd2Accumulate(source, Affine3.translation(0.25, 0.5, 0.125), g, c, acc, 0, 3);
            k.resampleEqd2Accumulate(source, Affine3.of(0.955, -0.296, 0, 0.5, 0.296, 0.955, 0, 0.25, 0, 0, 1, 0.1),
                    g, c, acc, 0, 3);
            float[] p = {0.5f, 1.5f, 2.5f};
            float[] out = new float[3];
            k.gather(source, Affine3.identity(), p, p, p, 1f, out, 0, 3);
            for (int sig : List.of(SIGILL, SIGBUS, SIGFPE, SIGSEGV)) {
                System.out.println("signal " + sig + ": " + handlerLibrary(sig));
            }
        }
    }

    private static MethodHandle sigaction() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("sigaction").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS));
    }

    /** The shared object holding a signal's handler function, by dladdr(3) (Dl_info: four pointers). */
    private static String handlerLibrary(int sig) {
        Linker linker = Linker.nativeLinker();
        MethodHandle dladdr = linker.downcallHandle(linker.defaultLookup().find("dladdr").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment act = arena.allocate(256, 16);
            int rc = (int) sigaction().invokeExact(sig, MemorySegment.NULL, act);
            assertThat(rc).isEqualTo(0);
            long handler = act.get(ValueLayout.JAVA_LONG, 0);
            MemorySegment info = arena.allocate(32, 8);
            int found = (int) dladdr.invokeExact(MemorySegment.ofAddress(handler), info);
            if (found == 0) {
                return "handler 0x" + Long.toHexString(handler) + " in no shared object";
            }
            return info.get(ValueLayout.ADDRESS, 0).reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw new AssertionError("reading signal " + sig + "'s handler failed", t);
        }
    }
}
