package dev.eqd2sum.io.synth;

/**
 * The exact dose-volume statistics of an analytic shape in a linear dose field, for checking DVH code.
 *
 * <p>Because the dose depends on one coordinate c only, the DVH is the shape's section area A(c)
 * integrated along c. A(c) is integrated finely: the shape's exact chord length along x is summed
 * over a (y, z) lattice of at most 0.02 mm pitch (midpoint rule), the volume is binned by c, and
 * doses within a bin are interpolated linearly. The binned volume is scaled to the closed-form
 * volume (they differ by less than 1e-4). Dmax and Dmin are the field at the shape's extreme c.
 */
public final class DvhTruth {
    private final double volumeCc;
    private final double maxGy, minGy, meanGy;
    private final double binGy;      // dose width of one bin
    private final double[] binCc;    // volume per bin, from the lowest dose up
    private final double lowestGy;   // dose at the bottom edge of bin 0

    private DvhTruth(double volumeCc, double maxGy, double minGy, double meanGy, double binGy, double[] binCc, double lowestGy) {
        this.volumeCc = volumeCc;
        this.maxGy = maxGy;
        this.minGy = minGy;
        this.meanGy = meanGy;
        this.binGy = binGy;
        this.binCc = binCc;
        this.lowestGy = lowestGy;
    }

    /** Integrates the shape in the field; the shape's extent along x must be covered by its chords. */
    public static DvhTruth of(AnalyticShape shape, LinearDoseField field) {
        double[] b = shape.boundsMm();
        double yLo = b[1], yHi = b[4], zLo = b[2], zHi = b[5];
        double step = Math.max(0.02, Math.max(yHi - yLo, zHi - zLo) / 1500.0);
        int ny = (int) Math.ceil((yHi - yLo) / step), nz = (int) Math.ceil((zHi - zLo) / step);
        double dy = (yHi - yLo) / ny, dz = (zHi - zLo) / nz;
        boolean alongY = field.axis() == LinearDoseField.Axis.Y;
        double cLo = alongY ? yLo : zLo;
        double cStep = alongY ? dy : dz;
        int bins = alongY ? ny : nz;
        double[] binMm3 = new double[bins];
        for (int q = 0; q < nz; q++) {
            double z = zLo + (q + 0.5) * dz;
            for (int p = 0; p < ny; p++) {
                double y = yLo + (p + 0.5) * dy;
                double chord = shape.chordAlongXMm(y, z);
                if (chord > 0) {
                    binMm3[alongY ? p : q] += chord * dy * dz;
                }
            }
        }
        double sum = 0;
        for (double v : binMm3) {
            sum += v;
        }
        double exactMm3 = shape.volumeMm3();
        double scale = exactMm3 / sum;
        double[] binCc = new double[bins];
        double g = field.gradientGyPerMm();
        double lowestGy = field.doseGy(0, cLo, cLo); // the field reads y or z, whichever is its axis
        double weighted = 0;
        for (int q = 0; q < bins; q++) {
            binCc[q] = binMm3[q] * scale / 1000.0;
            weighted += binCc[q] * (lowestGy + (q + 0.5) * cStep * g);
        }
        double volumeCc = exactMm3 / 1000.0;
        double cHi = alongY ? yHi : zHi;
        double maxGy = field.doseGy(0, cHi, cHi);
        return new DvhTruth(volumeCc, maxGy, lowestGy, weighted / volumeCc, cStep * g, binCc, lowestGy);
    }

