package dev.eqd2sum.cli;

import dev.eqd2sum.io.report.SmallCaseResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Under --quiet the table is gone; failed and unevaluated constraints still get a stderr line each. */
class QuietConstraintLinesTest {
    @Test
    void failedAndUnevaluatedConstraintsAreOneLineEachPassedOnesNone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SumCommand.printConstraintProblems(SmallCaseResult.build(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "eqd2sum: constraint failed: sahgal2012-2 (voxelwise, SpinalCord): 30.00 Gy is not < 25 Gy",
                "eqd2sum: constraint not evaluated: kowalchuk2024-ptv-dmin (summary): no contoured structure for the"
                        + " high-dose PTV");
    }
}
