package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.TestProfiles;
import dev.triage.TestSupport;
import dev.triage.service.RequestTrace;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A binary CloudEvent carrying a {@code traceparent}, as a Knative Broker delivers it: the request's span,
 * exported to an in-process exporter, continues the caller's trace and carries texts, labels and tokens.
 */
@QuarkusTest
@TestProfile(TestProfiles.Fp32OneWorker.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TracingTest {

    @ApplicationScoped
    static class ExporterProducer {
        @Produces
        @Singleton
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void theRequestSpanContinuesTheIncomingTraceparent() throws Exception {
        TestSupport.awaitReady();
        exporter.reset();
        given().header("ce-id", "trace-1").header("ce-specversion", "1.0").header("ce-source", "/broker")
                .header("ce-type", "triage.classify").header("traceparent", "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01")
                .contentType("application/json")
                .body(Map.of("texts", List.of("I rebuilt the carburetor on my motorbike.", "He hit a home run."),
                        "labels", List.of("motorcycles", "baseball", "cooking")))
                .post("/").then().statusCode(200).header("ce-type", "triage.classified");

        SpanData classify = awaitSpan(s -> s.getName().equals(RequestTrace.SPAN), RequestTrace.SPAN);
        assertEquals(TRACE_ID, classify.getTraceId());
        assertEquals(2L, classify.getAttributes().get(AttributeKey.longKey("triage.texts")));
        assertEquals(3L, classify.getAttributes().get(AttributeKey.longKey("triage.labels")));
        long tokens = classify.getAttributes().get(AttributeKey.longKey("triage.tokens"));
        assertTrue(tokens > 10, "tokens " + tokens);
        // Its parent is the HTTP server span, itself the child of the Broker's span. That one ends after the reply
        // is written, so it may be exported a moment after the client has the reply.
        SpanData server = awaitSpan(s -> s.getSpanId().equals(classify.getParentSpanId()),
                "parent of the classify span");
        assertEquals(PARENT_SPAN_ID, server.getParentSpanId());
        assertEquals(TRACE_ID, server.getTraceId());
    }

    private SpanData awaitSpan(Predicate<SpanData> wanted, String name) throws InterruptedException {
        long until = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < until) {
            Optional<SpanData> span = exporter.getFinishedSpanItems().stream().filter(wanted).findFirst();
            if (span.isPresent()) {
                return span.get();
            }
            Thread.sleep(20); // the batch processor exports on its own thread
        }
        throw new AssertionError("no span " + name + " exported; got " + exporter.getFinishedSpanItems());
    }
}
