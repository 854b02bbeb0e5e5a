package dev.triage.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.triage.service.TriageException;
import dev.triage.service.TriageException.Kind;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * How a route's clients expect errors: TEI's {@code {"error", "error_type"}} with TEI's statuses, or OpenAI's
 * {@code {"error": {"message", "type", "param", "code"}}}. Overload answers keep Retry-After (both SDKs honour it).
 */
enum ErrorShape {

    /** Triage's own {@code {"error", "field"}} (HF's Inference API answers {@code {"error"}} too). */
    TRIAGE(Map.of()) {
        @Override
        Object body(TriageException e, int status) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            e.field().ifPresent(f -> body.put("field", f));
            return body;
        }
    },

    TEI(Map.of(Kind.OVERLOADED, 429, Kind.WRONG_MODEL, 424, Kind.MODEL_FAILURE, 424)) {
        @Override
        Object body(TriageException e, int status) {
            String type = switch (e.kind()) {
                case BAD_INPUT, TOO_LARGE, METHOD_NOT_ALLOWED, UNSUPPORTED_MEDIA_TYPE, UNAUTHORIZED -> "validation";
                case OVERLOADED, DEADLINE -> "overloaded";
                case NOT_READY -> "unhealthy";
                case WRONG_MODEL, MODEL_FAILURE -> "backend";
            };
            return Map.of("error", e.getMessage(), "error_type", type);
        }
    },

    OPENAI(Map.of(Kind.TOO_LARGE, 400, Kind.WRONG_MODEL, 400)) {
        @Override
        Object body(TriageException e, int status) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", e.getMessage());
            error.put("type", status >= 500 ? "server_error" : "invalid_request_error");
            error.put("param", e.field().orElse(null));
            error.put("code", switch (e.kind()) {
                case OVERLOADED -> "overloaded";
                case DEADLINE -> "timeout";
                case NOT_READY -> "model_not_ready";
                case WRONG_MODEL -> "model_not_supported";
                case TOO_LARGE -> "context_length_exceeded";
                case UNAUTHORIZED -> "invalid_api_key";
                default -> null;
            });
            return Map.of("error", error);
        }
    };

    private static final Logger LOG = Logger.getLogger(ErrorShape.class);

    /** Where this shape's clients expect another status than {@link ErrorReplies#status}. */
    private final Map<Kind, Integer> statuses;

    ErrorShape(Map<Kind, Integer> statuses) {
        this.statuses = statuses;
    }

    int status(Kind kind) {
        return statuses.getOrDefault(kind, ErrorReplies.status(kind));
    }

    abstract Object body(TriageException e, int status);

    void reply(RoutingContext ctx, Throwable failure) {
        TriageException error;
        if (failure instanceof TriageException triage) {
            error = triage;
        } else {
            LOG.error("request failed", failure);
            error = new TriageException(Kind.MODEL_FAILURE, null, "internal error: " + failure, null);
        }
        int status = status(error.kind());
        error.retryAfterSeconds().ifPresent(s -> ctx.response().putHeader("Retry-After", Integer.toString(s)));
        send(ctx.response(), status, body(error, status));
    }

    /** Ends the response with {@code body} as JSON. */
    static void send(HttpServerResponse response, int status, Object body) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.encode(body));
    }
}
