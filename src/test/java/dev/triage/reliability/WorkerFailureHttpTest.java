package dev.triage.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.service.Engine;
import dev.triage.TestProfiles;
import dev.triage.TestSupport;
import dev.triage.config.TriageConfig;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A real ONNX Runtime failure on one request: the tiny NLI model (3,034 word embeddings) served with its
 * tokenizer plus one word, "zzzpoison", whose id is past the model's vocabulary, as when a tokenizer.json from a
 * bigger vocabulary is shipped beside a model. ORT's Gather rejects the id, so every request containing that
 * word fails with a 500 naming the cause, while the others, concurrent ones included, are answered 200; the
 * pool keeps all its workers.
 */
@QuarkusTest
@TestProfile(TestProfiles.NliTiny.class)
class WorkerFailureHttpTest {

    static final String POISON = TestProfiles.POISON;

    @Inject
    Engine engine;

    @TestHTTPResource("/classify")
    URI classify;

    @Inject
    TriageConfig config;

    static Map<String, Object> request(String text) {
        return Map.of("texts", List.of("The game went into extra innings.", text),
                "labels", List.of("sports", "politics"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFailingInferenceFailsOnlyItsRequest() throws Exception {
        TestSupport.awaitReady();
        int workers = engine.loaded().orElseThrow().pool().size();
        assertEquals(TriageConfig.effectiveWorkers(config.pool().workers()), workers);
        RawHttp http = new RawHttp();

        RawHttp.Reply failed = http.postJson("/classify", request("The " + POISON + " won the election."));
        assertEquals(500, failed.status(), failed.body());
        JsonNode error = failed.json();
        assertTrue(error.path("error").asText().contains("inference failed"), error.toString());
        assertTrue(error.path("error").asText().toLowerCase().contains("out of"), error.toString()); // ORT's reason
        System.out.printf("[reliability] worker failure: %s%n", error.path("error").asText());

        // Poisoned and healthy requests at the same time: each gets its own answer.
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<RawHttp.Reply>> poisoned = new ArrayList<>();
            List<Future<RawHttp.Reply>> healthy = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String text = "Report " + i + ": the senate passed the bill after a long debate.";
                if (i % 3 == 0) {
                    poisoned.add(clients.submit(() -> http.postJson("/classify", request(text + " " + POISON))));
                } else {
                    healthy.add(clients.submit(() -> http.postJson("/classify", request(text))));
                }
            }
            for (Future<RawHttp.Reply> f : poisoned) {
                RawHttp.Reply reply = f.get(60, TimeUnit.SECONDS);
                assertEquals(500, reply.status(), reply.body());
                assertTrue(reply.json().path("error").asText().contains("inference failed"), reply.body());
            }
            for (Future<RawHttp.Reply> f : healthy) {
                RawHttp.Reply reply = f.get(60, TimeUnit.SECONDS);
                assertEquals(200, reply.status(), reply.body());
                assertEquals(2, reply.json().path("results").size(), reply.body());
            }
        } finally {
            clients.shutdownNow();
        }

        assertEquals(workers, engine.loaded().orElseThrow().pool().size());
        MalformedRequestsTest.assertWorkersAlive(engine);
        assertEquals(200, http.send("GET", "/q/health/ready", Map.of(), null).status());
        assertEquals(200, http.postJson("/classify", request("The pitcher threw a curveball.")).status());
    }

    /** A failure after the first NDJSON line cannot change the status: the stream ends with an error line. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aStreamThatFailsAfterItsFirstLinesEndsWithAnErrorLine() throws Exception {
        TestSupport.awaitReady();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            texts.add("Report " + i + ": the senate passed the bill after a long debate.");
        }
        texts.add("The " + POISON + " won the election."); // the last chunk fails, the earlier ones were written
        String body = TestSupport.JSON.writeValueAsString(Map.of("texts", texts, "labels", List.of("sports", "politics")));
        HttpRequest request = HttpRequest.newBuilder(classify)
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Accept", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> reply = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("application/x-ndjson", reply.headers().firstValue("Content-Type").orElse(""));
        List<String> lines = reply.body().lines().toList();
        assertTrue(lines.size() > 1 && lines.size() <= texts.size(), "lines: " + lines.size());
        for (String line : lines.subList(0, lines.size() - 1)) {
            JsonNode result = TestSupport.JSON.readTree(line);
            assertEquals(2, result.path("labels").size(), line);
            assertEquals(2, result.path("scores").size(), line); // the fixture is untrained: no ranking to assert
        }
        JsonNode last = TestSupport.JSON.readTree(lines.get(lines.size() - 1));
        assertEquals(1, last.size(), last.toString());
        assertTrue(last.path("error").asText().contains("inference failed"), last.toString());
        assertEquals(200, new RawHttp().postJson("/classify", request("The pitcher threw a curveball.")).status());
    }
}
