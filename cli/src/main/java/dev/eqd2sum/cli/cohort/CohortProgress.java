package dev.eqd2sum.cli.cohort;

import dev.eqd2sum.io.cohort.CaseOutcome;
import dev.eqd2sum.io.cohort.CohortListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: a bar redrawn in place on a terminal (failures printed above it as they happen), or one
 * line per finished case when stderr goes to a file or a pipe (batch jobs, CI logs).
 */
final class CohortProgress implements CohortListener {
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private long startNanos;
    private int finished;
    private int failed;
    private int cases;

    CohortProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static boolean onTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public synchronized void started(int cases) {
        this.cases = cases;
        startNanos = System.nanoTime();
        if (terminal) {
            err.print(bar(0, 0, cases));
            err.flush();
        }
    }

    @Override
    public synchronized void caseFinished(CaseOutcome o, int finished, int failed, int cases) {
        this.finished = finished;
        this.failed = failed;
        this.cases = cases;
        String what = switch (o.status()) {
            case DONE -> String.format(Locale.ROOT, "done in %.2f s", o.seconds());
            case UNCHANGED -> "unchanged, kept (--resume)";
            case FAILED -> "failed: " + o.errorLine();
        };
        if (terminal) {
            if (o.status() == CaseOutcome.Status.FAILED) {
                err.print("\r\033[K" + "cohort: " + o.c().label() + " " + what + "\n");
            }
            err.print("\r\033[K" + bar(finished, failed, cases));
            if (finished == cases) {
                err.print("\n");
            }
        } else {
            err.println("cohort: [" + finished + "/" + cases + "] " + o.c().label() + " " + what);
        }
        err.flush();
    }

    /** A line of its own (e.g. the backend choice), printed above the bar on a terminal. */
    @Override
    public synchronized void note(String line) {
        if (terminal) {
            err.print("\r\033[K" + line + "\n");
            if (finished < cases) { // a bar is on screen: draw it again below the line
                err.print(bar(finished, failed, cases));
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** A last line, below whatever is on screen and with no bar after it: the JVM is going away. */
    synchronized void last(String line) {
        err.print(terminal ? "\r\033[K" + line + "\n" : line + "\n");
        err.flush();
    }

    private String bar(int finished, int failed, int cases) {
        int filled = cases == 0 ? BAR_WIDTH : finished * BAR_WIDTH / cases;
        double s = (System.nanoTime() - startNanos) / 1e9;
        String rate = finished > 0 && s > 0 ? String.format(Locale.ROOT, " %.2f cases/s", finished / s) : "";
        String eta = finished > 0 && finished < cases
                ? String.format(Locale.ROOT, " ETA %ds", Math.round(s / finished * (cases - finished))) : "";
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + finished + "/" + cases
                + (failed > 0 ? " (" + failed + " failed)" : "") + rate + eta;
    }
}
