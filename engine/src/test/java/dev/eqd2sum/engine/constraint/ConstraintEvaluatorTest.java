package dev.eqd2sum.engine.constraint;

import dev.eqd2sum.engine.course.ForgivenessSchedule;
import dev.eqd2sum.engine.constraint.ConstraintResult.Status;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConstraintEvaluatorTest {
    /** A cord whose hot spots lie apart: the voxel-wise sum is well below the summary sum. */
    static class Inputs implements ConstraintInputs {
        boolean prior = true;
        Double interval = 8.0;
        ForgivenessSchedule forgiveness = ForgivenessSchedule.nelson2009();
        double outsideCc = 0;
        Map<ValueScope, Double> cordDmax = new EnumMap<>(Map.of(
                ValueScope.CURRENT_COURSE, 20.0, ValueScope.PLAN_SUM, 40.0, ValueScope.PLAN_SUM_UNFORGIVEN, 48.0,
                ValueScope.SUMMARY_SUM, 55.0, ValueScope.SUMMARY_SUM_UNFORGIVEN, 63.0));

        @Override
        public Optional<String> structureFor(Role role) {
            return switch (role) {
                case CORD -> Optional.of("SpinalCord");
                case THECAL_SAC -> Optional.of("ThecalSac");
                default -> Optional.empty();
            };
        }

        @Override
        public boolean hasStructure(String name) {
            return name.equals("SpinalCord");  // ThecalSac is named but has no contours
        }

        @Override
        public boolean hasPriorCourse() {
            return prior;
        }

        @Override
        public OptionalDouble intervalMonths() {
            return interval == null ? OptionalDouble.empty() : OptionalDouble.of(interval);
        }

        @Override
        public ForgivenessSchedule forgiveness() {
            return forgiveness;
        }

        @Override
        public double outsideGridCc(String structure) {
            return outsideCc;
        }

        @Override
        public double insideGridCc(String structure) {
            return 2.205;
        }

        @Override
        public Double value(String structure, String statistic, String unit, double alphaBeta, ValueScope scope) {
            if (statistic.equals("Dmax")) {
                return cordDmax.get(scope);
            }
            return null;
        }
    }

    private static Constraint dose(String id, ConstraintScope scope, Comparison cmp, double limit, String unit,
                                   String statistic) {
        return new Constraint(id, "", "", Role.THECAL_SAC, List.of(Role.CORD), null, statistic, 2.0, scope,
                List.of(EvaluationMethod.VOXELWISE, EvaluationMethod.SUMMARY), cmp, limit, unit,
                new Constraint.Published(Role.THECAL_SAC, "Pmax", EvaluationMethod.SUMMARY));
    }

    private static ConstraintResult only(List<ConstraintResult> rs, EvaluationMethod m) {
        return rs.stream().filter(r -> r.method() == m).findFirst().orElseThrow();
    }

    @Test
    void eachMethodReadsItsOwnScope() {
        ConstraintEvaluator e = new ConstraintEvaluator("Dmax");
        List<ConstraintResult> cumulative = e.evaluate(List.of(dose("c", ConstraintScope.CUMULATIVE, Comparison.LESS,
                50, "Gy", Constraint.CONSTRAINT_METRIC)), new Inputs());
        assertThat(cumulative).hasSize(2);
        assertThat(only(cumulative, EvaluationMethod.VOXELWISE).value()).isEqualTo(48.0);
        assertThat(only(cumulative, EvaluationMethod.VOXELWISE).status()).isEqualTo(Status.PASSED);
        assertThat(only(cumulative, EvaluationMethod.SUMMARY).value()).isEqualTo(63.0);
        assertThat(only(cumulative, EvaluationMethod.SUMMARY).status()).isEqualTo(Status.FAILED);
        assertThat(only(cumulative, EvaluationMethod.SUMMARY).margin()).isEqualTo(-13.0);

        List<ConstraintResult> forgiven = e.evaluate(List.of(dose("f", ConstraintScope.CUMULATIVE_FORGIVEN,
                Comparison.LESS, 50, "Gy", "Dmax")), new Inputs());
        assertThat(only(forgiven, EvaluationMethod.VOXELWISE).value()).isEqualTo(40.0);
        assertThat(only(forgiven, EvaluationMethod.SUMMARY).value()).isEqualTo(55.0);

        List<ConstraintResult> ratio = e.evaluate(List.of(dose("r", ConstraintScope.RATIO, Comparison.LESS, 50, "%",
                Constraint.CONSTRAINT_METRIC)), new Inputs());
        assertThat(only(ratio, EvaluationMethod.VOXELWISE).value()).isCloseTo(100 * 20.0 / 48.0, within(1e-12));
        assertThat(only(ratio, EvaluationMethod.SUMMARY).value()).isCloseTo(100 * 20.0 / 63.0, within(1e-12));
        assertThat(only(ratio, EvaluationMethod.SUMMARY).reason()).isEqualTo("31.75 % < 50 %");
    }

    @Test
    void strictAndNonStrictSignsAtTheLimit() {
        Inputs in = new Inputs();
        in.cordDmax.put(ValueScope.CURRENT_COURSE, 25.0);
        ConstraintEvaluator e = new ConstraintEvaluator("Dmax");
        assertThat(e.evaluate(List.of(dose("s", ConstraintScope.COURSE, Comparison.LESS, 25, "Gy", "Dmax")), in))
                .allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(Status.FAILED);
                    assertThat(r.reason()).isEqualTo("25.00 Gy is not < 25 Gy");
                });
        assertThat(e.evaluate(List.of(dose("s", ConstraintScope.COURSE, Comparison.LESS_OR_EQUAL, 25, "Gy", "Dmax")), in))
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(Status.PASSED));
    }

    @Test
    void theFallbackRoleIsANamedDeviationAndAMissingRoleIsNotEvaluated() {
        ConstraintEvaluator e = new ConstraintEvaluator("Dmax");
        ConstraintResult r = e.evaluate(List.of(dose("c", ConstraintScope.COURSE, Comparison.LESS, 25, "Gy",
                "Dmax")), new Inputs()).getFirst();
        assertThat(r.structure()).isEqualTo("SpinalCord");
        assertThat(r.deviations()).singleElement().asString().startsWith("SpinalCord (spinal cord) used instead of the"
                + " thecal sac");
        Constraint ptv = new Constraint("p", "", "", Role.PTV_HIGH, List.of(), null, "Dmin", 10.0,
                ConstraintScope.COURSE, List.of(EvaluationMethod.VOXELWISE), Comparison.GREATER_OR_EQUAL, 32.2, "Gy",
                null);
        ConstraintResult missing = e.evaluate(List.of(ptv), new Inputs()).getFirst();
        assertThat(missing.status()).isEqualTo(Status.NOT_EVALUATED);
        assertThat(missing.reason()).isEqualTo("no contoured structure for the high-dose PTV (roles.ptvHigh)");
        assertThat(e.needs(List.of(ptv, dose("c", ConstraintScope.COURSE, Comparison.LESS, 25, "Gy",
                Constraint.CONSTRAINT_METRIC)), new Inputs()))
                .containsExactly(new StatisticNeed("SpinalCord", 2.0, "Dmax"));
    }

    @Test
    void undefinedValuesAndMissingPriorsAreNotEvaluated() {
        ConstraintEvaluator e = new ConstraintEvaluator("D0.03cc");
        ConstraintResult undefined = e.evaluate(List.of(dose("c", ConstraintScope.COURSE, Comparison.LESS, 25, "Gy",
                Constraint.CONSTRAINT_METRIC)), new Inputs()).getFirst();
        assertThat(undefined.status()).isEqualTo(Status.NOT_EVALUATED);
        assertThat(undefined.metric()).isEqualTo("D0.03cc");
        assertThat(undefined.reason()).contains("D0.03cc of SpinalCord is undefined");

        Inputs single = new Inputs();
        single.prior = false;
        Constraint interval = new Constraint("i", "", "", null, List.of(), null, null, null, ConstraintScope.INTERVAL,
                List.of(), Comparison.GREATER_OR_EQUAL, 5, "months", null);
        ConstraintResult i = new ConstraintEvaluator("Dmax").evaluate(List.of(interval), single).getFirst();
        assertThat(i.status()).isEqualTo(Status.NOT_EVALUATED);
        assertThat(i.reason()).contains("only one course");
        ConstraintResult ratio = new ConstraintEvaluator("Dmax").evaluate(List.of(dose("r", ConstraintScope.RATIO,
                Comparison.LESS, 50, "%", "Dmax")), single).getFirst();
        assertThat(ratio.status()).isEqualTo(Status.NOT_EVALUATED);
        // a cumulative limit on one course: its value is the course's by either method, so no method deviation
        ConstraintResult oneCourse = new ConstraintEvaluator("Dmax").evaluate(List.of(dose("c",
                ConstraintScope.CUMULATIVE, Comparison.LESS, 50, "Gy", "Dmax")), single).getFirst();
        assertThat(oneCourse.method()).isEqualTo(EvaluationMethod.VOXELWISE);
        assertThat(oneCourse.deviations()).noneMatch(d -> d.startsWith("voxel-wise plan sum"));

        Inputs estimated = new Inputs() {
            @Override
            public String intervalEndEstimated() {
                return "cEBRT";
            }
        };
        assertThat(new ConstraintEvaluator("Dmax").evaluate(List.of(interval), estimated).getFirst().deviations())
                .containsExactly("the interval runs from course cEBRT's estimated end date (startDate + fractions - 1"
                        + " working days; give its endDate)");
        assertThat(new ConstraintEvaluator("Dmax").evaluate(List.of(interval), new Inputs()).getFirst().deviations())
                .isEmpty();

        Inputs noDates = new Inputs();
        noDates.interval = null;
        assertThat(new ConstraintEvaluator("Dmax").evaluate(List.of(interval), noDates).getFirst().reason())
                .contains("lacks the dates");

        Inputs zero = new Inputs();
        zero.cordDmax.replaceAll((k, v) -> 0.0);
        assertThat(new ConstraintEvaluator("Dmax").evaluate(List.of(dose("r", ConstraintScope.RATIO, Comparison.LESS,
                50, "%", "Dmax")), zero).getFirst().reason()).contains("ratio is undefined");
    }

    @Test
    void anExplicitStructureNeedsContours() {
        Constraint c = new Constraint("x", "", "", null, List.of(), "Esophagus", "Dmax", 3.0, ConstraintScope.COURSE,
                List.of(EvaluationMethod.SUMMARY), Comparison.LESS, 30, "Gy", null);
        ConstraintResult r = new ConstraintEvaluator("Dmax").evaluate(List.of(c), new Inputs()).getFirst();
        assertThat(r.status()).isEqualTo(Status.NOT_EVALUATED);
        assertThat(r.reason()).isEqualTo("the structure set has no contoured structure named Esophagus");
    }

    @Test
    void reasonsWriteAnyLimitShortly() {
        // limits as written (32.2, 25) and short however large or small: the plain form of 1e308 has 309 digits
        assertThat(ConstraintEvaluator.plain(32.2)).isEqualTo("32.2");
        assertThat(ConstraintEvaluator.plain(25)).isEqualTo("25");
        assertThat(ConstraintEvaluator.plain(0)).isEqualTo("0");
        assertThat(ConstraintEvaluator.plain(0.000001)).isEqualTo("0.000001");
        assertThat(ConstraintEvaluator.plain(123456789012345.0)).isEqualTo("123456789012345");
        assertThat(ConstraintEvaluator.plain(1e15)).isEqualTo("1E+15");
        assertThat(ConstraintEvaluator.plain(1e-320)).isEqualTo("1E-320");
        List<ConstraintResult> huge = new ConstraintEvaluator("Dmax").evaluate(List.of(dose("h", ConstraintScope.COURSE,
                Comparison.LESS, 1e308, "Gy", "Dmax")), new Inputs());
        assertThat(huge).allSatisfy(r -> assertThat(r.reason()).isEqualTo("20.00 Gy < 1E+308 Gy"));
    }

    @Test
    void aValueAtTheLimitsRoundingShowsTheDigitsThatMakeTheVerdictReadTrue() {
        ConstraintEvaluator e = new ConstraintEvaluator("Dmax");
        Inputs in = new Inputs();
        in.cordDmax.put(ValueScope.CURRENT_COURSE, 49.9969);
        assertThat(e.evaluate(List.of(dose("s", ConstraintScope.COURSE, Comparison.LESS, 50, "Gy", "Dmax")), in))
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo("49.997 Gy < 50 Gy"));
        in.cordDmax.put(ValueScope.CURRENT_COURSE, 32.1965);
        assertThat(e.evaluate(List.of(dose("s", ConstraintScope.COURSE, Comparison.GREATER_OR_EQUAL, 32.2, "Gy",
                "Dmax")), in)).allSatisfy(r -> assertThat(r.reason()).isEqualTo("32.197 Gy is not >= 32.2 Gy"));
        in.cordDmax.put(ValueScope.CURRENT_COURSE, 32.2);
        assertThat(e.evaluate(List.of(dose("s", ConstraintScope.COURSE, Comparison.GREATER_OR_EQUAL, 32.2, "Gy",
                "Dmax")), in)).allSatisfy(r -> assertThat(r.reason()).isEqualTo("32.20 Gy >= 32.2 Gy"));
    }

    @Test
    void aForgivenLimitStatedWithItsOwnScheduleNamesAnotherScheduleOfTheCase() {
        ForgivenessSchedule nelson = ForgivenessSchedule.nelson2009();
        Constraint c = new Constraint("n", "", "", Role.CORD, List.of(), null, "Dmax", 3.0,
                ConstraintScope.CUMULATIVE_FORGIVEN, List.of(EvaluationMethod.VOXELWISE), Comparison.LESS, 50, "Gy",
                new Constraint.Published(Role.CORD, "Dmax", null, nelson));
        ConstraintEvaluator e = new ConstraintEvaluator("Dmax");
        Inputs same = new Inputs();
        assertThat(e.evaluate(List.of(c), same).getFirst().deviations()).isEmpty();
        Inputs custom = new Inputs();
        custom.forgiveness = ForgivenessSchedule.steps(
                List.of(new ForgivenessSchedule.Step(6, 0.5)));
        assertThat(e.evaluate(List.of(c), custom).getFirst().deviations()).containsExactly("forgiven by the case's"
                + " schedule (50 % after 6 months) instead of the schedule the limit was stated with (25 % after 6"
                + " months, 33 % after 12, 50 % after 24)");
        Inputs none = new Inputs();
        none.forgiveness = ForgivenessSchedule.none();
        assertThat(e.evaluate(List.of(c), none).getFirst().deviations()).containsExactly("nothing forgiven (the case's"
                + " forgiveness is none) instead of the schedule the limit was stated with (25 % after 6 months, 33 %"
                + " after 12, 50 % after 24)");
    }

    @Test
    void aLimitStatedForAnotherRoleAndAStructurePartlyOutsideTheGridAreNamedDeviations() {
        ConstraintEvaluator e = new ConstraintEvaluator("Dmax");
        // written for the cord, published for the thecal sac
        Constraint cord = new Constraint("c", "", "", Role.CORD, List.of(), null, "Dmax", 2.0, ConstraintScope.COURSE,
                List.of(EvaluationMethod.VOXELWISE), Comparison.LESS, 25, "Gy",
                new Constraint.Published(Role.THECAL_SAC, "Dmax", null));
        assertThat(e.evaluate(List.of(cord), new Inputs()).getFirst().deviations()).containsExactly(
                "SpinalCord (spinal cord) used, but the limit was stated for the thecal sac");
        // a structure named explicitly that is not the published role's
        Constraint named = new Constraint("x", "", "", null, List.of(), "SpinalCord", "Dmax", 2.0,
                ConstraintScope.COURSE, List.of(EvaluationMethod.VOXELWISE), Comparison.LESS, 25, "Gy",
                new Constraint.Published(Role.THECAL_SAC, null, null));
        assertThat(e.evaluate(List.of(named), new Inputs()).getFirst().deviations()).containsExactly(
                "SpinalCord used, but the limit was stated for the thecal sac");
        // the structure a fallback role found IS the published role's: only the fallback deviation, none more
        Constraint cordFirst = new Constraint("f", "", "", Role.CORD, List.of(Role.THECAL_SAC), null, "Dmax", 2.0,
                ConstraintScope.COURSE, List.of(EvaluationMethod.VOXELWISE), Comparison.LESS, 25, "Gy",
                new Constraint.Published(Role.THECAL_SAC, "Dmax", null));
        Inputs sacOnly = new Inputs() {
            @Override
            public Optional<String> structureFor(Role role) {
                return role == Role.THECAL_SAC ? Optional.of("ThecalSac") : Optional.empty();
            }

            @Override
            public boolean hasStructure(String name) {
                return name.equals("ThecalSac");
            }
        };
        assertThat(e.evaluate(List.of(cordFirst), sacOnly).getFirst().deviations()).singleElement().asString()
                .startsWith("ThecalSac (thecal sac) used instead of the spinal cord");
        // a structure named in another case than the structure set's, and rounding outside the grid: no deviation
        Constraint lower = new Constraint("l", "", "", null, List.of(), " spinalcord ", "Dmax", 2.0,
                ConstraintScope.COURSE, List.of(EvaluationMethod.VOXELWISE), Comparison.LESS, 25, "Gy", null);
        Inputs rounding = new Inputs() {
            @Override
            public Optional<String> structureNamed(String name) {
                return name.trim().equalsIgnoreCase("SpinalCord") ? Optional.of("SpinalCord") : Optional.empty();
            }
        };
        rounding.outsideCc = 4.8e-8;
        ConstraintResult found = e.evaluate(List.of(lower), rounding).getFirst();
        assertThat(found.structure()).isEqualTo("SpinalCord");
        assertThat(found.status()).isEqualTo(Status.PASSED);
        assertThat(found.deviations()).isEmpty();
        Inputs partly = new Inputs();
        partly.outsideCc = 1.995;
        assertThat(e.evaluate(List.of(dose("c", ConstraintScope.COURSE, Comparison.LESS, 25, "Gy", "Dmax")), partly))
                .allSatisfy(r -> assertThat(r.deviations()).contains("1.995 cc of SpinalCord lie outside the output"
                        + " grid (2.205 cc inside): the value is of the part inside"));
    }
}
