package dev.eqd2sum.bench;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VENDOR;
import static org.jocl.CL.CL_PLATFORM_VERSION;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.engine.kernel.OpenClDoseKernels;
import dev.eqd2sum.engine.kernel.SignalHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * Lists the OpenCL platforms and devices as JOCL sees them, then what the backend provider makes of
 * them (forced {@code opencl} and {@code auto}): the first check of a GPU run (bench/gpu/README.md).
 * Exit status 0 when a GPU or accelerator device is there, 3 when only other devices are, 4 when
 * OpenCL is not usable at all, so that a script can try another loader set-up.
 */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /** {@code --build-everywhere}: also build the program on CPU devices (GPUs always). */
    public static void main(String[] args) {
        boolean buildEverywhere = java.util.Arrays.asList(args).contains("--build-everywhere");
        int gpus = 0;
        int devices = 0;
        SignalHandlers.Snapshot jvmHandlers = SignalHandlers.snapshot(); // POCL's LLVM replaces them (SignalHandlers)
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            CL.clGetPlatformIDs(0, null, n);
            cl_platform_id[] platforms = new cl_platform_id[n[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            System.out.println("opencl: " + platforms.length + " platform(s)");
            for (cl_platform_id p : platforms) {
                System.out.println("platform: " + platformString(p, CL_PLATFORM_NAME) + " | vendor "
                        + platformString(p, CL_PLATFORM_VENDOR) + " | " + platformString(p, CL_PLATFORM_VERSION));
                int[] nd = new int[1];
                try {
                    CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
                } catch (RuntimeException e) {
                    System.out.println("  no devices: " + e.getMessage());
                    continue;
                }
                cl_device_id[] ids = new cl_device_id[nd[0]];
                CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                for (cl_device_id d : ids) {
                    long type = deviceLong(d, CL_DEVICE_TYPE);
                    boolean gpu = (type & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_ACCELERATOR)) != 0;
                    devices++;
                    gpus += gpu ? 1 : 0;
                    System.out.printf(Locale.ROOT,
                            "  device: %s | type %s | %s | driver %s | %d compute units | %.1f GiB | fp64 %s%n",
                            deviceString(d, CL_DEVICE_NAME).trim(), typeName(type),
                            deviceString(d, CL_DEVICE_VERSION).trim(), deviceString(d, CL_DRIVER_VERSION).trim(),
                            (int) deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS),
                            deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE) / (1024.0 * 1024 * 1024),
                            deviceString(d, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64") ? "yes" : "no");
                    if (gpu || buildEverywhere) {
                        buildProgram(p, d);
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            System.out.println("opencl: not usable: " + e);
        } finally {
            if (jvmHandlers != null) {
                jvmHandlers.restore();
            }
        }
        System.out.println("provider, forced opencl: " + describe("opencl"));
        System.out.println("provider, auto (one std case): " + KernelProvider.select("auto", 6_000_000L).message());
        System.out.println("opencl: " + devices + " device(s), " + gpus + " GPU/accelerator(s)");
        System.exit(gpus > 0 ? 0 : devices > 0 ? 3 : 4);
    }

    /**
     * Builds the kernels' program on a GPU and prints the whole build log when it fails (the backend
     * reports only its first line): on a one-shot device run that log is all there is to go on.
     */
    private static void buildProgram(cl_platform_id platform, cl_device_id device) {
        String source;
        try (InputStream in = OpenClDoseKernels.class.getResourceAsStream("dose_kernels.cl")) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            System.out.println("    program: dose_kernels.cl not found: " + e);
            return;
        }
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        cl_context context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        long t0 = System.nanoTime();
        try {
            CL.clBuildProgram(program, 0, null, "", null, null);
            System.out.printf(Locale.ROOT, "    program dose_kernels.cl builds here (%.0f ms)%n", (System.nanoTime() - t0) / 1e6);
        } catch (CLException e) {
            System.out.println("    program dose_kernels.cl does NOT build here: " + e.getMessage());
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            cString(log).lines().forEach(l -> System.out.println("    | " + l));
        } finally {
            CL.clReleaseProgram(program);
            CL.clReleaseContext(context);
        }
    }

    private static String describe(String backend) {
        KernelProvider.Attempt a = KernelProvider.start(backend);
        return (a.kernels().isPresent() ? "starts: " : "cannot start: ") + a.reason();
    }

    private static String typeName(long type) {
        StringBuilder s = new StringBuilder();
        if ((type & CL_DEVICE_TYPE_GPU) != 0) {
            s.append("GPU ");
        }
        if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            s.append("ACCELERATOR ");
        }
        if ((type & CL_DEVICE_TYPE_CPU) != 0) {
            s.append("CPU ");
        }
        return s.isEmpty() ? "other(" + type + ")" : s.toString().trim();
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        CL.clGetDeviceInfo(d, param, Sizeof.cl_int, Pointer.to(v), null);
        return v[0];
    }

    private static String cString(byte[] buf) {
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }
}
