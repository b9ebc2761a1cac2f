package dev.eqd2sum.engine.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The OpenCL drivers the ICD loader would load, read from its vendor folder without loading any.
 * {@code auto} only wants a GPU or accelerator; asking the loader for platforms makes it load every
 * installed driver, and POCL (a CPU driver) brings LLVM along: about 65 MB of resident memory and
 * 0.1 s of CPU in every run on a machine that has no GPU. When every installed driver is known to
 * drive CPUs only, {@code auto} can say so without loading them. A forced {@code opencl} always asks.
 */
final class OpenClDrivers {
    /** Where the Khronos ICD loaders (ocl-icd, Khronos, NVIDIA's) look on Linux. */
    static final Path LINUX_VENDORS = Path.of("/etc/OpenCL/vendors");
    /** POCL's device modules: only these drive CPUs (others: cuda, level0, almaif, remote, ...). */
    private static final List<String> POCL_CPU_DEVICES = List.of("libpocl-devices-basic.so",
            "libpocl-devices-pthread.so", "libpocl-devices-cpu.so", "libpocl-devices-tbb.so",
            "libpocl-devices-cpu_tbb.so");
    private static final List<Path> POCL_MODULE_DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu/pocl"),
            Path.of("/usr/lib/aarch64-linux-gnu/pocl"), Path.of("/usr/lib64/pocl"), Path.of("/usr/lib/pocl"),
            Path.of("/usr/local/lib/pocl"), Path.of("/usr/local/lib64/pocl"));

    private OpenClDrivers() {
    }

    /** {@link #cpuOnly(String, Map, Path, List)} for this machine. */
    static Optional<String> cpuOnly() {
        return cpuOnly(System.getProperty("os.name", ""), System.getenv(), LINUX_VENDORS, POCL_MODULE_DIRS);
    }

    /**
     * Why no GPU can be among the installed drivers, when that is certain from the files alone; empty
     * when the loader must be asked: not Linux, a loader redirected by {@code OCL_ICD_VENDORS} or
     * {@code OCL_ICD_FILENAMES}, an unreadable or empty vendor folder, any driver other than POCL, or
     * a POCL with a device module that is not a CPU one.
     */
    static Optional<String> cpuOnly(String osName, Map<String, String> env, Path vendors, List<Path> poclModuleDirs) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")
                || env.containsKey("OCL_ICD_VENDORS") || env.containsKey("OCL_ICD_FILENAMES")) {
            return Optional.empty();
        }
        List<String> libraries = new ArrayList<>();
        try (Stream<Path> files = Files.list(vendors)) {
            for (Path icd : files.filter(p -> p.getFileName().toString().endsWith(".icd")).sorted().toList()) {
                // An ICD file is one line: the driver library's name or path.
                String library = Files.readString(icd).strip();
                if (!isPocl(library)) {
                    return Optional.empty();
                }
                libraries.add(icd.getFileName().toString());
            }
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (libraries.isEmpty() || poclHasNonCpuDevice(poclModuleDirs)) {
            return Optional.empty();
        }
        return Optional.of("only CPU drivers installed (" + String.join(", ", libraries) + " in " + vendors
                + "), none loaded");
    }

    private static boolean isPocl(String library) {
        String name = Path.of(library).getFileName().toString();
        return name.startsWith("libpocl.so");
    }

    private static boolean poclHasNonCpuDevice(List<Path> dirs) {
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                if (files.map(p -> p.getFileName().toString())
                        .anyMatch(n -> n.startsWith("libpocl-devices-") && !POCL_CPU_DEVICES.contains(n))) {
                    return true;
                }
            } catch (IOException | SecurityException e) {
                return true;
            }
        }
        return false;
    }
}
