package dev.eqd2sum.engine.dvh;

/**
 * What the statistics need to know of one course: its label (as in the case file), the number of
 * fractions its dose was delivered in, its forgiveness weight {@code w = 1 - reduction} (1 for the
 * current course) and whether it is the current course.
 */
public record CourseInfo(String label, double fractions, double weight, boolean current) {
    public CourseInfo {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("course label is required");
        }
        if (!(fractions > 0) || Double.isInfinite(fractions)) {
            throw new IllegalArgumentException("course " + label + ": fractions must be positive, got " + fractions);
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException("course " + label + ": weight must lie in [0, 1], got " + weight);
        }
    }
}
