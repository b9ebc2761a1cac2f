package dev.eqd2sum.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work done on a second thread, so that what it threw surfaces here unwrapped. */
final class Tasks {
    private Tasks() {
    }

    /**
     * The task's result. An interrupt does not abandon the wait (the task writes into our output
     * folder); it is re-asserted afterwards. What the task threw is thrown as it was (an
     * InvalidInputException stays one); an IOException comes wrapped in an UncheckedIOException.
     */
    static <T> T join(Future<T> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
