package dev.eqd2sum.engine.kernel;

/**
 * Which compiler will run the plain-Java loops, as far as they need to know. A single case runs on C1 alone (the
 * launcher: {@code -XX:TieredStopAtLevel=1}, and {@code -Deqd2sum.jit=c1} to say so); a cohort, a large case, the
 * tests and the benchmarks run tiered, where C2 compiles the hot loops. A few loops have a form that C1 runs much
 * faster and a form that C2 vectorises and C1 runs slowly (an integer-to-double conversion, a rounding): they
 * pick the form by {@link #C1_ONLY}, a constant that both compilers fold, so only one form is compiled.
 */
public final class Jit {
    /** The launcher's one-case mode: C1 compiles everything and C2 never runs. */
    public static final boolean C1_ONLY = "c1".equals(System.getProperty("eqd2sum.jit"));

    private Jit() {
    }
}
