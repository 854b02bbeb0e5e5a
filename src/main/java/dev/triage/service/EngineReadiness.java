package dev.triage.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/ready: UP only once the model is loaded and every worker ran one warm-up inference. */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    @Inject
    Engine engine;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("model");
        engine.loaded().ifPresentOrElse(
                loaded -> response.up()
                        .withData("model", loaded.model().spec().name())
                        .withData("kind", loaded.model().kind().name().toLowerCase(java.util.Locale.ROOT))
                        .withData("workers", loaded.pool().size())
                        .withData("loadMillis", loaded.loadMillis()),
                () -> response.down().withData("state", engine.failure().map(f -> "failed: " + f).orElse("loading")));
        return response.build();
    }
}
