package dev.triage.api;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.triage.service.TriageMetrics;
import dev.triage.config.TriageConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

/**
 * Request bodies are held whole in the heap while they are read and parsed, so the bytes of all bodies being
 * received are bounded (triage.admission.max-body-bytes) before any is read: a body that would cross the bound
 * is answered 503 + Retry-After at once, from its Content-Length (a chunked body counts as the largest allowed).
 */
public class BodyAdmission {

    static final double HEAP_SHARE = 0.125;

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    private final AtomicLong held = new AtomicLong();

    void install(@Observes Router router) {
        long maxBody = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size",
                MemorySize.class).map(MemorySize::asLongValue).orElse(10L << 20);
        long bound = config.admission().maxBodyBytes() > 0 ? config.admission().maxBodyBytes()
                : Math.max(maxBody, (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE));
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (ctx.request().isEnded() || ctx.request().path().startsWith("/q/")) {
                ctx.next();
                return;
            }
            long size = declared(ctx.request().getHeader("Content-Length"), maxBody);
            long now = held.addAndGet(size);
            if (now > bound && now > size) {
                held.addAndGet(-size);
                metrics.recordRejection("memory");
                if (ctx.request().version() != HttpVersion.HTTP_2) {
                    ctx.response().putHeader("Connection", "close"); // its body is not read
                }
                ctx.response().setStatusCode(503).putHeader("Retry-After", "1")
                        .putHeader("Content-Type", "application/json").end(Json.encode(Map.of("error",
                                "overloaded: " + ((now - size) >> 20) + " MiB of request bodies are being read; this "
                                        + "one adds " + (size >> 20) + " MiB; the bound is " + (bound >> 20)
                                        + " MiB (triage.admission.max-body-bytes)")));
                return;
            }
            ctx.addEndHandler(done -> held.addAndGet(-size));
            ctx.next();
        });
    }

    private static long declared(String contentLength, long maxBody) {
        try {
            return contentLength == null ? maxBody : Math.min(maxBody, Math.max(0, Long.parseLong(contentLength.trim())));
        } catch (NumberFormatException e) {
            return maxBody;
        }
    }
}
