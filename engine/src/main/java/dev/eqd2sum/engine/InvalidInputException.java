package dev.eqd2sum.engine;

/**
 * Bad user input: a file or field that cannot be used as given. Carries the source (a file name,
 * or a file and field) and one sentence a physicist understands. The CLI prints
 * {@code eqd2sum: error: <source>: <problem>} and exits with status 2. Everything else that goes
 * wrong is a bug and is not caught and hidden.
 */
public class InvalidInputException extends RuntimeException {
    private final String source;
    private final String problem;

    public InvalidInputException(String source, String problem) {
        super(source == null || source.isEmpty() ? problem : source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    public InvalidInputException(String source, String problem, Throwable cause) {
        super(source == null || source.isEmpty() ? problem : source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file (and field) at fault, as the user named it. */
    public String source() {
        return source;
    }

    /** The problem, without the source. */
    public String problem() {
        return problem;
    }

    /** The same problem attributed to another source (e.g. a reader's error re-attributed to the case file's path). */
    public InvalidInputException withSource(String newSource) {
        return new InvalidInputException(newSource, problem, this);
    }
}
