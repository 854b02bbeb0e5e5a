package dev.triage.api;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/** Requests wait for the worker pool; a virtual thread per request makes that wait cost nothing. */
@ApplicationScoped
public class RequestThreads {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    ExecutorService executor() {
        return executor;
    }

    /** After the HTTP server stopped taking requests; waits for the ones still running. */
    @PreDestroy
    void close() {
        executor.close();
    }
}
