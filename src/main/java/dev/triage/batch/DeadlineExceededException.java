package dev.triage.batch;

/** A request's work did not finish within its deadline; its queued micro-batches were dropped. */
public class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String message) {
        super(message);
    }
}
