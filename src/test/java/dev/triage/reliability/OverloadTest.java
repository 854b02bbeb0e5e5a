package dev.triage.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * One worker and room for 64 waiting tokens (a few micro-batches): of 8 simultaneous 200-text requests, the one
 * that finds the queue empty runs, those that arrive while it waits get 503 + Retry-After + a JSON error saying overloaded;
 * afterwards a normal request succeeds. The JVM's resident memory is printed and bounded.
 */
@QuarkusTest
@TestProfile(TestProfiles.Fp32OneWorker.class)
class OverloadTest {

    static final int REQUESTS = 8;
    static final int TEXTS = 200;
    /**
     * What the overload may add to the test JVM's RSS. The JVM also holds every model earlier tests loaded, so its
     * absolute RSS says nothing about this test; the margin is the one the old 2048 MiB cap left (~190 MiB).
     */
    static final long RSS_GROWTH_LIMIT_MIB = 192;

    @Inject
    Engine engine;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void saturationIsAnswered503WithRetryAfterAndTheServiceRecovers() throws Exception {
        TestSupport.awaitReady();
        assertEquals(1, engine.loaded().orElseThrow().pool().size());
        long rssBefore = RawHttp.rssMib();
        RawHttp http = new RawHttp();
        ExecutorService clients = Executors.newFixedThreadPool(REQUESTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<RawHttp.Reply>> replies = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int r = 0; r < REQUESTS; r++) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < TEXTS; i++) {
                    texts.add(i % 2 == 0 ? "Request " + r + " ride " + i + ": the motorcycle's clutch slipped on the hill."
                            : "Request " + r + " game " + i + ": the catcher threw out the runner at second base.");
                }
                Map<String, Object> body = Map.of("texts", texts, "labels", List.of("motorcycles", "baseball"));
                replies.add(clients.submit(() -> {
                    go.await();
                    return http.postJson("/classify", body);
                }));
            }
            go.countDown();
            int ok = 0;
            int overloaded = 0;
            for (Future<RawHttp.Reply> future : replies) {
                RawHttp.Reply reply = future.get(200, TimeUnit.SECONDS);
                if (reply.status() == 200) {
                    ok++;
                    assertEquals(TEXTS, reply.json().path("results").size());
                    continue;
                }
                assertEquals(503, reply.status(), reply.body());
                overloaded++;
                assertTrue(reply.header("Content-Type").orElse("").startsWith("application/json"));
                String retryAfter = reply.header("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After"));
                assertTrue(Integer.parseInt(retryAfter) >= 1, retryAfter);
                JsonNode error = reply.json();
                assertTrue(error.path("error").asText().contains("overloaded"), error.toString());
            }
            long rssAfter = RawHttp.rssMib();
            System.out.printf("[reliability] overload: %d concurrent requests x %d texts on 1 worker, queue bound "
                    + "64 tokens: %d answered 200, %d answered 503 + Retry-After, in %.1f s; test JVM RSS %d MiB before, "
                    + "%d MiB after%n", REQUESTS, TEXTS, ok, overloaded, (System.nanoTime() - start) / 1e9,
                    rssBefore, rssAfter);
            assertTrue(ok >= 1, "the request that found the queue empty must run");
            assertTrue(overloaded >= 1, "some requests must be refused while the queue is full");
            String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
            java.util.regex.Matcher queue = java.util.regex.Pattern
                    .compile("(?m)^triage_requests_rejected_total\\{reason=\"queue\"\\} ([0-9.]+)").matcher(metrics);
            assertTrue(queue.find() && Double.parseDouble(queue.group(1)) >= overloaded,
                    "the rejection counter did not count the queue's refusals:\n" + metrics);
            assertTrue(rssAfter - rssBefore < RSS_GROWTH_LIMIT_MIB, "RSS grew " + rssBefore + " -> " + rssAfter
                    + " MiB");
        } finally {
            clients.shutdownNow();
        }
        RawHttp.Reply after = http.postJson("/classify", Map.of("texts",
                List.of("I rebuilt the carburetor on my motorbike.", "He hit a home run in the ninth."),
                "labels", List.of("motorcycles", "baseball")));
        assertEquals(200, after.status(), after.body());
        JsonNode normal = after.json();
        assertEquals("motorcycles", normal.at("/results/0/labels/0").asText(), normal.toString());
        assertEquals("baseball", normal.at("/results/1/labels/0").asText(), normal.toString());
        assertEquals(0, engine.loaded().orElseThrow().pool().queued());
        MalformedRequestsTest.assertWorkersAlive(engine);
    }
}