    /**
     * The exact statistics of the contoured shape instead: its axial polygons stacked into slabs of
     * {@code planeSpacingMm} centred on their planes (half-spacing end caps), which is what a
     * rasteriser can at best reproduce. The gap to {@link #of} is the error of contouring itself
     * (a sphere's equator falls between two planes, a cone's base plane is smaller than its base).
     * Each plane must hold one simple polygon (as the phantoms do).
     */
    public static DvhTruth ofContouredShape(dev.eqd2sum.engine.structure.Structure structure, double planeSpacingMm,
                                            LinearDoseField field) {
        boolean alongY = field.axis() == LinearDoseField.Axis.Y;
        double cLo = Double.POSITIVE_INFINITY, cHi = Double.NEGATIVE_INFINITY;
        double half = planeSpacingMm / 2;
        for (var c : structure.contours()) {
            double[] p = c.pointsMm();
            for (int q = 0; q < p.length; q += 3) {
                double v = alongY ? p[q + 1] : p[q + 2];
                cLo = Math.min(cLo, alongY ? v : v - half);
                cHi = Math.max(cHi, alongY ? v : v + half);
            }
        }
        int bins = Math.max(1, (int) Math.ceil((cHi - cLo) / 0.005));
        double step = (cHi - cLo) / bins;
        double[] binMm3 = new double[bins];
        for (var c : structure.contours()) {
            double[] p = c.pointsMm();
            int n = p.length / 3;
            if (alongY) {
                // inside length at y = sum over the edges crossing y of +x (right side) or -x (left
                // side), so each edge adds the exact integral of its x over the bins it spans
                double twiceArea = 0;
                for (int v = 0; v < n; v++) {
                    int w = (v + 1) % n;
                    twiceArea += p[3 * v] * p[3 * w + 1] - p[3 * w] * p[3 * v + 1];
                }
                double orientation = Math.signum(twiceArea);
                for (int v = 0; v < n; v++) {
                    int w = (v + 1) % n;
                    double ax = p[3 * v], ay = p[3 * v + 1], bx = p[3 * w], by = p[3 * w + 1];
                    if (ay == by) {
                        continue;
                    }
                    double side = (by > ay ? 1 : -1) * orientation; // counter-clockwise: upward edges bound the right
                    double y0 = Math.min(ay, by), y1 = Math.max(ay, by);
                    int b0 = Math.max(0, (int) Math.floor((y0 - cLo) / step));
                    int b1 = Math.min(bins - 1, (int) Math.floor((y1 - cLo) / step));
                    for (int b = b0; b <= b1; b++) {
                        double lo = Math.max(y0, cLo + b * step), hi = Math.min(y1, cLo + (b + 1) * step);
                        if (hi > lo) {
                            double ym = 0.5 * (lo + hi);
                            double xm = ax + (ym - ay) * (bx - ax) / (by - ay);
                            binMm3[b] += side * xm * (hi - lo) * planeSpacingMm;
                        }
                    }
                }
            } else {
                double area = 0;
                for (int v = 0; v < n; v++) {
                    int w = (v + 1) % n;
                    area += p[3 * v] * p[3 * w + 1] - p[3 * w] * p[3 * v + 1];
                }
                area = Math.abs(area) / 2;
                double z = p[2];
                for (int b = 0; b < bins; b++) {
                    double lo = cLo + b * step, hi = lo + step;
                    double overlap = Math.min(hi, z + half) - Math.max(lo, z - half);
                    if (overlap > 0) {
                        binMm3[b] += area * overlap;
                    }
                }
            }
        }
        double g = field.gradientGyPerMm();
        double lowestGy = field.doseGy(0, cLo, cLo);
        double total = 0, weighted = 0;
        double[] binCc = new double[bins];
        for (int b = 0; b < bins; b++) {
            binCc[b] = binMm3[b] / 1000.0;
            total += binCc[b];
            weighted += binCc[b] * (lowestGy + (b + 0.5) * step * g);
        }
        return new DvhTruth(total, field.doseGy(0, cHi, cHi), lowestGy, weighted / total, step * g, binCc, lowestGy);
    }

    public double volumeCc() {
        return volumeCc;
    }

    public double maxGy() {
        return maxGy;
    }

    public double minGy() {
        return minGy;
    }

    public double meanGy() {
        return meanGy;
    }

    /** The minimum dose of the hottest {@code cc}; NaN when the structure is smaller. */
    public double doseAtVolumeCc(double cc) {
        if (cc > volumeCc * (1 + 1e-12) || cc < 0) {
            return Double.NaN;
        }
        double cum = 0;
        for (int q = binCc.length - 1; q >= 0; q--) {
            if (cum + binCc[q] >= cc && binCc[q] > 0) {
                double top = lowestGy + (q + 1) * binGy;
                return top - (cc - cum) / binCc[q] * binGy;
            }
            cum += binCc[q];
        }
        return minGy;
    }

    /** The minimum dose of the hottest {@code percent} % of the volume. */
    public double doseAtVolumePercent(double percent) {
        return doseAtVolumeCc(percent / 100.0 * volumeCc);
    }

    /** Volume receiving at least {@code doseGy} (cc). */
    public double volumeAtDoseCc(double doseGy) {
        double cum = 0;
        for (int q = binCc.length - 1; q >= 0; q--) {
            double bottom = lowestGy + q * binGy;
            if (doseGy <= bottom) {
                cum += binCc[q];
            } else {
                double top = bottom + binGy;
                if (doseGy < top) {
                    cum += binCc[q] * (top - doseGy) / binGy;
                }
                break;
            }
        }
        return cum;
    }
}
