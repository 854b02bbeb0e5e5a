package dev.triage.pool;

/**
 * The work cannot be taken now (the pool's queue or an admission bound is full, or the pool is shutting down);
 * the client should retry after a while.
 */
public class PoolSaturatedException extends RuntimeException {
    private final String reason;
    private final int retryAfterSeconds;

    /** @param reason which bound refused it, for the rejection counter: queue, shutdown, work or memory */
    public PoolSaturatedException(String reason, String message, int retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String reason() {
        return reason;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
