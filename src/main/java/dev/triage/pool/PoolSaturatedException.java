package dev.triage.pool;

/** The pool's queue cannot take a request's micro-batches now; the client should retry after a while. */
public class PoolSaturatedException extends RuntimeException {
    private final int retryAfterSeconds;

    public PoolSaturatedException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
