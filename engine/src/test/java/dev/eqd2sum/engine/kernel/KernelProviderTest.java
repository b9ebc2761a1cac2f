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
        // Below the threshold the plain loops; from it the Vector API where it starts; never OpenCL.
        assertThat(one.name()).isEqualTo("scalar");
        assertThat(small.name()).isEqualTo("scalar");
        assertThat(small.reason()).contains("too few to pay for the Vector API's warm-up");
        boolean vector = KernelProvider.start("vector").kernels().isPresent();
        assertThat(large.name()).isEqualTo(vector ? "vector" : "scalar");
    }

    @Test
    void aPlannedCohortMakesEachSmallCaseCount() {
        try {
            KernelProvider.planRun(KernelProvider.ACCELERATED_MIN_VOXEL_PASSES);
            KernelProvider.Selection s = KernelProvider.select("auto", 10);
            boolean vector = KernelProvider.start("vector").kernels().isPresent();
            assertThat(s.name()).isEqualTo(vector ? "vector" : "scalar");
        } finally {
            KernelProvider.planRun(0);
        }
        assertThat(KernelProvider.select("auto", 10).name()).isEqualTo("scalar");
    }

    @Test
    void autoNeverTakesOpenCl() {
        for (long passes : new long[] {1, KernelProvider.ACCELERATED_MIN_VOXEL_PASSES, Long.MAX_VALUE}) {
            assertThat(KernelProvider.select("auto", passes).name()).isNotEqualTo("opencl");
        }
    }
}
