package dev.triage.api;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.triage.config.TriageConfig;
import dev.triage.service.ShutdownDrain;
import dev.triage.service.TriageException;
import dev.triage.service.TriageMetrics;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests refused with 503 + Retry-After before their body is read (health and metrics are always served): every
 * new one once the server drains (SIGTERM, after the readiness delay; Quarkus closes HTTP/1 connections then), and
 * one whose body would cross triage.admission.max-body-bytes, the bound on the bytes of all bodies being received
 * (they are held whole in the heap while read and parsed). A body counts from its Content-Length, a chunked one as
 * the largest allowed.
 */
public class BodyAdmission {

    static final double HEAP_SHARE = 0.125;
    static final int SHUTDOWN_RETRY_AFTER_SECONDS = 2;

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    @Inject
    ShutdownDrain drain;

    private final AtomicLong held = new AtomicLong();

    void install(@Observes Router router) {
        long maxBody = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size",
                MemorySize.class).map(MemorySize::asLongValue).orElse(10L << 20);
        long bound = config.admission().maxBodyBytes() > 0 ? config.admission().maxBodyBytes()
                : Math.max(maxBody, (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.request().path().startsWith("/q/")) {
                ctx.next();
            } else if (drain.refusing()) {
                refuse(ctx, SHUTDOWN_RETRY_AFTER_SECONDS,
                        "shutting down: this instance takes no new requests; retry (another instance)");
            } else if (!ctx.request().isEnded()) {
                admit(ctx, declared(ctx.request().getHeader("Content-Length"), maxBody), bound);
            } else {
                ctx.next();
            }
        });
    }

    private void admit(RoutingContext ctx, long size, long bound) {
        long now = held.addAndGet(size);
        if (now > bound && now > size) {
            held.addAndGet(-size);
            metrics.recordRejection("memory");
            if (ctx.request().version() != HttpVersion.HTTP_2) {
                ctx.response().putHeader("Connection", "close"); // its body is not read
            }
            refuse(ctx, 1, "overloaded: " + ((now - size) >> 20) + " MiB of request bodies are being read; this one "
                    + "adds " + (size >> 20) + " MiB; the bound is " + (bound >> 20)
                    + " MiB (triage.admission.max-body-bytes)");
            return;
        }
        ctx.addEndHandler(done -> held.addAndGet(-size));
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, int retryAfterSeconds, String message) {
        ErrorShape.TRIAGE.reply(ctx, new TriageException(TriageException.Kind.OVERLOADED, null, message,
                retryAfterSeconds));
    }

    private static long declared(String contentLength, long maxBody) {
        try {
            return contentLength == null ? maxBody
                    : Math.min(maxBody, Math.max(0, Long.parseLong(contentLength.trim())));
        } catch (NumberFormatException e) {
            return maxBody;
        }
    }
}
