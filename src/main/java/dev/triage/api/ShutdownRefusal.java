package dev.triage.api;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;

import dev.triage.service.ShutdownDrain;

/**
 * Once the server drains (SIGTERM, after the readiness delay), a new request is answered 503 + Retry-After at
 * once, before its body is read (Quarkus closes HTTP/1 connections then); health and metrics stay served.
 */
public class ShutdownRefusal {

    static final int RETRY_AFTER_SECONDS = 2;

    @Inject
    ShutdownDrain drain;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (drain.refusing() && !ctx.request().path().startsWith("/q/")) {
                ctx.response().setStatusCode(503).putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                        .putHeader("Content-Type", "application/json")
                        .end(Json.encode(java.util.Map.of("error",
                                "shutting down: this instance takes no new requests; retry (another instance)")));
                return;
            }
            ctx.next();
        });
    }
}
