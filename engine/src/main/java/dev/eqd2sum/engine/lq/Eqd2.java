package dev.eqd2sum.engine.lq;

/**
 * The linear-quadratic conversions, in one place. Every kernel computes exactly these formulas
 * (DOMAIN.md, "Linear-quadratic conversion"): for physical dose D (Gy) in n fractions,
 * d = D / n, and alpha/beta ab (Gy),
 * <pre>
 *   BED  = D * (1 + d / ab)
 *   EQD2 = D * (d + ab) / (2 + ab)
 * </pre>
 */
public final class Eqd2 {
    /**
     * The alpha/beta a case may give (Gy): published values lie between about 0.5 and 20 Gy. Below 0.01 Gy a value
     * rounds towards 0 in the kernels' float arithmetic, and above 10,000 Gy EQD2 equals the physical dose anyway.
     */
    public static final double MIN_ALPHA_BETA_GY = 0.01;
    public static final double MAX_ALPHA_BETA_GY = 10_000;

    private Eqd2() {
    }

    /** EQD2 in Gy of {@code doseGy} delivered in {@code fractions} fractions, tissue alpha/beta {@code alphaBetaGy}. */
    public static double eqd2(double doseGy, double fractions, double alphaBetaGy) {
        return doseGy * (doseGy / fractions + alphaBetaGy) / (2.0 + alphaBetaGy);
    }

    /** Biologically effective dose in Gy. */
    public static double bed(double doseGy, double fractions, double alphaBetaGy) {
        return doseGy * (1.0 + doseGy / fractions / alphaBetaGy);
    }

    /** EQD2 from BED: BED / (1 + 2 / ab). */
    public static double eqd2FromBed(double bedGy, double alphaBetaGy) {
        return bedGy / (1.0 + 2.0 / alphaBetaGy);
    }

    /**
     * The physical dose in {@code fractions} fractions that gives {@code eqd2Gy}: the positive root
     * of D^2 / n + ab * D - EQD2 * (2 + ab) = 0.
     */
    public static double physicalDoseFor(double eqd2Gy, double fractions, double alphaBetaGy) {
        double a = 1.0 / fractions;
        double b = alphaBetaGy;
        double c = -eqd2Gy * (2.0 + alphaBetaGy);
        return (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
    }
}
