package dev.triage.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.service.Engine;
import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * triage.batch.deadline=300ms against a 1,000-text request (seconds of work on two cores): 503 with
 * Retry-After and a JSON error naming the deadline; its queued micro-batches are dropped, so the queue is empty
 * again at once and the next request is answered.
 */
@QuarkusTest
@TestProfile(DeadlineHttpTest.ShortDeadline.class)
class DeadlineHttpTest {

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("triage.batch.deadline", "300ms");
        }
    }

    @Inject
    Engine engine;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRequestPastItsDeadlineGets503AndItsWorkIsDropped() throws InterruptedException {
        TestSupport.awaitReady();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            texts.add("Text " + i + ": the rider took the motorcycle out for a long ride along the coast road.");
        }
        RawHttp http = new RawHttp();
        long start = System.nanoTime();
        RawHttp.Reply late = http.postJson("/classify", Map.of("texts", texts, "labels", List.of("motorcycles", "baseball")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, late.status(), late.body());
        assertTrue(late.header("Retry-After").isPresent(), "Retry-After");
        assertTrue(late.json().path("error").asText().contains("deadline"), late.body());
        assertTrue(millis < 5000, "answered after " + millis + " ms");

        // Skipped, not run: the cancelled micro-batches leave the queue as fast as the workers can pop them.
        long until = System.currentTimeMillis() + 2000;
        while (engine.loaded().orElseThrow().pool().queued() > 0 && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
        assertEquals(0, engine.loaded().orElseThrow().pool().queued(), "queue still holds the expired work");
        System.out.printf("[reliability] deadline 300ms: 1000-text request answered 503 after %d ms, queue empty "
                + "right after%n", millis);

        RawHttp.Reply next = http.postJson("/classify", Map.of("texts", List.of("He hit a home run in the ninth."),
                "labels", List.of("motorcycles", "baseball")));
        assertEquals(200, next.status(), next.body());
        assertEquals("baseball", next.json().at("/results/0/labels/0").asText());
        MalformedRequestsTest.assertWorkersAlive(engine);
    }
}
