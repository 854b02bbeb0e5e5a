package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** /q/metrics moves with the work done. */
@QuarkusTest
class MetricsTest {

    @Test
    void documentsCounterMovesByTheBatchSize() {
        TestSupport.awaitReady();
        double before = metric("triage_documents_classified_total");
        double batchesBefore = metric("triage_batches_classified_total");
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("one motorbike", "two innings", "three laps", "four strikes", "five"),
                        "labels", List.of("motorcycles", "baseball")))
                .post("/classify").then().statusCode(200);
        assertEquals(before + 5, metric("triage_documents_classified_total"), 1e-9);
        assertEquals(batchesBefore + 1, metric("triage_batches_classified_total"), 1e-9);
        String all = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("triage_request_duration_seconds_bucket", "triage_batch_tokens_bucket",
                "triage_pool_queue_depth", "triage_pool_workers_busy", "triage_pool_workers",
                "triage_model_load_seconds")) {
            assertTrue(all.contains(name), name + " missing from /q/metrics");
        }
        assertTrue(metric("triage_model_load_seconds") > 0);
        assertTrue(metric("triage_pool_workers") >= 1);
    }

    static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return TestSupport.metric(text, name, "").orElse(0); // a counter never incremented is absent: 0
    }
}
