package dev.eqd2sum.bench;

import dev.eqd2sum.engine.dose.DoseGrid;
import dev.eqd2sum.engine.geometry.Affine3;
import dev.eqd2sum.engine.geometry.GridGeometry;
import dev.eqd2sum.engine.kernel.DoseKernelSupport;
import dev.eqd2sum.engine.kernel.KernelProvider;
import dev.eqd2sum.engine.kernel.VoxelConversion;

/** The grids of the kernel benchmarks (issue "Fast kernels"): sizes and spacings of the std and large cases. */
final class KernelFixtures {
    private KernelFixtures() {
    }

    /** The std output grid: 200x200x150 at 2 mm, centred on the origin. */
    static GridGeometry stdOutput() {
        return GridGeometry.axisAligned(200, 200, 150, -199, -199, -149, 2, 2, 2);
    }

    /** The large output grid: 512x512x200 at 1 mm. */
    static GridGeometry largeOutput() {
        return GridGeometry.axisAligned(512, 512, 200, -255.5, -255.5, -99.5, 1, 1, 1);
    }

    /** The prior: 180x160x110 at 2.5x2.5x3 mm, offset from the output so that it covers it in part. */
    static GridGeometry prior() {
        return GridGeometry.axisAligned(180, 160, 110, -220, -195, -160, 2.5, 2.5, 3);
    }

    static GridGeometry output(String grid) {
        return switch (grid) {
            case "std" -> stdOutput();
            case "large" -> largeOutput();
            default -> throw new IllegalArgumentException(grid);
        };
    }

    /** A smooth dose field (Gy) with a hot region and a fall-off, like a plan's physical dose. */
    static float[] dose(GridGeometry g, float maxGy) {
        float[] d = new float[g.voxelCount()];
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        for (int k = 0; k < nz; k++) {
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    double x = (i - nx / 2.0) / nx;
                    double y = (j - ny / 2.0) / ny;
                    double z = (k - nz / 2.0) / nz;
                    d[i + nx * (j + ny * k)] = (float) (maxGy * Math.exp(-8 * (x * x + y * y + z * z)));
                }
            }
        }
        return d;
    }

    static DoseGrid priorDose() {
        GridGeometry p = prior();
        return new DoseGrid(p, dose(p, 30f));
    }

    /** Output index -> prior index, axis-aligned (same orientation) or through a small rotation. */
    static Affine3 priorMap(GridGeometry output, boolean rotated) {
        Affine3 outputToPatient = output.indexToPatient();
        if (rotated) {
            // 3 degrees about z, 2 degrees about x: a typical rigid registration.
            double a = Math.toRadians(3);
            double b = Math.toRadians(2);
            Affine3 rz = Affine3.of(Math.cos(a), -Math.sin(a), 0, 1.5, Math.sin(a), Math.cos(a), 0, -2, 0, 0, 1, 0.5);
            Affine3 rx = Affine3.of(1, 0, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, 0, Math.sin(b), Math.cos(b), 0);
            outputToPatient = rz.after(rx).after(outputToPatient);
        }
        return prior().patientToIndex().after(outputToPatient);
    }

    /** The reirradiation course's conversion: 3 fractions, uniform alpha/beta 2 Gy, no forgiveness. */
    static VoxelConversion current() {
        return VoxelConversion.uniform(3, 2f);
    }

    /** The prior course's conversion: 10 fractions, alpha/beta 2 Gy, 25 % forgiven. */
    static VoxelConversion priorCourse() {
        return new VoxelConversion(10, 1f, 2f, null, 0.75f, null);
    }

    /** A backend by its --backend name, or {@code reference} for the scalar reference (not a backend). */
    static DoseKernelSupport backend(String name) {
        if (name.equals("reference")) {
            return dev.eqd2sum.engine.kernel.ScalarDoseKernels.INSTANCE;
        }
        return KernelProvider.start(name).kernels().orElseThrow(() ->
                new IllegalStateException(name + " cannot start: " + KernelProvider.start(name).reason()));
    }
}
