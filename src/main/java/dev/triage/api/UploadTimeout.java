package dev.triage.api;

import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.triage.config.TriageConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;

/**
 * A request whose body has not fully arrived within {@code triage.http.body-timeout} of its headers is answered
 * 408 and its connection closed: a stalled upload (a chunked body that never ends, a short Content-Length) would
 * otherwise hold a connection and a file descriptor for as long as the client likes. Vert.x's idle timeout cannot
 * do this alone: a connection also sends nothing while its request is classified.
 */
public class UploadTimeout {

    private static final Logger LOG = Logger.getLogger(UploadTimeout.class);
    /**
     * What a request does besides waiting for its pool run (bounded by triage.batch.deadline): parse, admit,
     * tokenize up to max-texts texts on contended cores, score and write the answer.
     */
    static final Duration SERVING_MARGIN = Duration.ofSeconds(60);

    @Inject
    TriageConfig config;

    /** Before Quarkus's body handler (Integer.MIN_VALUE + 1), which would otherwise wait for the whole body. */
    void install(@Observes Router router) {
        requireIdleTimeoutAboveServing(ConfigProvider.getConfig().getOptionalValue("quarkus.http.idle-timeout",
                Duration.class).orElse(Duration.ofMinutes(30)), config.batch().deadline());
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
                            ErrorShape.send(ctx.response(), 408, Map.of("error",
                                    "request body not received within " + bodyTimeout.toSeconds() + " s"));
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

    /**
     * The idle timeout also closes a connection whose request is being served (it sends nothing meanwhile), so it
     * must outlast the longest a request may take: the deadline plus {@link #SERVING_MARGIN}. Refused at start.
     */
    static void requireIdleTimeoutAboveServing(Duration idleTimeout, Duration deadline) {
        Duration needed = deadline.plus(SERVING_MARGIN);
        if (idleTimeout.compareTo(needed) < 0) {
            throw new IllegalStateException("quarkus.http.idle-timeout (" + idleTimeout.toSeconds() + " s) must be "
                    + "at least triage.batch.deadline + " + SERVING_MARGIN.toSeconds() + " s (" + needed.toSeconds()
                    + " s): a connection is silent while its request is served, and would be closed unanswered");
        }
    }
}
