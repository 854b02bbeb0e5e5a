package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.TestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code POST /classify} with {@code Accept: application/x-ndjson}, over real HTTP on the default model: lines come
 * while the batch is still running, in input order, and equal the non-streaming answer.
 */
@QuarkusTest
class StreamingHttpTest {

    static final List<String> LABELS = List.of("motorcycles", "baseball");

    @TestHTTPResource("/classify")
    URI classify;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void ready() {
        TestSupport.awaitReady();
    }

    double requestsServed() {
        return registry.get("triage.batches.classified").counter().count();
    }

    @Test
    void theFirstLineArrivesWhileTheBatchRunsAndTheLinesEqualTheWholeAnswer() throws Exception {
        List<String> texts = TestSupport.tutorialDocuments().stream().map(d -> d.get("text").asText()).toList();
        String body = TestSupport.JSON.writeValueAsString(Map.of("texts", texts, "labels", LABELS));
        JsonNode whole = TestSupport.JSON.readTree(given().contentType(ContentType.JSON).body(body)
                .post("/classify").then().statusCode(200).extract().asString()).get("results");
        assertEquals(777, whole.size());

        double servedBefore = requestsServed();
        HttpRequest request = HttpRequest.newBuilder(classify).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Accept", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            lines.add(TestSupport.JSON.readTree(reader.readLine()));
            // The request is counted when its last line is written: it has not ended yet.
            assertEquals(servedBefore, requestsServed(), "the whole batch was done before its first line arrived");
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(TestSupport.JSON.readTree(line));
            }
        }
        assertEquals(servedBefore + 1, requestsServed());
        assertEquals(777, lines.size());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(whole.get(i), lines.get(i), "line " + i);
        }
    }

    @Test
    void aRequestRefusedBeforeItsFirstLineGetsTheUsualJsonError() {
        given().contentType(ContentType.JSON).accept("application/x-ndjson")
                .body(Map.of("texts", List.of("a motorbike"), "labels", List.of("a", "a")))
                .post("/classify").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("a")).body("field", equalTo("labels"));
        given().contentType(ContentType.JSON).accept("application/x-ndjson").body("{\"texts\": [\"a\"], ")
                .post("/classify").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", containsString("not valid JSON"));
    }

    @Test
    void withoutTheAcceptHeaderTheAnswerIsOneJsonObject() {
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("a home run"), "labels", LABELS))
                .post("/classify").then().statusCode(200).contentType(ContentType.JSON)
                .body("results[0].labels[0]", equalTo("baseball"));
        assertTrue(ClassifyStreamRoute.accepts("application/json, application/x-ndjson;q=0.9"));
    }
}
