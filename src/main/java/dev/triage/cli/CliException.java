package dev.triage.cli;

/** A failure the command line reports as one line on stderr, with its exit code (2: bad input or usage). */
final class CliException extends RuntimeException {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
