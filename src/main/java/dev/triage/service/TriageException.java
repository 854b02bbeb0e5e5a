package dev.triage.service;

import java.util.Optional;

/**
 * Every failure a caller is told about: what kind it is, the request field it is about (if any), and when to
 * retry (overload). HTTP maps the kind to a status in {@code api.ErrorReplies}, the CLI to an exit code in
 * {@code cli.Cli}; nothing else decides either.
 */
public class TriageException extends RuntimeException {

    /** What went wrong, from the caller's side. */
    public enum Kind {
        /** The request is wrong: a missing, malformed or over-limit field. */
        BAD_INPUT,
        /** Not a POST. */
        METHOD_NOT_ALLOWED,
        /** The body or event data is not JSON. */
        UNSUPPORTED_MEDIA_TYPE,
        /** The queue in front of the workers is full; retry later. */
        OVERLOADED,
        /** The request waited longer than the deadline for its results. */
        DEADLINE,
        /** The model is loading, or failed to load. */
        NOT_READY,
        /** The model failed on this request. */
        MODEL_FAILURE
    }

    private final Kind kind;
    private final String field;
    private final Integer retryAfterSeconds;

    public TriageException(Kind kind, String field, String message, Integer retryAfterSeconds) {
        super(message);
        this.kind = kind;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static TriageException badInput(String field, String message) {
        return new TriageException(Kind.BAD_INPUT, field, message, null);
    }

    public static TriageException unsupportedMediaType(String field, String message) {
        return new TriageException(Kind.UNSUPPORTED_MEDIA_TYPE, field, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public Optional<Integer> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }
}
