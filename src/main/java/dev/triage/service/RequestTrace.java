package dev.triage.service;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * One span per classification, a child of the request's server span (which continues the caller's
 * {@code traceparent}, e.g. a Knative Broker delivery's), with the texts, labels and real tokens it took.
 * With tracing off (no OTLP endpoint: see config.OtelOffWithoutEndpoint) there is no server span and this costs
 * one context lookup.
 */
@ApplicationScoped
public class RequestTrace {

    public static final String SPAN = "triage.classify";
    /** Tokens run for the request on this thread; set only while a recording span is open. */
    private static final ThreadLocal<long[]> TOKENS = new ThreadLocal<>();

    @Inject
    Tracer tracer;

    /** Runs {@code work} (on the request's own thread) inside the request's span. */
    public <T> T classify(int texts, int labels, Supplier<T> work) {
        if (!Span.current().getSpanContext().isValid()) {
            return work.get(); // tracing off: Quarkus installs no HTTP instrumentation, so there is no server span
        }
        Span span = tracer.spanBuilder(SPAN).setAttribute("triage.texts", texts)
                .setAttribute("triage.labels", labels).startSpan();
        if (!span.isRecording()) {
            return work.get();
        }
        long[] tokens = new long[1];
        TOKENS.set(tokens);
        try (Scope scope = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            TOKENS.remove();
            span.setAttribute("triage.tokens", tokens[0]);
            span.end();
        }
    }

    /** Told every batch run's real token count, on the thread of the request that ran it. */
    public static void addTokens(int count) {
        long[] tokens = TOKENS.get();
        if (tokens != null) {
            tokens[0] += count;
        }
    }
}
