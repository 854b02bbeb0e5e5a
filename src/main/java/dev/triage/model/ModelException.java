package dev.triage.model;

/** A model that cannot be used as configured; the message names the file and what is wrong. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
