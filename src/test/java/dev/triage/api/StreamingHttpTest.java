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
 * The tutorial's job over real HTTP on the default model: the 777 posts, motorcycles vs baseball, in requests of
 * 64 reach the tutorial's accuracy; and the same posts in one {@code POST /classify} with {@code Accept:
 * application/x-ndjson} stream lines while the batch is still running, in input order, equal to those answers.
 * The 64-post answers are classified once for both: micro-batches of one sequence score a text the same in
 * any request (ConcurrencyTest).
 */
@QuarkusTest
class StreamingHttpTest {

    static final List<String> LABELS = List.of("motorcycles", "baseball");
    private static List<JsonNode> tutorialAnswers;

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

    /** The 777 posts' results, from requests of 64 without streaming; classified at the first call. */
    private static synchronized List<JsonNode> tutorialAnswers() throws Exception {
        if (tutorialAnswers == null) {
            List<String> texts = TestSupport.tutorialDocuments().stream().map(d -> d.get("text").asText()).toList();
            List<JsonNode> results = new ArrayList<>();
            for (int start = 0; start < texts.size(); start += 64) {
                String body = TestSupport.JSON.writeValueAsString(Map.of("labels", LABELS,
                        "texts", texts.subList(start, Math.min(texts.size(), start + 64))));
                TestSupport.JSON.readTree(given().contentType(ContentType.JSON).body(body).post("/classify").then()
                        .statusCode(200).extract().asString()).get("results").forEach(results::add);
            }
            tutorialAnswers = List.copyOf(results);
        }
        return tutorialAnswers;
    }

    @Test
    void defaultModelReachesTheTutorialsAccuracy() throws Exception {
        List<JsonNode> docs = TestSupport.tutorialDocuments();
        List<JsonNode> answers = tutorialAnswers();
        assertEquals(777, docs.size());
        assertEquals(777, answers.size());
        int correct = 0;
        for (int i = 0; i < docs.size(); i++) {
            String gold = TestSupport.TUTORIAL_LABELS.get(docs.get(i).get("label").asText());
            if (gold.equals(answers.get(i).at("/labels/0").asText())) {
                correct++;
            }
        }
        double accuracy = correct / 777.0;
        assertTrue(accuracy >= 0.92, "accuracy " + accuracy + " (" + correct + "/777)");
    }

    @Test
    void theFirstLineArrivesWhileTheBatchRunsAndTheLinesEqualTheWholeAnswer() throws Exception {
        List<String> texts = TestSupport.tutorialDocuments().stream().map(d -> d.get("text").asText()).toList();
        String body = TestSupport.JSON.writeValueAsString(Map.of("texts", texts, "labels", LABELS));
        List<JsonNode> whole = tutorialAnswers();
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
