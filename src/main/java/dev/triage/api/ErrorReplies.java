package dev.triage.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Every failed request gets a JSON body {"error": ..., "field": ...} and the right status, never a stack
 * trace; overload answers carry Retry-After.
 */
public class ErrorReplies {

    private static final Logger LOG = Logger.getLogger(ErrorReplies.class);

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(ErrorReplies::reply);
    }

    static void reply(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().close();
            return;
        }
        Throwable failure = unwrap(ctx.failure());
        int status;
        String field = null;
        String message;
        if (failure instanceof ApiException api) {
            status = api.status();
            field = api.field().orElse(null);
            message = api.getMessage();
            api.retryAfterSeconds().ifPresent(s -> ctx.response().putHeader("Retry-After", Integer.toString(s)));
        } else if (failure != null) {
            status = 500;
            message = "internal error: " + failure;
            LOG.error("request failed", failure);
        } else {
            status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            message = describe(status, ctx);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (field != null) {
            body.put("field", field);
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Json.encode(body));
    }

    /** Funqy and CompletableFuture wrap what the function threw; the answer depends on the original. */
    static Throwable unwrap(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ApiException) {
                return t;
            }
        }
        Throwable root = failure;
        while (root != null && root.getCause() != null
                && (root instanceof CompletionException || root.getClass().getName().startsWith("io.quarkus.funqy"))) {
            root = root.getCause();
        }
        return root;
    }

    /** Failures Funqy signals with a bare status code. */
    private static String describe(int status, RoutingContext ctx) {
        String ceType = ctx.request().getHeader("ce-type");
        return switch (status) {
            case 400 -> "request body is not valid JSON (or not UTF-8)";
            case 404 -> ceType != null ? "no function for CloudEvent type '" + ceType + "' (use triage.classify)"
                    : "no function at " + ctx.request().path() + " (POST /classify)";
            case 405 -> "method " + ctx.request().method() + " not allowed: use POST";
            case 406 -> "unsupported Content-Type '" + ctx.request().getHeader("Content-Type")
                    + "': use application/json or application/cloudevents+json";
            case 413 -> "request body too large";
            default -> "request failed with status " + status;
        };
    }
}
