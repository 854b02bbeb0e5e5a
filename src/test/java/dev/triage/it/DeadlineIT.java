package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * triage.batch.deadline=300ms against a 1,000-text request (seconds of work for one worker): 503 with Retry-After
 * and a JSON error naming the deadline; its queued micro-batches are dropped, so the queue is empty again at once
 * and the next request is answered (by the one worker, so it survived). The rule itself is DeadlineTest's.
 */
@Tag("timing") // asserts on wall time: failsafe runs it alone, not beside other ITs (pom.xml)
class DeadlineIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(120)
    void aRequestPastItsDeadlineGets503AndItsWorkIsDropped() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            texts.add("Text " + i + ": the rider took the motorcycle out for a long ride along the coast road.");
        }
        String body = JSON.writeValueAsString(Map.of("texts", texts, "labels", List.of("motorcycles", "baseball")));
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_BATCH_DEADLINE", "300ms", "TRIAGE_POOL_WORKERS",
                "1"))) {
            app.awaitReady(Duration.ofSeconds(60));
            long start = System.nanoTime();
            HttpResponse<String> late = app.postJson("/classify", body);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, late.statusCode(), late.body());
            assertTrue(late.headers().firstValue("Retry-After").isPresent(), "Retry-After");
            assertTrue(JSON.readTree(late.body()).path("error").asText().contains("deadline"), late.body());
            assertTrue(millis < 5000, "answered after " + millis + " ms");

            // Skipped, not run: the cancelled micro-batches leave the queue as fast as the worker can pop them.
            long until = System.currentTimeMillis() + 2000;
            while (app.metric("triage_pool_queue_depth") > 0 && System.currentTimeMillis() < until) {
                Thread.sleep(5);
            }
            assertEquals(0, app.metric("triage_pool_queue_depth"), "queue still holds the expired work");
            System.out.printf("[reliability] deadline 300ms: 1000-text request answered 503 after %d ms, queue "
                    + "empty right after%n", millis);

            HttpResponse<String> next = app.postJson("/classify",
                    "{\"texts\": [\"He hit a home run in the ninth.\"], \"labels\": [\"motorcycles\", \"baseball\"]}");
            assertEquals(200, next.statusCode(), next.body());
            assertEquals("baseball", JSON.readTree(next.body()).at("/results/0/labels/0").asText(), next.body());
        }
    }
}
