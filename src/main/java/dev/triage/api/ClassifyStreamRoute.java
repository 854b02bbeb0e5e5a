package dev.triage.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import dev.triage.config.TriageConfig;
import dev.triage.scoring.Classification;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.ClassificationService;
import dev.triage.service.RequestTrace;
import dev.triage.service.TriageException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /classify} with {@code Accept: application/x-ndjson}: one JSON line per text (what
 * {@code results[i]} holds), in input order, as soon as that text and every text before it are done, so a big
 * batch answers from its first seconds. The request is checked and admitted whole before the first line, so every
 * refusal is the usual JSON error with its status; a failure after the first line ends the stream with a line
 * {@code {"error": ...}}. CloudEvents and other Accept values go on to the Funqy function.
 */
public class ClassifyStreamRoute {

    static final String NDJSON = "application/x-ndjson";
    private static final Logger LOG = Logger.getLogger(ClassifyStreamRoute.class);

    @Inject
    ClassificationService service;

    @Inject
    RequestThreads threads;

    @Inject
    TriageConfig config;

    @Inject
    RequestTrace trace;

    /** After RequestGuard (same order, installed later), which has checked method, media type and body. */
    void install(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) Router router) {
        router.post("/" + RequestGuard.FUNCTION).order(RequestGuard.ORDER).handler(ctx -> {
            boolean event = ctx.request().headers().names().stream().anyMatch(RequestGuard::isCeHeader)
                    || !RequestGuard.mediaType(ctx.request().getHeader("Content-Type")).equals("application/json");
            if (event || !accepts(ctx.request().getHeader("Accept"))) {
                ctx.next();
                return;
            }
            byte[] body = ctx.body().buffer().getBytes();
            threads.executor().execute(() -> stream(ctx, body));
        });
    }

    /** Whether the Accept header lists NDJSON (its q-values are not weighed: asking for it at all is enough). */
    static boolean accepts(String accept) {
        return accept != null && Arrays.stream(accept.split(",")).map(RequestGuard::mediaType).anyMatch(NDJSON::equals);
    }

    private void stream(RoutingContext ctx, byte[] body) {
        HttpServerResponse response = ctx.response();
        try {
            CancelOnDisconnect.run(response, () -> {
                ClassificationRequest request = ClassifyRequest.from(StrictJson.readTree(body, "request body"),
                        config.limits());
                return trace.classify(request.texts().size(), request.labels().size(), () -> {
                    try {
                        service.classifyStreaming(request, results -> write(response, results));
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                });
            });
            if (!response.headWritten()) {
                start(response); // no texts: an empty stream
            }
            response.end();
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    private static void write(HttpServerResponse response, List<Classification> results) {
        if (!response.headWritten()) {
            start(response);
        }
        Buffer lines = Buffer.buffer(results.size() * 96);
        for (Classification result : results) {
            lines.appendString(Json.encode(result)).appendByte((byte) '\n');
        }
        response.write(lines);
    }

    private static void start(HttpServerResponse response) {
        response.setChunked(true).putHeader("Content-Type", NDJSON);
    }

    /** Before the first line: the route's usual JSON error; after it: a last line naming the error. */
    private static void fail(RoutingContext ctx, RuntimeException e) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || Thread.currentThread().isInterrupted()) {
            LOG.debugf("client closed the connection before the end of its stream: %s", e);
            return;
        }
        if (!response.headWritten()) {
            ErrorShape.TRIAGE.reply(ctx, e);
            return;
        }
        if (!(e instanceof TriageException)) {
            LOG.error("stream failed after its first lines", e);
        }
        String message = e instanceof TriageException ? e.getMessage() : "internal error: " + e;
        response.end(Json.encode(Map.of("error", message)) + "\n");
    }
}
