package dev.triage.api;

import java.util.Optional;

/** A request that is answered with an error status and a JSON body {"error": ..., "field": ...}. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String field, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, field, message, null);
    }

    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, null, message, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public Optional<Integer> retryAfterSeconds() {
        return Optional.ofNullable(retryAfterSeconds);
    }
}
