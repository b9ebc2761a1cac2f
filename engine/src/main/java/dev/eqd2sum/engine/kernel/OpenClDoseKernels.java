package dev.eqd2sum.engine.kernel;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_MEM_READ_ONLY;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_TRUE;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * The kernels in OpenCL C (JOCL), one work-item per voxel. The program is built once per
 * instance (one context, one device); device buffers are kept and grown, never allocated per
 * call; a source dose grid is uploaded once and stays on the device while it is in use (the same
 * array: a {@link DoseGrid} never changes; several grids at once, see {@link ResidentGrids}), so a
 * course costs one upload of its grid, also when parallel cases alternate on the queue. The
 * accumulator, alpha/beta map and target mask ranges are copied in and the accumulator back on
 * every call, because the caller owns them on the heap.
 *
 * <p>One device queue serves all callers: calls are serialised, so several threads may call
 * but gain nothing ({@link DoseKernels} hands this backend whole ranges).
 */
public final class OpenClDoseKernels implements DoseKernelSupport, AutoCloseable {
    private static final String SOURCE = "dose_kernels.cl";
    /**
     * Gathers smaller than this many points run on the host (see {@link #gather}); the system
     * property {@code eqd2sum.opencl.minDeviceGather} overrides it (the tests set 0, so that every
     * gather they make reaches the device).
     */
    static final int DEFAULT_MIN_DEVICE_GATHER = 1 << 14;
    private final int minDeviceGather = Integer.getInteger("eqd2sum.opencl.minDeviceGather", DEFAULT_MIN_DEVICE_GATHER);
    /** At most this much device memory (and a quarter of the device's) holds resident source grids. */
    private static final long MAX_RESIDENT_BYTES = 2L << 30;

    /** No usable OpenCL platform or device, or the program did not build: the reason in one line. */
    public static final class UnavailableException extends Exception {
        UnavailableException(String message) {
            super(message);
        }

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program program;
    private final cl_kernel eqd2Kernel;
    private final cl_kernel separableKernel;
    private final cl_kernel generalKernel;
    private final cl_kernel gatherKernel;
    private final String deviceName;
    private final boolean gpuOrAccelerator;
    private final boolean doubleCoordinates;

    private final ResidentGrids sources;
    private final Buffer accBuffer = new Buffer(CL_MEM_READ_WRITE);
    private final Buffer doseBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer abBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer targetBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer cellBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer fracBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer matrixBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer piBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer pjBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer pkBuffer = new Buffer(CL_MEM_READ_ONLY);
    private final Buffer outBuffer = new Buffer(CL_MEM_READ_WRITE);
    private boolean closed;

    private OpenClDoseKernels(cl_platform_id platform, cl_device_id device, String deviceName,
                              boolean gpuOrAccelerator, boolean doubleCoordinates) throws UnavailableException {
        this.deviceName = deviceName;
        this.gpuOrAccelerator = gpuOrAccelerator;
        this.doubleCoordinates = doubleCoordinates;
        // Asked before anything is created, so that a failure here leaks nothing.
        long[] globalMem = new long[1];
        CL.clGetDeviceInfo(device, CL.CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_long, Pointer.to(globalMem), null);
        sources = new ResidentGrids(Math.min(globalMem[0] / 4, MAX_RESIDENT_BYTES));
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, platform);
        context = CL.clCreateContext(props, 1, new cl_device_id[] {device}, null, null, null);
        queue = CL.clCreateCommandQueueWithProperties(context, device, null, null);
        program = CL.clCreateProgramWithSource(context, 1, new String[] {programSource()}, null, null);
        try {
            CL.clBuildProgram(program, 0, null, "", null, null);
        } catch (CLException e) {
            String log = buildLog(program, device);
            CL.clReleaseProgram(program);
            CL.clReleaseCommandQueue(queue);
            CL.clReleaseContext(context);
            throw new UnavailableException("the OpenCL program did not build on " + deviceName + ": "
                    + log.lines().findFirst().orElse(e.getMessage()), e);
        }
        eqd2Kernel = CL.clCreateKernel(program, "eqd2_accumulate", null);
        separableKernel = CL.clCreateKernel(program, "resample_separable", null);
        generalKernel = CL.clCreateKernel(program, "resample_general", null);
        gatherKernel = CL.clCreateKernel(program, "gather", null);
    }

