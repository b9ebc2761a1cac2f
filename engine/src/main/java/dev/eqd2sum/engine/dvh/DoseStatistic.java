package dev.eqd2sum.engine.dvh;

import dev.eqd2sum.engine.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One dose-volume statistic as a user names it (CONTRACT, statistics grammar): {@code Dmax},
 * {@code Dmin}, {@code Dmean}, {@code D<x>cc} (minimum dose in the hottest x cc), {@code D<x>%}
 * (the same for x percent of the volume), {@code V<x>Gy} (volume receiving at least x Gy, reported
 * twice: in cc and in %), {@code volume}. Keywords and units are read case-insensitively; {@link #name()}
 * is the canonical spelling ({@code D0.030CC} becomes {@code D0.03cc}).
 */
public record DoseStatistic(Kind kind, double parameter, String name) {

    public enum Kind {
        MAX, MIN, MEAN,
        /** Minimum dose in the hottest {@code parameter} cc. */
        DOSE_AT_VOLUME_CC,
        /** Minimum dose in the hottest {@code parameter} percent of the volume. */
        DOSE_AT_VOLUME_PERCENT,
        /** Volume receiving at least {@code parameter} Gy. */
        VOLUME_AT_DOSE,
        VOLUME
    }

    public static final DoseStatistic DMAX = new DoseStatistic(Kind.MAX, Double.NaN, "Dmax");
    public static final DoseStatistic DMIN = new DoseStatistic(Kind.MIN, Double.NaN, "Dmin");
    public static final DoseStatistic DMEAN = new DoseStatistic(Kind.MEAN, Double.NaN, "Dmean");
    public static final DoseStatistic VOLUME = new DoseStatistic(Kind.VOLUME, Double.NaN, "volume");

    /** The case file's default list (CONTRACT). */
    public static final List<String> DEFAULT_NAMES =
            List.of("Dmax", "D0.03cc", "D0.1cc", "D1cc", "Dmean", "Dmin", "V20Gy", "D95%");

    private static final String NUMBER = "(\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern DOSE_AT_CC = Pattern.compile("D" + NUMBER + "cc", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOSE_AT_PERCENT = Pattern.compile("D" + NUMBER + "%", Pattern.CASE_INSENSITIVE);
    private static final Pattern VOLUME_AT_GY = Pattern.compile("V" + NUMBER + "Gy", Pattern.CASE_INSENSITIVE);
    private static final String GRAMMAR = "expected Dmax, Dmin, Dmean, D<x>cc, D<x>%, V<x>Gy or volume "
            + "(e.g. D0.03cc, D95%, V20Gy)";

    public DoseStatistic {
        if (kind == null || name == null) {
            throw new IllegalArgumentException("kind and name are required");
        }
    }

    /** A statistic of a given kind and parameter, with its canonical name. */
    public static DoseStatistic of(Kind kind, double parameter) {
        return switch (kind) {
            case MAX -> DMAX;
            case MIN -> DMIN;
            case MEAN -> DMEAN;
            case VOLUME -> VOLUME;
            case DOSE_AT_VOLUME_CC -> new DoseStatistic(kind, checkParameter(parameter), "D" + plain(parameter) + "cc");
            case DOSE_AT_VOLUME_PERCENT -> {
                if (checkParameter(parameter) > 100) {
                    throw new IllegalArgumentException("percentage above 100: " + parameter);
                }
                yield new DoseStatistic(kind, parameter, "D" + plain(parameter) + "%");
            }
            case VOLUME_AT_DOSE -> new DoseStatistic(kind, checkParameter(parameter), "V" + plain(parameter) + "Gy");
        };
    }

    /**
     * Reads one statistic name. {@code source} names where it came from for the error message,
     * e.g. {@code case.json: statistics[3]}.
     */
    public static DoseStatistic parse(String text, String source) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(source, "empty statistic name: " + GRAMMAR);
        }
        String t = text.trim();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "dmax": return DMAX;
            case "dmin": return DMIN;
            case "dmean": return DMEAN;
            case "volume": return VOLUME;
            default: break;
        }
        Matcher m;
        if ((m = DOSE_AT_CC.matcher(t)).matches()) {
            return of(Kind.DOSE_AT_VOLUME_CC, number(m.group(1)));
        }
        if ((m = DOSE_AT_PERCENT.matcher(t)).matches()) {
            double x = number(m.group(1));
            if (x > 100) {
                throw new InvalidInputException(source, "statistic \"" + t
                        + "\" asks for more than 100 % of the structure");
            }
            return of(Kind.DOSE_AT_VOLUME_PERCENT, x);
        }
        if ((m = VOLUME_AT_GY.matcher(t)).matches()) {
            return of(Kind.VOLUME_AT_DOSE, number(m.group(1)));
        }
        throw new InvalidInputException(source, "unknown statistic \"" + t + "\": " + GRAMMAR);
    }

    /**
     * The name in the reports' spelling ({@code d0.030CC} is {@code D0.03cc}) when {@code text} is one of the
     * grammar's, else empty: for fields that may also hold names outside it (a publication's Pmax).
     */
    public static Optional<String> canonicalName(String text) {
        try {
            return Optional.of(parse(text, "statistic").name());
        } catch (InvalidInputException notInTheGrammar) {
            return Optional.empty();
        }
    }

    /** Reads a list of names; errors name {@code sourcePrefix[index]}, e.g. {@code case.json: statistics[3]}. */
    public static List<DoseStatistic> parseAll(List<String> names, String sourcePrefix) {
        List<DoseStatistic> out = new ArrayList<>(names.size());
        for (int n = 0; n < names.size(); n++) {
            DoseStatistic s = parse(names.get(n), sourcePrefix + "[" + n + "]");
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** Dose statistics (in Gy) are the ones a summary-statistic sum can be formed of. */
    public boolean isDose() {
        return kind != Kind.VOLUME_AT_DOSE && kind != Kind.VOLUME;
    }

    /** The units this statistic is reported in: V<x>Gy in cc and %, volume in cc, the rest in Gy. */
    public List<StatisticUnit> units() {
        return switch (kind) {
            case VOLUME_AT_DOSE -> List.of(StatisticUnit.CC, StatisticUnit.PERCENT);
            case VOLUME -> List.of(StatisticUnit.CC);
            default -> List.of(StatisticUnit.GY);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoseStatistic s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }

    private static double number(String digits) {
        return new BigDecimal(digits.endsWith(".") ? digits + "0" : digits).doubleValue();
    }

    private static double checkParameter(double x) {
        if (!(x >= 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("statistic parameter must be a finite number >= 0: " + x);
        }
        return x;
    }

    private static String plain(double x) {
        return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
    }
}
