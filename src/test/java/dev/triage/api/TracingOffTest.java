package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.triage.TestSupport;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Without an OTLP endpoint (the default) the SDK is off: a CloudEvent with a traceparent is answered and no span
 * reaches the exporter that TracingTest (tracing on) sees spans in.
 */
@QuarkusTest
class TracingOffTest {

    @Inject
    OpenTelemetry openTelemetry;

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void withoutAnEndpointNothingIsTraced() {
        TestSupport.awaitReady();
        assertEquals(true, ConfigProvider.getConfig().getValue("quarkus.otel.sdk.disabled", Boolean.class));
        exporter.reset();
        given().header("ce-id", "trace-off").header("ce-specversion", "1.0").header("ce-source", "/broker")
                .header("ce-type", "triage.classify")
                .header("traceparent", "00-" + TracingTest.TRACE_ID + "-" + TracingTest.PARENT_SPAN_ID + "-01")
                .contentType("application/json")
                .body(Map.of("texts", List.of("He hit a home run."), "labels", List.of("motorcycles", "baseball")))
                .post("/").then().statusCode(200);
        ((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        assertEquals(List.of(), exporter.getFinishedSpanItems());
    }
}
