package dev.triage.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.config.TriageConfig;
import dev.triage.service.RequestTrace;
import io.opentelemetry.context.Context;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;

/** The Funqy function. */
public class ClassifyFunction {

    /**
     * Requests wait for the worker pool; a virtual thread per request makes that wait cost nothing. It runs in
     * the caller's trace context, so the request's span is a child of the HTTP server span.
     */
    private static final ExecutorService REQUESTS = Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor());

    @Inject
    ClassifyService service;

    @Inject
    TriageConfig config;

    @Inject
    RequestTrace trace;

    /**
     * Classifies a batch of texts zero-shot. Triggered by {@code POST /classify} with a JSON body, or by a
     * CloudEvent of type {@code triage.classify} (binary or structured mode); answers one ranked label list per
     * text, in input order (as a {@code triage.classified} event for CloudEvents).
     */
    @Funq("classify")
    public Uni<ClassifyResponse> classify(JsonNode body) {
        return Uni.createFrom().completionStage(() -> CompletableFuture.supplyAsync(() -> {
            ClassifyRequest request = ClassifyRequest.from(body, config.limits());
            return trace.classify(request.texts().size(), request.labels().size(), () -> service.classify(request));
        }, REQUESTS));
    }
}
