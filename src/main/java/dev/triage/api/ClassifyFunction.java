package dev.triage.api;

import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.config.TriageConfig;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.ClassificationService;
import dev.triage.service.ClassifyResponse;
import dev.triage.service.RequestTrace;
import io.quarkus.funqy.Funq;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The Funqy function. One instance: Funqy would otherwise construct the class (and resolve its injections) for
 * every request.
 */
@Singleton
public class ClassifyFunction {

    @Inject
    ClassificationService service;

    @Inject
    RequestThreads threads;

    @Inject
    TriageConfig config;

    @Inject
    RequestTrace trace;

    @Inject
    CurrentVertxRequest currentRequest;

    /**
     * Classifies a batch of texts zero-shot. Triggered by {@code POST /classify} with a JSON body, or by a
     * CloudEvent of type {@code triage.classify} (binary or structured mode); answers one ranked label list per
     * text, in input order (as a {@code triage.classified} event for CloudEvents).
     */
    @Funq("classify")
    public Uni<ClassifyResponse> classify(JsonNode body) {
        // Funqy sets the current request before it calls the function, on its own thread.
        RoutingContext http = currentRequest.getCurrent();
        HttpServerResponse response = http == null ? null : http.response();
        return Uni.createFrom().completionStage(() -> CompletableFuture.supplyAsync(
                () -> CancelOnDisconnect.run(response, () -> {
                    ClassificationRequest request = ClassifyRequest.from(body, config.limits());
                    return trace.classify(request.texts().size(), request.labels().size(),
                            () -> service.classify(request));
                }), threads.executor()));
    }
}
