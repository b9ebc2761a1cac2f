package dev.eqd2sum.io.casefile;

import dev.eqd2sum.engine.constraint.Constraint;
import dev.eqd2sum.engine.constraint.ConstraintEvaluator;
import dev.eqd2sum.engine.constraint.ConstraintInputs;
import dev.eqd2sum.engine.constraint.ConstraintResult;
import dev.eqd2sum.engine.constraint.ConstraintResult.Status;
import dev.eqd2sum.engine.constraint.EvaluationMethod;
import dev.eqd2sum.engine.constraint.Role;
import dev.eqd2sum.engine.constraint.ValueScope;
import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.lq.Eqd2;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The study's neuropathy patient (DOMAIN.md; Lucido 2025, Table 5): prior 30 Gy in 10 fractions with a cord
 * Dmax of 32.8 Gy, reSBRT in 1 fraction with cord Dmax 10.0 Gy and D0.03cc 9.0 Gy, 20 months apart. The
 * study added per-course values (the summary method), so this test gives the built-in
 * {@code spine-reirradiation} set exactly those per-course values.
 *
 * <p>What the study did, derived: EQD2(2) of 32.8 Gy/10 fx = 43.30; 10.0 Gy/1 fx = 30.00; 9.0 Gy/1 fx =
 * 24.75. Nelson uses alpha/beta 3: 32.8 Gy/10 fx = 41.20, reduced by 33 % (20 months lies in the
 * 12-24 month step) = 27.60; 9.0 Gy/1 fx = 21.60 and 10.0 Gy/1 fx = 26.00. So by D0.03cc
 * 27.60 + 21.60 = 49.20 &lt; 50 passes and by Dmax 27.60 + 26.00 = 53.60 fails (the study's text says 53.5).
 */
class SpineReirradiationNeuropathyPatientTest {
    private static final double PRIOR_CORD_GY = 32.8;  // Dmax (and D0.03cc) of the 10-fraction course
    private static final double RE_DMAX_GY = 10.0;
    private static final double RE_D003_GY = 9.0;

    /** Per-course values as the study used them: the prior course's point dose for both metrics. */
    static final class StudyPatient implements ConstraintInputs {
        final double intervalMonths;
        final double priorWeight;

        StudyPatient(double intervalMonths) {
            this.intervalMonths = intervalMonths;
            this.priorWeight = 1 - ForgivenessSchedule.nelson2009().reductionAfterMonths(intervalMonths);
        }

        @Override
        public Optional<String> structureFor(Role role) {
            return role == Role.CORD ? Optional.of("SpinalCord") : Optional.empty();
        }

        @Override
        public boolean hasStructure(String name) {
            return name.equals("SpinalCord");
        }

        @Override
        public boolean hasPriorCourse() {
            return true;
        }

        @Override
        public OptionalDouble intervalMonths() {
            return OptionalDouble.of(intervalMonths);
        }

        @Override
        public Double value(String structure, String statistic, String unit, double ab, ValueScope scope) {
            assertThat(structure).isEqualTo("SpinalCord");
            assertThat(unit).isEqualTo("Gy");
            double current = Eqd2.eqd2(statistic.equals("Dmax") ? RE_DMAX_GY : RE_D003_GY, 1, ab);
            double prior = Eqd2.eqd2(PRIOR_CORD_GY, 10, ab);
            // Hot spots co-located: the voxel-wise sum equals the sum of per-course values here.
            return switch (scope) {
                case CURRENT_COURSE -> current;
                case PLAN_SUM, SUMMARY_SUM -> priorWeight * prior + current;
                case PLAN_SUM_UNFORGIVEN, SUMMARY_SUM_UNFORGIVEN -> prior + current;
            };
        }
    }

    private static final double INTERVAL_MONTHS =
            ChronoUnit.DAYS.between(LocalDate.parse("2019-02-15"), LocalDate.parse("2020-10-20")) / 30.4375;

    private static List<ConstraintResult> evaluate(String metric) {
        List<Constraint> set = ConstraintSets.builtIn(ConstraintSets.SPINE_REIRRADIATION);
        return new ConstraintEvaluator(metric).evaluate(set, new StudyPatient(INTERVAL_MONTHS));
    }

    private static ConstraintResult find(List<ConstraintResult> rs, String id, EvaluationMethod m) {
        return rs.stream().filter(r -> r.id().equals(id) && r.method() == m).findFirst().orElseThrow();
    }

    @Test
    void theShippedSetIsTheOneTheEvaluatorsPropertyTestChecks() {
        // the engine's ConstraintEvaluatorPropertiesTest cannot read io's resource and keeps a copy: keep them one
        List<Constraint> shipped = ConstraintSets.builtIn(ConstraintSets.SPINE_REIRRADIATION);
        List<Constraint> copy = dev.eqd2sum.engine.constraint.ConstraintEvaluatorPropertiesTest.spineSet();
        assertThat(shipped).hasSameSizeAs(copy);
        for (int i = 0; i < copy.size(); i++) {
            Constraint a = shipped.get(i), b = copy.get(i);
            assertThat(new Constraint(a.id(), "", "", a.role(), a.fallbackRoles(), a.structure(), a.statistic(),
                    a.alphaBeta(), a.scope(), a.methods(), a.comparison(), a.limit(), a.unit(), a.published()))
                    .as(a.id()).isEqualTo(new Constraint(b.id(), "", "", b.role(), b.fallbackRoles(), b.structure(),
                            b.statistic(), b.alphaBeta(), b.scope(), b.methods(), b.comparison(), b.limit(), b.unit(),
                            b.published()));
        }
    }

    @Test
    void theWorkedConversionsAreTheStudys() {
        assertThat(Eqd2.eqd2(32.8, 10, 2)).isCloseTo(43.30, within(0.005));
        assertThat(Eqd2.eqd2(32.8, 10, 3)).isCloseTo(41.20, within(0.005));
        assertThat(Eqd2.eqd2(32.8, 10, 3) * (1 - 0.33)).isCloseTo(27.60, within(0.005));
        assertThat(INTERVAL_MONTHS).isCloseTo(20.14, within(0.005));
        assertThat(ForgivenessSchedule.nelson2009().reductionAfterMonths(INTERVAL_MONTHS)).isEqualTo(0.33);
    }

    @Test
    void byDmaxSahgal2And3AndNelsonFail() {
        List<ConstraintResult> rs = evaluate("Dmax");
        for (EvaluationMethod m : EvaluationMethod.values()) {
            assertVerdict(find(rs, "sahgal2012-2", m), 30.00, Status.FAILED);
            assertVerdict(find(rs, "sahgal2012-3", m), 73.30, Status.FAILED);
            assertVerdict(find(rs, "sahgal2012-4", m), 40.93, Status.PASSED);
            assertVerdict(find(rs, "nelson2009", m), 53.60, Status.FAILED);
            assertThat(find(rs, "sahgal2012-2", m).margin()).isCloseTo(-5.00, within(0.005));
        }
        ConstraintResult interval = rs.stream().filter(r -> r.id().equals("sahgal2012-1")).findFirst().orElseThrow();
        assertVerdict(interval, 20.14, Status.PASSED);
        assertThat(interval.method()).isNull();
        assertThat(rs.stream().filter(r -> r.id().equals("sahgal2012-1"))).hasSize(1);
    }

    @Test
    void byD003ccAllFourSahgalCriteriaAndNelsonPass() {
        List<ConstraintResult> rs = evaluate("D0.03cc");
        for (EvaluationMethod m : EvaluationMethod.values()) {
            assertVerdict(find(rs, "sahgal2012-2", m), 24.75, Status.PASSED);
            assertVerdict(find(rs, "sahgal2012-3", m), 68.05, Status.PASSED);
            assertVerdict(find(rs, "sahgal2012-4", m), 36.37, Status.PASSED);
            assertVerdict(find(rs, "nelson2009", m), 49.20, Status.PASSED);
            assertThat(find(rs, "nelson2009", m).margin()).isCloseTo(0.80, within(0.005));
        }
        assertVerdict(rs.stream().filter(r -> r.id().equals("sahgal2012-1")).findFirst().orElseThrow(), 20.14,
                Status.PASSED);
    }

    @Test
    void deviationsAreNamed() {
        List<ConstraintResult> rs = evaluate("D0.03cc");
        ConstraintResult s3voxel = find(rs, "sahgal2012-3", EvaluationMethod.VOXELWISE);
        assertThat(s3voxel.structure()).isEqualTo("SpinalCord");
        assertThat(s3voxel.role()).isEqualTo("cord");
        assertThat(s3voxel.deviations()).hasSize(3);
        assertThat(s3voxel.deviations().get(0)).contains("SpinalCord").contains("instead of the thecal sac");
        assertThat(s3voxel.deviations().get(1)).contains("D0.03cc used instead of the point maximum (Pmax)");
        assertThat(s3voxel.deviations().get(2)).contains("voxel-wise plan sum instead of the sum of per-course Pmax");
        ConstraintResult s2summary = find(rs, "sahgal2012-2", EvaluationMethod.SUMMARY);
        assertThat(s2summary.deviations()).hasSize(2);
        // Nelson was stated for the cord: no role deviation; by Dmax and summary, none at all.
        assertThat(find(rs, "nelson2009", EvaluationMethod.SUMMARY).deviations())
                .containsExactly("D0.03cc used instead of Dmax, which the limit was stated for");
        assertThat(find(evaluate("Dmax"), "nelson2009", EvaluationMethod.SUMMARY).deviations()).isEmpty();
    }

    @Test
    void aMissingPtvIsNotEvaluatedWithAReason() {
        ConstraintResult ptv = find(evaluate("Dmax"), "kowalchuk2024-ptv-dmin", EvaluationMethod.VOXELWISE);
        assertThat(ptv.status()).isEqualTo(Status.NOT_EVALUATED);
        assertThat(ptv.passed()).isNull();
        assertThat(ptv.value()).isNull();
        assertThat(ptv.reason()).contains("roles.ptvHigh");
    }

    private static void assertVerdict(ConstraintResult r, double value, Status status) {
        assertThat(r.value()).as(r.id() + " " + r.method()).isCloseTo(value, within(0.005));
        assertThat(r.status()).as(r.id() + " " + r.method() + ": " + r.reason()).isEqualTo(status);
        assertThat(r.passed()).isEqualTo(status == Status.PASSED);
    }

}
