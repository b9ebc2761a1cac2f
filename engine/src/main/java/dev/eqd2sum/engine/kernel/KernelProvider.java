package dev.eqd2sum.engine.kernel;

import dev.eqd2sum.engine.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Chooses the kernel backend once, at start-up (after Lucene's VectorizationProvider), as CONTRACT
 * ("Backends") says for {@code --backend auto|scalar|vector|opencl}:
 * <ul>
 *   <li>{@code scalar}, {@code vector}, {@code opencl}: that backend, or an
 *       {@link InvalidInputException} with source {@code --backend} (exit 2) when it cannot start.
 *       A forced {@code opencl} takes a GPU or accelerator if there is one, else a CPU device (POCL).</li>
 *   <li>{@code auto}: the Vector API when the run will push at least
 *       {@link #ACCELERATED_MIN_VOXEL_PASSES} output voxels through the kernels (a cohort declares
 *       its total with {@link #planRun}) and the incubator module is loaded; else the plain-Java
 *       {@code scalar} loops. {@code auto} never takes OpenCL (CONTRACT allows it only on a GPU or
 *       accelerator; measured there, it never paid, below), and never fails.</li>
 * </ul>
 * The rule comes from measured figures. In a fresh JVM the Vector API code runs interpreted and
 * then C1-compiled without intrinsics, boxing every vector operation, until C2 compiles it; its
 * first passes cost seconds where the plain loops cost tens of milliseconds (bench/results/kernels.md),
 * so it pays off once a JVM does enough passes: a cohort, not one case. On an NVIDIA H200
 * (bench/results/gpu.md) OpenCL made the plan-sum stage 2-2.5x faster, but every case, std and
 * large, was slower end to end (a GPU costs 0.3-1.3 s to start and saves at most about 3.5 ns per
 * voxel pass), and a 48-case cohort ran at 0.8 cases/s against 4.5 on the CPU (one device round trip
 * per short run of boundary samples, since fixed: {@link OpenClDoseKernels#gather}; not re-measured
 * on a GPU). Until a GPU run shows OpenCL paying, it is used only when forced.
 *
 * <p>Backends are started at most once per JVM and shared (they hold no per-call state).
 */
public final class KernelProvider {
    /**
     * Every backend this build has; a new one must be added here (the equivalence test runs each
     * against the reference {@link ScalarDoseKernels}, which is not a backend: too slow to offer).
     */
    public static final List<String> BACKENDS = List.of("scalar", "vector", "opencl");

    /**
     * {@code auto} takes the Vector API from this many voxel passes on (output voxels times passes,
     * summed over the run): the break-even of its JIT warm-up measured in bench/results/kernels.md.
     * End to end (bench/RESULTS.md, "Backends for one case") one std case costs about twice the CPU
     * time and 2.4x the peak RSS with the Vector API in a fresh JVM, so a single case never takes it.
     */
    public static final long ACCELERATED_MIN_VOXEL_PASSES = 3_000_000_000L;

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final ConcurrentMap<String, Attempt> STARTED = new ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong PLANNED_VOXEL_PASSES =
            new java.util.concurrent.atomic.AtomicLong();

    private KernelProvider() {
    }

    /**
     * The chosen backend, its name as users see it ({@code scalar}, {@code vector}, {@code opencl})
     * and why it was chosen; {@link #message()} is the one line to print on stderr.
     */
    public record Selection(DoseKernelSupport kernels, String name, String reason) {
        public String message() {
            return "eqd2sum: backend " + name + " (" + reason + ")";
        }
    }

    /** A backend that started, or the one-line reason why it cannot start here. */
    public record Attempt(Optional<DoseKernelSupport> kernels, String reason) {
        static Attempt started(DoseKernelSupport k, String detail) {
            return new Attempt(Optional.of(k), detail);
        }

        static Attempt unavailable(String reason) {
            return new Attempt(Optional.empty(), reason);
        }
    }

    /**
     * The backend for {@code --backend} (null or blank means auto) and a run that pushes
     * {@code voxelPasses} output voxels through the kernels: the output grid's voxels times the
     * passes over it (one per course, one per exported alpha/beta map), summed over all cases of a
     * cohort (the whole cohort, not what is left of it, so that a resumed run chooses the same).
     *
     * @throws InvalidInputException (source {@code --backend}) for an unknown name or a forced
     *                               backend that cannot start
     */
    public static Selection select(String backend, long voxelPasses) {
        String b = backend == null || backend.isBlank() ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        if (b.equals("auto")) {
            return auto(voxelPasses);
        }
        if (!BACKENDS.contains(b)) {
            throw new InvalidInputException("--backend", "unknown backend '" + backend
                    + "'; use auto, scalar, vector or opencl");
        }
        Attempt a = start(b);
        DoseKernelSupport k = a.kernels().orElseThrow(() ->
                new InvalidInputException("--backend", b + " cannot start: " + a.reason()));
        return new Selection(k, b, "forced; " + a.reason());
    }

    /**
     * Starts the named backend (one of {@link #BACKENDS}) as a forced choice would, once per JVM.
     * Tests enumerate {@link #BACKENDS} through this, so no backend escapes the equivalence test.
     */
    public static Attempt start(String backend) {
        return switch (backend) {
            case "scalar" -> Attempt.started(JavaDoseKernels.INSTANCE, "plain Java loops");
            case "vector" -> STARTED.computeIfAbsent("vector", x -> startVector());
            case "opencl" -> STARTED.computeIfAbsent("opencl", x -> startOpenCl());
            default -> throw new IllegalArgumentException("no backend named " + backend + "; known: " + BACKENDS);
        };
    }

    /**
     * Starts a forced {@code opencl} or {@code vector} backend on a daemon thread, so that a later
     * {@link #select} finds it done (loading JOCL and asking the OpenCL loader costs about 0.1 s in a
     * fresh JVM here). Call it first thing, before reading the inputs; it never fails and may be
     * skipped. {@code auto} and {@code scalar} start nothing here.
     */
    public static void probeInBackground(String backend) {
        String b = backend == null || backend.isBlank() ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        if (!b.equals("opencl") && !b.equals("vector")) {
            return;
        }
        Thread t = new Thread(() -> start(b), "eqd2sum-kernel-probe");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Declares the work of the whole JVM run before its cases call {@link #select} one by one: a
     * cohort calls this once with the sum over all its cases (output voxels times passes), and
     * {@code auto} then decides on the larger of this and the number each case passes. Calling it
     * again replaces the plan.
     */
    public static void planRun(long totalVoxelPasses) {
        PLANNED_VOXEL_PASSES.set(Math.max(0, totalVoxelPasses));
    }

    /** The class behind each name in {@link #BACKENDS} (checked by the equivalence test). */
    static String implementationClass(String backend) {
        String pkg = KernelProvider.class.getPackageName() + ".";
        return switch (backend) {
            case "scalar" -> pkg + "JavaDoseKernels";
            case "vector" -> pkg + "VectorDoseKernels";
            case "opencl" -> pkg + "OpenClDoseKernels";
            default -> throw new IllegalArgumentException("no backend named " + backend + "; known: " + BACKENDS);
        };
    }

    private static Selection auto(long casePasses) {
        long voxelPasses = Math.max(casePasses, PLANNED_VOXEL_PASSES.get());
        if (voxelPasses < ACCELERATED_MIN_VOXEL_PASSES) {
            return new Selection(JavaDoseKernels.INSTANCE, "scalar", String.format(Locale.ROOT,
                    "auto: %d voxel passes < %d, too few to pay for the Vector API's warm-up",
                    voxelPasses, ACCELERATED_MIN_VOXEL_PASSES));
        }
        Attempt vector = start("vector");
        if (vector.kernels().isEmpty()) {
            return new Selection(JavaDoseKernels.INSTANCE, "scalar",
                    "auto: Vector API unavailable (" + vector.reason() + ")");
        }
        return new Selection(vector.kernels().get(), "vector", String.format(Locale.ROOT,
                "auto: %d voxel passes >= %d; %s", voxelPasses, ACCELERATED_MIN_VOXEL_PASSES, vector.reason()));
    }

    private static Attempt startVector() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return Attempt.unavailable("the JVM was started without --add-modules " + VECTOR_MODULE);
        }
        if (System.getProperty("java.vm.info", "").contains("interpreted")) {
            return Attempt.unavailable("the JVM runs interpreted (-Xint), where the Vector API is very slow");
        }
        try {
            // Loaded by name so that nothing here links against the incubator module unless it is present.
            Class<?> c = Class.forName(implementationClass("vector"));
            DoseKernelSupport k = (DoseKernelSupport) c.getField("INSTANCE").get(null);
            int lanes = (int) c.getMethod("lanes").invoke(null);
            return Attempt.started(k, lanes + " float lanes");
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Attempt.unavailable("the Vector API kernels cannot start: " + cause.getMessage());
        }
    }

    private static Attempt startOpenCl() {
        try {
            OpenClDoseKernels k = OpenClDoseKernels.open();
            String kind = k.isGpuOrAccelerator() ? "GPU/accelerator" : "CPU";
            return Attempt.started(k, "OpenCL on " + kind + " device " + k.deviceName()
                    + (k.hasDoubleCoordinates() ? "" : ", float coordinates (no cl_khr_fp64)"));
        } catch (OpenClDoseKernels.UnavailableException e) {
            return Attempt.unavailable(e.getMessage());
        } catch (LinkageError e) {
            return Attempt.unavailable("JOCL cannot load: " + e.getMessage());
        }
    }
}