    /**
     * Opens the first suitable device: a GPU or accelerator when there is one, else a CPU device such
     * as POCL.
     *
     * @throws UnavailableException when there is no OpenCL runtime, platform or suitable device,
     *                              or the program does not build; the message says which
     */
    public static OpenClDoseKernels open() throws UnavailableException {
        // POCL installs LLVM's signal handlers over the JVM's while it lists its devices (it could while it
        // builds the program too): each call is guarded on its own, so that they are back within milliseconds.
        List<Candidate> devices = SignalHandlers.preserving(OpenClDoseKernels::listDevices);
        Candidate best = null;
        for (Candidate c : devices) {
            if (c.gpuOrAccelerator()) {
                best = c;
                break;
            }
        }
        if (best == null) {
            for (Candidate c : devices) {
                if (c.cpu()) {
                    best = c;
                    break;
                }
            }
        }
        if (best == null) {
            throw new UnavailableException(devices.isEmpty()
                    ? "no OpenCL device found"
                    : "no GPU, accelerator or CPU device, only " + devices.stream().map(Candidate::name).toList());
        }
        Candidate chosen = best;
        try {
            return SignalHandlers.preserving(() -> new OpenClDoseKernels(chosen.platform(), chosen.device(),
                    chosen.name(), chosen.gpuOrAccelerator(), chosen.fp64()));
        } catch (CLException e) {
            throw new UnavailableException("OpenCL device " + best.name() + " could not start: " + e.getMessage(), e);
        }
    }

    private record Candidate(cl_platform_id platform, cl_device_id device, String name, long type, boolean fp64) {
        boolean gpuOrAccelerator() {
            return (type & (CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_ACCELERATOR)) != 0;
        }

        boolean cpu() {
            return (type & CL_DEVICE_TYPE_CPU) != 0;
        }
    }

