package dev.eqd2sum.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend the provider knows against the scalar reference {@link ScalarDoseKernels}, on random grids, transforms
 * (axis-aligned with flips and rotated), odd sizes and vector tails, alpha/beta maps, target masks
 * and points outside the grid: |a - b| <= 1e-5 * max(|ref|, max of the grid).
 *
 * <p>Tries are few because the Vector API runs interpreted in a short test JVM (each call on a tiny
 * grid costs tens of milliseconds until C2 compiles it); every run draws new random cases.
 *
 * <p>The backends come from {@link KernelProvider#BACKENDS}, and {@link #everyImplementationIsAProviderBackend}
 * fails when a class in this package implements {@link DoseKernelSupport} without being one, so a new
 * kernel cannot escape this test. A backend that cannot start here is skipped with its reason, except
 * with EQD2SUM_REQUIRE_CROSSCHECK=1 (CI, where POCL is installed), where that is a failure.
 */
class KernelEquivalenceTest {
    private static final double TOLERANCE = 1e-5;
    private static final boolean REQUIRE = "1".equals(System.getenv("EQD2SUM_REQUIRE_CROSSCHECK"));

    // --- which backends run -----------------------------------------------------------------

    static Stream<String> backends() {
        return KernelProvider.BACKENDS.stream();
    }

    /** The backends that started here; the others are reported by {@link #backendStarts}. */
    private static List<DoseKernelSupport> available() {
        List<DoseKernelSupport> out = new ArrayList<>();
        backends().forEach(b -> KernelProvider.start(b).kernels().ifPresent(out::add));
        return out;
    }

    @ParameterizedTest(name = "{0} starts here")
    @MethodSource("backends")
    void backendStarts(String backend) {
        KernelProvider.Attempt a = KernelProvider.start(backend);
        if (a.kernels().isEmpty()) {
            if (REQUIRE) {
                fail(backend + " cannot start, and EQD2SUM_REQUIRE_CROSSCHECK=1: " + a.reason());
            }
            Assumptions.abort(backend + " cannot start here, so it is not cross-checked: " + a.reason());
        }
        assertThat(a.kernels().get().name()).isEqualTo(backend);
    }

    @Test
    void everyImplementationIsAProviderBackend() throws IOException, URISyntaxException, ClassNotFoundException {
        String pkg = DoseKernelSupport.class.getPackageName();
        URL contract = DoseKernelSupport.class.getResource("DoseKernelSupport.class");
        assertThat(contract).isNotNull();
        Path dir = Path.of(contract.toURI()).getParent();
        Set<String> implementations = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName(pkg + "." + simple, false, getClass().getClassLoader());
                if (DoseKernelSupport.class.isAssignableFrom(c) && !c.isInterface()) {
                    implementations.add(c.getName());
                }
            }
        }
        Set<String> known = new TreeSet<>();
        known.add(ScalarDoseKernels.class.getName()); // the reference itself
        for (String b : KernelProvider.BACKENDS) {
            known.add(KernelProvider.implementationClass(b));
        }
        assertThat(implementations).as("classes implementing DoseKernelSupport vs KernelProvider.BACKENDS + reference")
                .isEqualTo(known);
    }

    // --- same-grid pass ---------------------------------------------------------------------

    @Property(tries = 60)
    void eqd2AccumulateMatchesReference(@ForAll @IntRange(min = 0, max = 300) int length,
                                        @ForAll long seed) {
        Random r = new Random(seed);
        float[] dose = randomDose(r, length, 80f);
        VoxelConversion c = randomConversion(r, length);
        float[] initial = randomAccumulator(r, length);
        int from = length == 0 ? 0 : r.nextInt(length + 1);
        int to = from + (length == from ? 0 : r.nextInt(length - from + 1));
        float[] ref = initial.clone();
        ScalarDoseKernels.INSTANCE.eqd2Accumulate(dose, c, ref, from, to);
        for (DoseKernelSupport k : available()) {
            float[] got = initial.clone();
            k.eqd2Accumulate(dose, c, got, from, to);
            assertClose(k, "eqd2Accumulate [" + from + ", " + to + ")", ref, got);
        }
    }

    /** An alpha/beta index over a range longer than the pieces the backends look it up in (1024, 65536 voxels). */
    @Test
    void longRangesWithAnAlphaBetaIndexMatchReference() {
        Random r = new Random(20261128);
        int length = 150_001;
        float[] dose = randomDose(r, length, 80f);
        float[] table = {3f, 2f, 10f, 0.5f};
        byte[] index = new byte[length];
        for (int v = 0; v < length; v++) {
            index[v] = (byte) ((v / 7 + v % 5) % table.length);
        }
        byte[] target = new byte[length];
        target[length / 2] = 1;
        VoxelConversion c = new VoxelConversion(5, 1.2f, 3f, null, 0.7f, target, index, table);
        float[] initial = randomAccumulator(r, length);
        float[] ref = initial.clone();
        ScalarDoseKernels.INSTANCE.eqd2Accumulate(dose, c, ref, 777, length - 5);
        for (DoseKernelSupport k : available()) {
            float[] got = initial.clone();
            k.eqd2Accumulate(dose, c, got, 777, length - 5);
            assertClose(k, "eqd2Accumulate with an index, [777, " + (length - 5) + ")", ref, got);
        }
    }

    // --- fused resample ---------------------------------------------------------------------

    @Property(tries = 80)
    void resampleMatchesReference(@ForAll @IntRange(min = 1, max = 41) int nx,
                                  @ForAll @IntRange(min = 1, max = 9) int ny,
                                  @ForAll @IntRange(min = 1, max = 6) int nz,
                                  @ForAll boolean rotated,
                                  @ForAll long seed) {
        Random r = new Random(seed);
        GridGeometry output = GridGeometry.axisAligned(nx, ny, nz, 0, 0, 0, 2, 2, 2);
        DoseGrid source = randomSource(r);
        Affine3 map = rotated ? rotatedMap(r, source.geometry()) : axisAlignedMap(r, output, source.geometry());
        VoxelConversion c = randomConversion(r, output.voxelCount());
        float[] initial = randomAccumulator(r, output.voxelCount());
        int kFrom = r.nextInt(nz);
        int kTo = kFrom + 1 + r.nextInt(nz - kFrom);
        float[] ref = initial.clone();
        ScalarDoseKernels.INSTANCE.resampleEqd2Accumulate(source, map, output, c, ref, kFrom, kTo);
        for (DoseKernelSupport k : available()) {
            float[] got = initial.clone();
            k.resampleEqd2Accumulate(source, map, output, c, got, kFrom, kTo);
            assertClose(k, "resample " + output + " from " + source.geometry() + " via " + map
                    + " slices [" + kFrom + ", " + kTo + ")", ref, got);
        }
    }

    /** Whole grids through the facade with 1 and 3 threads: slab boundaries change nothing. */
    @Property(tries = 12)
    void facadeSplitsLikeOneCall(@ForAll @IntRange(min = 1, max = 3) int threads, @ForAll long seed) {
        Random r = new Random(seed);
        GridGeometry output = GridGeometry.axisAligned(5 + r.nextInt(30), 1 + r.nextInt(9), 1 + r.nextInt(9),
                0, 0, 0, 2, 2, 2);
        DoseGrid source = randomSource(r);
        Affine3 map = r.nextBoolean() ? rotatedMap(r, source.geometry())
                : axisAlignedMap(r, output, source.geometry());
        VoxelConversion c = randomConversion(r, output.voxelCount());
        float[] ref = new float[output.voxelCount()];
        ScalarDoseKernels.INSTANCE.resampleEqd2Accumulate(source, map, output, c, ref, 0, output.nz());
        ScalarDoseKernels.INSTANCE.eqd2Accumulate(ref.clone(), c, ref, 0, ref.length);
        for (DoseKernelSupport k : available()) {
            float[] got = new float[output.voxelCount()];
            try (DoseKernels kernels = new DoseKernels(k, threads)) {
                kernels.resampleEqd2Accumulate(source, map, output, c, got);
                kernels.eqd2Accumulate(got.clone(), c, got);
            }
            assertClose(k, "facade, " + threads + " threads", ref, got);
        }
    }

    // --- gather -----------------------------------------------------------------------------

    @Property(tries = 60)
    void gatherMatchesReference(@ForAll @IntRange(min = 0, max = 70) int points,
                                @ForAll boolean rotated, @ForAll long seed) {
        Random r = new Random(seed);
        DoseGrid source = randomSource(r);
        GridGeometry sg = source.geometry();
        Affine3 map = rotated ? rotatedMap(r, sg)
                : Affine3.of(1, 0, 0, r.nextInt(3) - 1, 0, 1, 0, 0, 0, 0, 1, r.nextDouble() - 0.5);
        float[][] xyz = points(r, sg, points);
        float[] pi = xyz[0], pj = xyz[1], pk = xyz[2];
        float scale = 0.1f + 2 * r.nextFloat();
        int from = points == 0 ? 0 : r.nextInt(points + 1);
        int to = from + (points == from ? 0 : r.nextInt(points - from + 1));
        float[] ref = new float[points];
        Arrays.fill(ref, -1f);
        ScalarDoseKernels.INSTANCE.gather(source, map, pi, pj, pk, scale, ref, from, to);
        for (DoseKernelSupport k : available()) {
            float[] got = new float[points];
            Arrays.fill(got, -1f);
            k.gather(source, map, pi, pj, pk, scale, got, from, to);
            assertClose(k, "gather [" + from + ", " + to + ") via " + map, ref, got, scale * source.maxGy());
        }
    }

    /** Parallel cases alternate their grids on one backend (OpenCL keeps several resident): interleave them. */
    @Property(tries = 12)
    void interleavedGridsMatchReference(@ForAll @IntRange(min = 2, max = 5) int grids, @ForAll long seed) {
        Random r = new Random(seed);
        DoseGrid[] sources = new DoseGrid[grids];
        for (int g = 0; g < grids; g++) {
            sources[g] = randomSource(r);
        }
        int points = 40;
        for (int call = 0; call < 4 * grids; call++) {
            DoseGrid source = sources[r.nextInt(grids)];
            GridGeometry sg = source.geometry();
            float[][] xyz = points(r, sg, points);
            float[] pi = xyz[0], pj = xyz[1], pk = xyz[2];
            float[] ref = new float[points];
            ScalarDoseKernels.INSTANCE.gather(source, Affine3.identity(), pi, pj, pk, 1f, ref, 0, points);
            for (DoseKernelSupport k : available()) {
                float[] got = new float[points];
                k.gather(source, Affine3.identity(), pi, pj, pk, 1f, got, 0, points);
                assertClose(k, "gather, call " + call + " of interleaved grids", ref, got, source.maxGy());
            }
        }
    }

    // --- random inputs ----------------------------------------------------------------------

    /** Continuous indices (i, j, k) of n points up to two voxels beyond every face, some on centres and faces. */
    private static float[][] points(Random r, GridGeometry g, int n) {
        float[][] xyz = new float[3][n];
        for (int s = 0; s < n; s++) {
            xyz[0][s] = coordinate(r, g.nx());
            xyz[1][s] = coordinate(r, g.ny());
            xyz[2][s] = coordinate(r, g.nz());
        }
        return xyz;
    }

    private static float coordinate(Random r, int n) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(n);                                   // a voxel centre
            case 1 -> r.nextBoolean() ? -0.0005f : n - 1 + 0.0005f;  // just inside the edge tolerance
            default -> (float) (-2 + (n + 3) * r.nextDouble());
        };
    }

    private static DoseGrid randomSource(Random r) {
        int nx = 1 + r.nextInt(24);
        int ny = 1 + r.nextInt(9);
        int nz = 1 + r.nextInt(7);
        GridGeometry g = GridGeometry.axisAligned(nx, ny, nz, 0, 0, 0, 2.5, 2.5, 3);
        return new DoseGrid(g, randomDose(r, g.voxelCount(), 10 + 70 * r.nextFloat()));
    }

    private static float[] randomDose(Random r, int n, float max) {
        float[] d = new float[n];
        boolean smooth = r.nextBoolean();
        for (int v = 0; v < n; v++) {
            // Noise is the hardest case for interpolation; a ramp with zeros is the usual one.
            d[v] = smooth ? max * (v % 17) / 16f : (r.nextInt(10) == 0 ? 0f : max * r.nextFloat());
        }
        return d;
    }

    private static float[] randomAccumulator(Random r, int n) {
        float[] acc = new float[n];
        if (r.nextBoolean()) {
            for (int v = 0; v < n; v++) {
                acc[v] = 100 * r.nextFloat();
            }
        }
        return acc;
    }

    private static VoxelConversion randomConversion(Random r, int voxels) {
        double fractions = r.nextBoolean() ? 1 + r.nextInt(35) : 0.5 + 30 * r.nextDouble();
        float scale = r.nextBoolean() ? 1f : 0.05f + 2 * r.nextFloat();
        float ab = 0.5f + 19.5f * r.nextFloat();
        float[] map = null;
        byte[] index = null;
        float[] table = null;
        int mapKind = r.nextInt(3);
        if (mapKind == 1) {
            map = new float[voxels];
            for (int v = 0; v < voxels; v++) {
                map[v] = r.nextBoolean() ? ab : 0.5f + 14.5f * r.nextFloat();
            }
        } else if (mapKind == 2) {
            // A byte index into a table: a few values as in a case, or all 256 (indices above 127 included).
            table = new float[r.nextBoolean() ? 1 + r.nextInt(6) : 256];
            for (int i = 0; i < table.length; i++) {
                table[i] = i == 0 ? ab : 0.5f + 14.5f * r.nextFloat();
            }
            index = new byte[voxels];
            for (int v = 0; v < voxels; v++) {
                index[v] = (byte) r.nextInt(table.length);
            }
        }
        byte[] target = null;
        if (r.nextBoolean()) {
            target = new byte[voxels];
            for (int v = 0; v < voxels; v++) {
                target[v] = (byte) (r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 0);
            }
        }
        float weight = r.nextBoolean() ? 1f : r.nextFloat();
        return new VoxelConversion(fractions, scale, ab, map, weight, target, index, table);
    }

    /** Per-axis scale (with flips) and offset, sometimes whole voxels, sometimes reaching outside. */
    private static Affine3 axisAlignedMap(Random r, GridGeometry out, GridGeometry src) {
        double[] m = new double[12];
        int[] outN = {out.nx(), out.ny(), out.nz()};
        int[] srcN = {src.nx(), src.ny(), src.nz()};
        for (int a = 0; a < 3; a++) {
            double scale = switch (r.nextInt(4)) {
                case 0 -> 1.0;
                case 1 -> 0.8; // 2 mm output onto 2.5 mm source
                default -> (r.nextBoolean() ? 1 : -1) * (0.2 + 1.5 * r.nextDouble());
            };
            double offset = r.nextBoolean()
                    ? r.nextInt(srcN[a] + 2) - 1
                    : -2 + (srcN[a] + 3) * r.nextDouble();
            if (scale < 0) {
                offset = Math.max(offset, -scale * (outN[a] - 1) * r.nextDouble());
            }
            m[a * 4 + a] = scale;
            m[a * 4 + 3] = offset;
        }
        return Affine3.of(m);
    }

    /** A random rotation (from a random unit quaternion) with per-axis scale, centred on the source. */
    private static Affine3 rotatedMap(Random r, GridGeometry src) {
        double qw = r.nextGaussian();
        double qx = r.nextGaussian();
        double qy = r.nextGaussian();
        double qz = r.nextGaussian();
        double n = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        qw /= n;
        qx /= n;
        qy /= n;
        qz /= n;
        double[][] rot = {
            {1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw)},
            {2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw)},
            {2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)}};
        double s = 0.5 + r.nextDouble();
        double[] centre = {(src.nx() - 1) / 2.0, (src.ny() - 1) / 2.0, (src.nz() - 1) / 2.0};
        double[] m = new double[12];
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                m[a * 4 + b] = s * rot[a][b];
            }
            m[a * 4 + 3] = centre[a] + 3 * r.nextGaussian() - s * (rot[a][0] + rot[a][1] + rot[a][2]) * 4;
        }
        return Affine3.of(m);
    }

    // --- comparison -------------------------------------------------------------------------

    private static void assertClose(DoseKernelSupport k, String what, float[] ref, float[] got) {
        float max = 0;
        for (float v : ref) {
            max = Math.max(max, Math.abs(v));
        }
        assertClose(k, what, ref, got, max);
    }

    private static void assertClose(DoseKernelSupport k, String what, float[] ref, float[] got, float gridMax) {
        for (int v = 0; v < ref.length; v++) {
            double bound = TOLERANCE * Math.max(Math.abs(ref[v]), gridMax);
            if (!(Math.abs(ref[v] - got[v]) <= bound)) {
                fail("%s differs from scalar at %d in %s: %s vs %s (bound %.3g)",
                        k.name(), v, what, got[v], ref[v], bound);
            }
        }
    }
}
