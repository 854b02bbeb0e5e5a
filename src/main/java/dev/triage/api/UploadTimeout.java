package dev.triage.api;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.triage.config.TriageConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * A request whose body has not fully arrived within {@code triage.http.body-timeout} of its headers is answered
 * 408 and its connection closed: a stalled upload (a chunked body that never ends, a short Content-Length) would
 * otherwise hold a connection and a file descriptor for as long as the client likes. Vert.x's idle timeout cannot
 * do this alone: a connection also sends nothing while its request is classified.
 */
public class UploadTimeout {

    private static final Logger LOG = Logger.getLogger(UploadTimeout.class);

    @Inject
    TriageConfig config;

    /** Before Quarkus's body handler (Integer.MIN_VALUE + 1), which would otherwise wait for the whole body. */
    void install(@Observes Router router) {
        Duration bodyTimeout = config.http().bodyTimeout();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (!request.isEnded()) {
                long timer = ctx.vertx().setTimer(bodyTimeout.toMillis(), id -> {
                    if (!request.isEnded() && !ctx.response().ended()) {
                        LOG.debugf("closing %s: its body did not arrive within %d ms", request.remoteAddress(),
                                bodyTimeout.toMillis());
                        boolean http1 = request.version() != HttpVersion.HTTP_2;
                        if (!ctx.response().headWritten()) {
                            if (http1) {
                                ctx.response().putHeader("Connection", "close");
                            }
                            ctx.response().setStatusCode(408).putHeader("Content-Type", "application/json")
                                    .end(Json.encode(Map.of("error",
                                            "request body not received within " + bodyTimeout.toSeconds() + " s")));
                        }
                        if (http1) {
                            request.connection().close(); // an HTTP/2 connection carries other streams
                        }
                    }
                });
                ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
            }
            ctx.next();
        });
    }
}