    private static List<Candidate> listDevices() throws UnavailableException {
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            try {
                CL.clGetPlatformIDs(0, null, count);
            } catch (CLException e) {
                // CL_PLATFORM_NOT_FOUND_KHR from the ICD loader: installed, but no platform.
                throw new UnavailableException("no OpenCL platform found (" + e.getMessage() + ")", e);
            }
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            List<Candidate> out = new ArrayList<>();
            for (cl_platform_id p : platforms) {
                int[] n = new int[1];
                try {
                    CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (CLException e) {
                    continue; // CL_DEVICE_NOT_FOUND on this platform
                }
                cl_device_id[] ids = new cl_device_id[n[0]];
                CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                for (cl_device_id d : ids) {
                    long[] type = new long[1];
                    CL.clGetDeviceInfo(d, CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(type), null);
                    String name = deviceString(d, CL_DEVICE_NAME).trim();
                    boolean fp64 = deviceString(d, CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64");
                    out.add(new Candidate(p, d, name, type[0], fp64));
                }
            }
            return out;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new UnavailableException("no OpenCL runtime (libOpenCL) could be loaded: " + e.getMessage(), e);
        } catch (CLException e) {
            throw new UnavailableException("OpenCL failed while listing devices: " + e.getMessage(), e);
        }
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(d, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetDeviceInfo(d, param, bytes.length, Pointer.to(bytes), null);
        int len = bytes.length > 0 && bytes[bytes.length - 1] == 0 ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] bytes = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
            return new String(bytes, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return e.getMessage();
        }
    }

    private static String programSource() {
        try (InputStream in = OpenClDoseKernels.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "opencl";
    }

    /** The device runs every work-item in parallel; its queue serialises callers anyway. */
    @Override
    public boolean parallelisesItself() {
        return true;
    }

    /** The OpenCL device's name, e.g. {@code pthread-skylake-avx512-AMD EPYC}. */
    public String deviceName() {
        return deviceName;
    }

    /** True on a GPU or accelerator, false on a CPU device. */
    public boolean isGpuOrAccelerator() {
        return gpuOrAccelerator;
    }

    /** True when the device locates cells in double (cl_khr_fp64), as the reference does. */
    public boolean hasDoubleCoordinates() {
        return doubleCoordinates;
    }

    @Override
    public synchronized void eqd2Accumulate(float[] dose, VoxelConversion c, float[] acc, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, Math.min(dose.length, acc.length));
        int count = to - from;
        if (count == 0) {
            return;
        }
        ensureOpen();
        doseBuffer.write(dose, from, count);
        accBuffer.write(acc, from, count);
        Conversion conv = uploadConversion(c, from, count);
        int a = 0;
        setMem(eqd2Kernel, a++, doseBuffer);
        setMem(eqd2Kernel, a++, accBuffer);
        setMem(eqd2Kernel, a++, abBuffer);
        setMem(eqd2Kernel, a++, targetBuffer);
        a = conv.setArgs(eqd2Kernel, a);
        setInt(eqd2Kernel, a, count);
        run(eqd2Kernel, count);
        accBuffer.read(acc, from, count);
    }

    @Override
    public synchronized void resampleEqd2Accumulate(DoseGrid source, Affine3 map, GridGeometry output,
                                                    VoxelConversion c, float[] acc, int kFrom, int kTo) {
        if (kFrom >= kTo) {
            return;
        }
        java.util.Objects.checkFromToIndex(kFrom, kTo, output.nz());
        ensureOpen();
        int nx = output.nx();
        int ny = output.ny();
        int slices = kTo - kFrom;
        int from = nx * ny * kFrom;
        int count = nx * ny * slices;
        cl_mem src = sources.of(source.doseGy());
        accBuffer.write(acc, from, count);
        Conversion conv = uploadConversion(c, from, count);
        GridGeometry sg = source.geometry();
        cl_kernel kernel;
        int a = 0;
        if (map.isAxisAligned(AxisCells.AXIS_ALIGNED_TOLERANCE)) {
            kernel = separableKernel;
            double[] m = map.toArray();
            AxisCells[] axes = AxisCells.ofMap(m, nx, ny, output.nz(), sg.nx(), sg.ny(), sg.nz());
            AxisCells x = axes[0];
            AxisCells y = axes[1];
            AxisCells z = axes[2];
            int[] cells = new int[nx + ny + output.nz()];
            float[] fracs = new float[cells.length];
            int at = 0;
            for (AxisCells axis : axes) {
                System.arraycopy(axis.cell(), 0, cells, at, axis.cell().length);
                System.arraycopy(axis.frac(), 0, fracs, at, axis.frac().length);
                at += axis.cell().length;
            }
            cellBuffer.write(cells, 0, cells.length);
            fracBuffer.write(fracs, 0, fracs.length);
            setMem(kernel, a++, src);
            setMem(kernel, a++, accBuffer);
            setMem(kernel, a++, abBuffer);
            setMem(kernel, a++, targetBuffer);
            setMem(kernel, a++, cellBuffer);
            setMem(kernel, a++, fracBuffer);
            for (int value : new int[] {nx, ny, kFrom, slices, x.first(), x.end(), y.first(), y.end(), z.first(), z.end(),
                    sg.nx(), sg.nx() > 1 ? 1 : 0, sg.ny() > 1 ? sg.nx() : 0,
                    sg.nz() > 1 ? sg.nx() * sg.ny() : 0, sg.nx() * sg.ny()}) {
                setInt(kernel, a++, value);
            }
        } else {
            kernel = generalKernel;
            uploadMatrix(map);
            setMem(kernel, a++, src);
            setMem(kernel, a++, accBuffer);
            setMem(kernel, a++, abBuffer);
            setMem(kernel, a++, targetBuffer);
            setMem(kernel, a++, matrixBuffer);
            for (int value : new int[] {nx, ny, kFrom, slices, sg.nx(), sg.ny(), sg.nz()}) {
                setInt(kernel, a++, value);
            }
        }
        conv.setArgs(kernel, a);
        CL.clEnqueueNDRangeKernel(queue, kernel, 3, null, new long[] {nx, ny, slices}, null, 0, null, null);
        accBuffer.read(acc, from, count);
    }

    /**
     * Gathers of fewer points than {@link #minDeviceGather} run on the host through the plain-Java
     * kernels, outside the device lock. The statistics gather the off-centre samples of a structure's
     * boundary in short runs (tens of points); each as a device round trip (four blocking transfers,
     * serialised over all threads) made a cohort on an H200 take 18-26 s a case against 0.6 s on the
     * CPU (bench/results/gpu.md). Which side a range takes depends on its length, hence on how callers
     * split the work over their threads: both sides agree within the equivalence tests' tolerance, not
     * bit for bit, so a forced {@code opencl} run may differ in the last bits between machines.
     */
    @Override
    public void gather(DoseGrid source, Affine3 map, float[] pi, float[] pj, float[] pk,
                       float doseScale, float[] out, int from, int to) {
        if (to - from < minDeviceGather) {
            JavaDoseKernels.INSTANCE.gather(source, map, pi, pj, pk, doseScale, out, from, to);
        } else {
            gatherOnDevice(source, map, pi, pj, pk, doseScale, out, from, to);
        }
    }

    private synchronized void gatherOnDevice(DoseGrid source, Affine3 map, float[] pi, float[] pj, float[] pk,
                                             float doseScale, float[] out, int from, int to) {
        int count = to - from;
        if (count <= 0) {
            return;
        }
        ensureOpen();
        cl_mem src = sources.of(source.doseGy());
        uploadMatrix(map);
        piBuffer.write(pi, from, count);
        pjBuffer.write(pj, from, count);
        pkBuffer.write(pk, from, count);
        outBuffer.ensure(count * (long) Sizeof.cl_float);
        GridGeometry sg = source.geometry();
        int a = 0;
        setMem(gatherKernel, a++, src);
        setMem(gatherKernel, a++, matrixBuffer);
        setMem(gatherKernel, a++, piBuffer);
        setMem(gatherKernel, a++, pjBuffer);
        setMem(gatherKernel, a++, pkBuffer);
        setMem(gatherKernel, a++, outBuffer);
        setInt(gatherKernel, a++, count);
        setFloat(gatherKernel, a++, doseScale);
        setInt(gatherKernel, a++, sg.nx());
        setInt(gatherKernel, a++, sg.ny());
        setInt(gatherKernel, a, sg.nz());
        run(gatherKernel, count);
        outBuffer.read(out, from, count);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    private void release() {
        sources.clear();
        for (Buffer b : new Buffer[] {accBuffer, doseBuffer, abBuffer, targetBuffer, cellBuffer,
                fracBuffer, matrixBuffer, piBuffer, pjBuffer, pkBuffer, outBuffer}) {
            b.release();
        }
        for (cl_kernel k : new cl_kernel[] {eqd2Kernel, separableKernel, generalKernel, gatherKernel}) {
            if (k != null) {
                CL.clReleaseKernel(k);
            }
        }
        CL.clReleaseProgram(program);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the OpenCL kernels were closed");
        }
    }

    private void uploadMatrix(Affine3 map) {
        double[] m = map.toArray();
        ByteBuffer bytes = ByteBuffer.allocateDirect(12 * (doubleCoordinates ? 8 : 4)).order(ByteOrder.nativeOrder());
        for (double value : m) {
            if (doubleCoordinates) {
                bytes.putDouble(value);
            } else {
                bytes.putFloat((float) value);
            }
        }
        bytes.flip();
        matrixBuffer.ensure(bytes.capacity());
        CL.clEnqueueWriteBuffer(queue, matrixBuffer.mem, CL_TRUE, 0, bytes.capacity(), Pointer.to(bytes), 0, null,
                null);
    }

    /** Uploads the alpha/beta map and target mask ranges (or 1-element placeholders) and returns the constants. */
    private Conversion uploadConversion(VoxelConversion c, int from, int count) {
        int flags = 0;
        if (c.alphaBetaMapGy() != null) {
            abBuffer.write(c.alphaBetaMapGy(), from, count);
            flags |= 1;
        } else if (c.alphaBetaIndex() != null) {
            abBuffer.writeAlphaBeta(c, from, count); // the device gets floats, as for a float map
            flags |= 1;
        } else {
            abBuffer.ensure(Sizeof.cl_float);
        }
        if (c.targetMask() != null) {
            targetBuffer.write(c.targetMask(), from, count);
            flags |= 2;
        } else {
            targetBuffer.ensure(1);
        }
        return new Conversion(c, flags);
    }

    /** Course constants as kernel arguments: flags, a, b, scale, 1/n, weight (see dose_kernels.cl). */
    private record Conversion(VoxelConversion c, int flags) {
        int setArgs(cl_kernel kernel, int a) {
            double ab = c.uniformAlphaBetaGy();
            double s = c.doseScale();
            setInt(kernel, a++, flags);
            setFloat(kernel, a++, (float) (s * s / (c.fractions() * (2.0 + ab))));
            setFloat(kernel, a++, (float) (s * ab / (2.0 + ab)));
            setFloat(kernel, a++, c.doseScale());
            setFloat(kernel, a++, (float) (1.0 / c.fractions()));
            setFloat(kernel, a++, c.normalTissueWeight());
            return a;
        }
    }

    private void run(cl_kernel kernel, int workItems) {
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {workItems}, null, 0, null, null);
    }

