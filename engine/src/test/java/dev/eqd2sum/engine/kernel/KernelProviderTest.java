package dev.eqd2sum.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eqd2sum.engine.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The --backend rules of CONTRACT ("Backends"). */
class KernelProviderTest {
    @Test
    void scalarIsAlwaysThere() {
        KernelProvider.Selection s = KernelProvider.select("scalar", 10);
        assertThat(s.kernels()).isSameAs(JavaDoseKernels.INSTANCE);
        assertThat(s.name()).isEqualTo("scalar");
        assertThat(s.message()).startsWith("eqd2sum: backend scalar (forced").doesNotContain("\n");
    }

    @Test
    void unknownBackendIsBadInputNamingTheOption() {
        assertThatThrownBy(() -> KernelProvider.select("cuda", 10))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> {
                    InvalidInputException ie = (InvalidInputException) e;
                    assertThat(ie.source()).isEqualTo("--backend");
                    assertThat(ie.problem()).contains("cuda").contains("auto, scalar, vector or opencl");
                });
    }

    @Test
    void namesAreCaseInsensitiveAndBlankMeansAuto() {
        assertThat(KernelProvider.select(" Scalar ", 10).name()).isEqualTo("scalar");
        assertThat(KernelProvider.select(null, 10).reason()).startsWith("auto");
        assertThat(KernelProvider.select("", 10).reason()).startsWith("auto");
    }

    @Test
    void forcedBackendEitherStartsOrIsBadInput() {
        for (String b : KernelProvider.BACKENDS) {
            KernelProvider.Attempt a = KernelProvider.start(b);
            if (a.kernels().isPresent()) {
                KernelProvider.Selection s = KernelProvider.select(b, 10);
                assertThat(s.name()).isEqualTo(b);
                assertThat(s.kernels().name()).isEqualTo(b);
            } else {
                assertThatThrownBy(() -> KernelProvider.select(b, 10))
                        .isInstanceOf(InvalidInputException.class)
                        .hasMessageStartingWith("--backend: " + b + " cannot start: ");
            }
        }
    }

    @Test
    void autoNeverFailsAndFollowsTheRule() {
        KernelProvider.Selection one = KernelProvider.select("auto", 1);
        KernelProvider.Selection small = KernelProvider.select("auto", KernelProvider.ACCELERATED_MIN_VOXEL_PASSES - 1);
        KernelProvider.Selection large = KernelProvider.select("auto", KernelProvider.ACCELERATED_MIN_VOXEL_PASSES);
        assertThat(small.message()).doesNotContain("\n");
        // Below the threshold: the plain loops, whatever devices there are.
        assertThat(one.name()).isEqualTo("scalar");
        assertThat(small.name()).isEqualTo("scalar");
        assertThat(small.reason()).contains("too few to pay for starting a GPU or the Vector API");
        boolean gpu = KernelProvider.start("opencl").kernels()
                .map(k -> ((OpenClDoseKernels) k).isGpuOrAccelerator()).orElse(false);
        if (gpu) {
            assertThat(large.name()).isEqualTo("opencl");
            return;
        }
        boolean vector = KernelProvider.start("vector").kernels().isPresent();
        assertThat(large.name()).isEqualTo(vector ? "vector" : "scalar");
        assertThat(large.reason()).contains("OpenCL");
    }

    @Test
    void aPlannedCohortMakesEachSmallCaseCount() {
        try {
            KernelProvider.planRun(KernelProvider.ACCELERATED_MIN_VOXEL_PASSES);
            KernelProvider.Selection s = KernelProvider.select("auto", 10);
            boolean gpu = s.name().equals("opencl");
            boolean vector = KernelProvider.start("vector").kernels().isPresent();
            if (!gpu) {
                assertThat(s.name()).isEqualTo(vector ? "vector" : "scalar");
            }
        } finally {
            KernelProvider.planRun(0);
        }
        KernelProvider.Selection after = KernelProvider.select("auto", 10);
        assertThat(after.name()).isEqualTo("scalar");
    }

    @Test
    void autoNeverTakesACpuOpenClDevice() {
        KernelProvider.Selection s = KernelProvider.select("auto", 1);
        if (s.name().equals("opencl")) {
            assertThat(((OpenClDoseKernels) s.kernels()).isGpuOrAccelerator()).isTrue();
        }
    }
}
