package dev.triage.batch;

/** The model failed on one of this request's micro-batches; other requests are unaffected. */
public class InferenceFailedException extends RuntimeException {
    public InferenceFailedException(Throwable cause) {
        super("inference failed: " + cause, cause);
    }
}
