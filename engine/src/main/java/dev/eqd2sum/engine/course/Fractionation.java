package dev.eqd2sum.engine.course;

import dev.eqd2sum.engine.InvalidInputException;

/**
 * How many fractions a course was planned in and how many were delivered. When fewer were
 * delivered than planned (CONTRACT, {@code fractionsDelivered}), the planned dose is scaled by
 * delivered / planned and converted with the delivered count, so the dose per fraction stays the
 * planned one.
 *
 * @param plannedFractions   NumberOfFractionsPlanned (or the case's {@code fractions})
 * @param deliveredFractions fractions actually delivered; equal to planned when not given
 */
public record Fractionation(int plannedFractions, int deliveredFractions) {
    public Fractionation {
        if (plannedFractions < 1) {
            throw new InvalidInputException("fractions", "the number of fractions must be at least 1, got "
                    + plannedFractions);
        }
        if (deliveredFractions < 1) {
            throw new InvalidInputException("fractionsDelivered",
                    "the number of delivered fractions must be at least 1, got " + deliveredFractions);
        }
        if (deliveredFractions > plannedFractions) {
            throw new InvalidInputException("fractionsDelivered", "more fractions delivered ("
                    + deliveredFractions + ") than planned (" + plannedFractions + ")");
        }
    }

    /** All planned fractions delivered. */
    public static Fractionation planned(int fractions) {
        return new Fractionation(fractions, fractions);
    }

    public static Fractionation delivered(int plannedFractions, int deliveredFractions) {
        return new Fractionation(plannedFractions, deliveredFractions);
    }

    /** The fraction count used in the LQ conversion: the delivered one. */
    public int conversionFractions() {
        return deliveredFractions;
    }

    /** Factor on the planned physical dose: delivered / planned (1 when complete). */
    public double deliveredDoseFactor() {
        return (double) deliveredFractions / plannedFractions;
    }

    public boolean isIncomplete() {
        return deliveredFractions < plannedFractions;
    }
}
