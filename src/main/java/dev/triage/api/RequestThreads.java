package dev.triage.api;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.context.Context;

/**
 * Requests wait for the worker pool; a virtual thread per request makes that wait cost nothing. Each task runs in
 * the caller's trace context, so the request's span is a child of the HTTP server span.
 */
@ApplicationScoped
public class RequestThreads {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService executor = Context.taskWrapping(threads);

    ExecutorService executor() {
        return executor;
    }

    /** After the HTTP server stopped taking requests; waits for the ones still running. */
    @PreDestroy
    void close() {
        threads.close();
    }
}