    private static void setMem(cl_kernel k, int index, Buffer b) {
        CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(b.mem));
    }

    private static void setMem(cl_kernel k, int index, cl_mem mem) {
        CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(mem));
    }

    private static void setInt(cl_kernel k, int index, int value) {
        CL.clSetKernelArg(k, index, Sizeof.cl_int, Pointer.to(new int[] {value}));
    }

    private static void setFloat(cl_kernel k, int index, float value) {
        CL.clSetKernelArg(k, index, Sizeof.cl_float, Pointer.to(new float[] {value}));
    }

    /**
     * Source dose grids kept on the device, most recently used first, up to a byte limit. Parallel
     * cases of a cohort alternate their grids on the one queue; with a single uploaded grid every
     * call re-uploaded one (tens of MB), which made a 96-case cohort on an H200 40x slower than the
     * CPU (bench/results/gpu.md). Grids are held weakly: a grid the heap drops is released here too.
     */
    private final class ResidentGrids {
        private final long limitBytes;
        private final List<Resident> byRecency = new ArrayList<>();
        private long bytes;

        private record Resident(WeakReference<float[]> grid, cl_mem mem, long bytes) {
        }

        ResidentGrids(long limitBytes) {
            this.limitBytes = limitBytes;
        }

        cl_mem of(float[] grid) {
            for (int i = byRecency.size() - 1; i >= 0; i--) {
                if (byRecency.get(i).grid().refersTo(null)) {
                    evict(i);
                }
            }
            for (int i = 0; i < byRecency.size(); i++) {
                Resident r = byRecency.get(i);
                if (r.grid().refersTo(grid)) {
                    byRecency.add(0, byRecency.remove(i));
                    return r.mem();
                }
            }
            long size = Math.max(16, grid.length * (long) Sizeof.cl_float);
            while (!byRecency.isEmpty() && bytes + size > limitBytes) {
                evict(byRecency.size() - 1);
            }
            cl_mem mem = CL.clCreateBuffer(context, CL_MEM_READ_ONLY, size, null, null);
            try {
                CL.clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, grid.length * (long) Sizeof.cl_float,
                        Pointer.to(grid), 0, null, null);
            } catch (CLException e) {
                CL.clReleaseMemObject(mem);
                throw e;
            }
            byRecency.add(0, new Resident(new WeakReference<>(grid), mem, size));
            bytes += size;
            return mem;
        }

        private void evict(int i) {
            Resident r = byRecency.remove(i);
            CL.clReleaseMemObject(r.mem());
            bytes -= r.bytes();
        }

        void clear() {
            while (!byRecency.isEmpty()) {
                evict(byRecency.size() - 1);
            }
        }
    }

    /** A device buffer that grows to the largest size asked for and is then reused. */
    private final class Buffer {
        private final long flags;
        private cl_mem mem;
        private long capacityBytes;

        Buffer(long flags) {
            this.flags = flags;
        }

        void ensure(long bytes) {
            if (bytes > capacityBytes || mem == null) {
                release();
                long size = Math.max(bytes, 16);
                mem = CL.clCreateBuffer(context, flags, size, null, null);
                capacityBytes = size;
            }
        }

        void write(float[] data, int from, int count) {
            ensure(count * (long) Sizeof.cl_float);
            CL.clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, count * (long) Sizeof.cl_float,
                    Pointer.to(data).withByteOffset(from * (long) Sizeof.cl_float), 0, null, null);
        }

        void write(int[] data, int from, int count) {
            ensure(count * (long) Sizeof.cl_int);
            CL.clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, count * (long) Sizeof.cl_int,
                    Pointer.to(data).withByteOffset(from * (long) Sizeof.cl_int), 0, null, null);
        }

        void write(byte[] data, int from, int count) {
            ensure(count);
            CL.clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, count, Pointer.to(data).withByteOffset(from), 0, null,
                    null);
        }

        /** Voxels [from, from + count) of an indexed alpha/beta map, looked up into floats a piece at a time. */
        void writeAlphaBeta(VoxelConversion c, int from, int count) {
            ensure(count * (long) Sizeof.cl_float);
            float[] piece = new float[Math.min(count, 1 << 16)];
            for (int done = 0; done < count; done += piece.length) {
                int n = Math.min(piece.length, count - done);
                c.alphaBetaInto(from + done, n, piece);
                CL.clEnqueueWriteBuffer(queue, mem, CL_TRUE, done * (long) Sizeof.cl_float, n * (long) Sizeof.cl_float,
                        Pointer.to(piece), 0, null, null);
            }
        }

        void read(float[] data, int from, int count) {
            CL.clEnqueueReadBuffer(queue, mem, CL_TRUE, 0, count * (long) Sizeof.cl_float,
                    Pointer.to(data).withByteOffset(from * (long) Sizeof.cl_float), 0, null, null);
        }

        void release() {
            if (mem != null) {
                CL.clReleaseMemObject(mem);
                mem = null;
                capacityBytes = 0;
            }
        }
    }
}
