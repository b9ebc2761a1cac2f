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
 *   <li>{@code auto}: OpenCL when it finds a GPU or accelerator device; otherwise the Vector API
 *       for grids of at least {@link #VECTOR_MIN_VOXELS} voxels (and when the incubator module is
 *       loaded), the scalar loops for smaller ones. {@code auto} never fails.</li>
 * </ul>
 * The rule for auto comes from measured figures (bench/results/kernels.md): in a fresh JVM the
 * Vector API code runs interpreted and unspecialised until C2 compiles it, so one cold pass over a
 * small grid is slower than the scalar loop; past the threshold the vector kernels win even cold.
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
     * {@code auto} takes the Vector API from this many output voxels on (measured cold break-even,
     * see bench/results/kernels.md).
     */
    public static final long VECTOR_MIN_VOXELS = 2_000_000L;

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final ConcurrentMap<String, Attempt> STARTED = new ConcurrentHashMap<>();

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
     * The backend for {@code --backend} (null or blank means auto) and a grid of
     * {@code voxelCount} output voxels.
     *
     * @throws InvalidInputException (source {@code --backend}) for an unknown name or a forced
     *                               backend that cannot start
     */
    public static Selection select(String backend, long voxelCount) {
        String b = backend == null || backend.isBlank() ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        if (b.equals("auto")) {
            return auto(voxelCount);
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
            case "opencl" -> STARTED.computeIfAbsent("opencl", x -> startOpenCl(OpenClDoseKernels.DeviceChoice.ANY));
            default -> throw new IllegalArgumentException("no backend named " + backend + "; known: " + BACKENDS);
        };
    }

    /**
     * Starts looking for an OpenCL GPU and loading the Vector API kernels on a daemon thread, so
     * that a later {@link #select} finds them ready (each costs about 0.1 s in a fresh JVM here).
     * Call it first thing, before reading the inputs; it never fails and may be skipped.
     */
    public static void probeInBackground(String backend) {
        String b = backend == null ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        Thread t = new Thread(() -> {
            if (b.equals("auto") || b.equals("opencl")) {
                STARTED.computeIfAbsent(b.equals("auto") ? "opencl-gpu" : "opencl", x -> startOpenCl(
                        b.equals("auto") ? OpenClDoseKernels.DeviceChoice.GPU_OR_ACCELERATOR
                                : OpenClDoseKernels.DeviceChoice.ANY));
            }
            if (b.equals("auto") || b.equals("vector")) {
                start("vector");
            }
        }, "eqd2sum-kernel-probe");
        t.setDaemon(true);
        t.start();
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

    private static Selection auto(long voxelCount) {
        Attempt gpu = STARTED.computeIfAbsent("opencl-gpu",
                x -> startOpenCl(OpenClDoseKernels.DeviceChoice.GPU_OR_ACCELERATOR));
        if (gpu.kernels().isPresent()) {
            return new Selection(gpu.kernels().get(), "opencl", "auto: " + gpu.reason());
        }
        String noGpu = "OpenCL: " + gpu.reason();
        if (voxelCount < VECTOR_MIN_VOXELS) {
            return new Selection(JavaDoseKernels.INSTANCE, "scalar", String.format(Locale.ROOT,
                    "auto: %d voxels < %d, where the cold Vector API does not pay off yet; %s",
                    voxelCount, VECTOR_MIN_VOXELS, noGpu));
        }
        Attempt vector = start("vector");
        if (vector.kernels().isEmpty()) {
            return new Selection(JavaDoseKernels.INSTANCE, "scalar",
                    "auto: Vector API unavailable (" + vector.reason() + "); " + noGpu);
        }
        return new Selection(vector.kernels().get(), "vector", String.format(Locale.ROOT,
                "auto: %d voxels >= %d; %s; %s", voxelCount, VECTOR_MIN_VOXELS, vector.reason(), noGpu));
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

    private static Attempt startOpenCl(OpenClDoseKernels.DeviceChoice choice) {
        try {
            OpenClDoseKernels k = OpenClDoseKernels.open(choice);
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
