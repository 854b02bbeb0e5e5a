package dev.triage.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.triage.service.TriageException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
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
        // A path no route serves: a JSON 404 too, not Vert.x's HTML page.
        router.route().order(Integer.MAX_VALUE).handler(ctx -> ctx.fail(404));
    }

    static void reply(RoutingContext ctx) {
        Throwable failure = unwrap(ctx.failure());
        if (ctx.response().closed() || clientGone(failure)) {
            // The client went away (abort, reset, timeout on its side): nobody to answer, and not a server error.
            LOG.debugf("client closed the connection before its answer: %s", failure);
            return;
        }
        if (ctx.response().headWritten()) {
            ctx.response().close();
            return;
        }
        if (failure instanceof JsonProcessingException json) {
            // Funqy reading a binary-mode CloudEvent's data (plain bodies fail with a bare 400, below).
            boolean event = ctx.request().headers().contains("ce-id");
            failure = TriageException.badInput(event ? "data" : null,
                    (event ? "CloudEvent data" : "request body") + " is not valid JSON: " + StrictJson.problem(json));
        }
        if (failure != null) {
            ErrorShape.TRIAGE.reply(ctx, failure);
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        ErrorShape.send(ctx.response(), status, Map.of("error", describe(status, ctx)));
    }

    /** Failures that mean the connection is gone, as Vert.x and Netty report them. */
    static boolean clientGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpClosedException || t instanceof ClosedChannelException
                    || "Connection was closed".equals(t.getMessage())
                    || (t instanceof IOException && String.valueOf(t.getMessage()).contains("Connection reset"))) {
                return true;
            }
        }
        return false;
    }

    /** The one place a failure's kind becomes an HTTP status. */
    static int status(TriageException.Kind kind) {
        return switch (kind) {
            case BAD_INPUT -> 400;
            case METHOD_NOT_ALLOWED -> 405;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case OVERLOADED, DEADLINE, NOT_READY -> 503;
            case MODEL_FAILURE -> 500;
            case TOO_LARGE -> 413;
            case WRONG_MODEL -> 422;
            case UNAUTHORIZED -> 401;
        };
    }

    /** Funqy and CompletableFuture wrap what the function threw; the answer depends on the original. */
    static Throwable unwrap(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TriageException) {
                return t;
            }
        }
        Throwable root = failure;
        while (root != null && root.getCause() != null && (root instanceof CompletionException
                || root instanceof UncheckedIOException || root.getClass().getName().startsWith("io.quarkus.funqy"))) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * Failures Funqy and Vert.x signal with a bare status code. Funqy's 406 for a media type never comes:
     * {@link RequestGuard} answers every Content-Type at its routes first.
     */
    private static String describe(int status, RoutingContext ctx) {
        String ceType = ctx.request().getHeader("ce-type");
        return switch (status) {
            case 400 -> "request body is not valid JSON: " + parseProblem(ctx);
            case 404 -> ceType != null ? "no function for CloudEvent type '" + ceType + "' (use triage.classify)"
                    : "no function at " + ctx.request().path() + " (POST /classify)";
            case 405 -> "method " + ctx.request().method() + " not allowed: use POST";
            case 413 -> "request body too large: the limit is " + ConfigProvider.getConfig()
                    .getOptionalValue("quarkus.http.limits.max-body-size", String.class).orElse("10240K") + " bytes";
            default -> "request failed with status " + status;
        };
    }

    /** Funqy fails a body Jackson cannot read with a bare 400; reading it again (failures only) says why. */
    private static String parseProblem(RoutingContext ctx) {
        Buffer body = ctx.body() == null ? null : ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return "the body is empty";
        }
        try {
            StrictJson.MAPPER.readTree(body.getBytes());
            return "Funqy could not read it"; // not reached: Funqy and this mapper read JSON alike
        } catch (IOException e) {
            return StrictJson.problem(e);
        }
    }
}
