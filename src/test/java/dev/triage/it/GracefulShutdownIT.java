package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.triage.TestSupport;

/** SIGTERM (what Knative sends when it drains a pod) in the middle of a long batch: the reply still arrives. */
@Tag("timing") // asserts on wall time: failsafe runs it alone, not beside other ITs (pom.xml)
class GracefulShutdownIT {

    @Test
    void batchInFlightAtSigtermCompletes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = TestSupport.tutorialDocuments().stream().map(d -> d.get("text").asText()).toList();
        String body = json.writeValueAsString(Map.of("texts", texts, "labels", List.of("motorcycles", "baseball")));
        // A budget the 777 posts fit in on a busy shared machine; the next test shows what happens when they do not.
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_POOL_WORKERS", "1", "QUARKUS_SHUTDOWN_TIMEOUT", "60s",
                "TRIAGE_SHUTDOWN_DRAIN", "50s"))) {
            app.awaitReady(Duration.ofSeconds(60));
            CompletableFuture<HttpResponse<String>> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return app.postJson("/classify", body);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // 777 posts on one worker take several seconds; wait until they are being worked on.
            long until = System.currentTimeMillis() + 20_000;
            while (!app.get("/q/metrics").body().matches("(?s).*triage_pool_queue_depth(\\{[^}]*\\})? [1-9].*")
                    && System.currentTimeMillis() < until) {
                Thread.sleep(20);
            }
            app.process.destroy(); // SIGTERM
            HttpResponse<String> response = reply.get(90, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode results = json.readTree(response.body()).get("results");
            assertEquals(777, results.size());
            for (JsonNode result : results) {
                assertEquals(2, result.get("labels").size());
            }
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "process did not exit after SIGTERM");
            String log = app.output();
            assertTrue(log.contains("stopped in"), "Quarkus did not shut down cleanly:\n" + log);
            assertEquals(0, app.process.exitValue(), "a graceful SIGTERM exits 0:\n" + log);
        }
    }

    /**
     * SIGTERM while the model loads (a pod scaled away as it starts): exit 0 after a clean stop, never a crash in
     * ONNX Runtime, whose shutdown hook would free its environment under the session being created.
     */
    @Test
    void sigtermWhileTheModelLoadsStopsCleanly() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("QUARKUS_SHUTDOWN_DELAY", "0s"))) {
            long until = System.currentTimeMillis() + 60_000;
            while (!app.output().contains("Loading model") && System.currentTimeMillis() < until) {
                assertTrue(app.process.isAlive(), app.output());
                Thread.sleep(5);
            }
            app.process.destroy(); // SIGTERM
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "process did not exit after SIGTERM");
            String log = app.output();
            assertFalse(log.contains("A fatal error has been detected"), log);
            assertTrue(log.contains("stopped in"), "Quarkus did not shut down cleanly:\n" + log);
            assertEquals(0, app.process.exitValue(), log);
        }
    }

    /**
     * Four 777-post requests on one worker (~40 s of work) against a 5 s drain budget: SIGTERM, and after the
     * readiness delay a new request is refused with 503; every request in flight gets 200 or 503 + Retry-After
     * (none is dropped), the JVM never crashes in ONNX Runtime, and the process exits within delay + timeout.
     */
    @Test
    void moreQueuedWorkThanTheDrainBudgetIsAnsweredAndTheProcessExitsInTime() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = TestSupport.tutorialDocuments().stream().map(d -> d.get("text").asText()).toList();
        String body = json.writeValueAsString(Map.of("texts", texts, "labels", List.of("motorcycles", "baseball")));
        Duration delay = Duration.ofSeconds(1);
        Duration httpTimeout = Duration.ofSeconds(8);
        // Admission would refuse the 2nd to 4th request at once; here they are to be queued when SIGTERM comes.
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_POOL_WORKERS", "1",
                "QUARKUS_SHUTDOWN_DELAY", delay.toSeconds() + "s", "QUARKUS_SHUTDOWN_TIMEOUT",
                httpTimeout.toSeconds() + "s", "TRIAGE_ADMISSION_MAX_WORK_TOKENS", "100000000"))) {
            app.awaitReady(Duration.ofSeconds(60));
            List<CompletableFuture<HttpResponse<String>>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> post(app, body)));
            }
            awaitQueueDepthAtLeast(app, 1500);
            long sigterm = System.nanoTime();
            app.process.destroy(); // SIGTERM
            Thread.sleep(delay.toMillis() + 700);
            HttpResponse<String> late = app.postJson("/classify",
                    "{\"texts\": [\"a new request\"], \"labels\": [\"a\", \"b\"]}");
            assertEquals(503, late.statusCode(), late.body());
            assertTrue(late.headers().firstValue("Retry-After").isPresent(), "no Retry-After on " + late);
            assertTrue(late.body().contains("shutting down"), late.body());
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                HttpResponse<String> response = reply.get(60, TimeUnit.SECONDS); // throws if dropped unanswered
                if (response.statusCode() == 200) {
                    assertEquals(777, json.readTree(response.body()).get("results").size());
                    ok++;
                } else {
                    assertEquals(503, response.statusCode(), response.body());
                    assertTrue(response.headers().firstValue("Retry-After").isPresent(), response.toString());
                    refused++;
                }
            }
            assertTrue(refused > 0, "4 x 777 posts cannot all finish on one worker in 5 s; " + ok + " did");
            long limit = delay.plus(httpTimeout).plusSeconds(3).toMillis();
            assertTrue(app.process.waitFor(limit, TimeUnit.MILLISECONDS), "not exited " + limit + " ms after SIGTERM");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
            String log = app.output();
            assertTrue(app.process.exitValue() != 134 && !log.contains("SIGSEGV"), "crashed:\n" + log);
            assertTrue(log.contains("stopped in"), "Quarkus did not shut down cleanly:\n" + log);
            assertEquals(0, app.process.exitValue(), "a graceful SIGTERM exits 0:\n" + log);
            System.out.printf("SIGTERM -> exit %d in %d ms; %d answered 200, %d answered 503%n",
                    app.process.exitValue(), took, ok, refused);
        }
    }

    static HttpResponse<String> post(PackagedApp app, String body) {
        try {
            return app.postJson("/classify", body);
        } catch (Exception e) {
            throw new IllegalStateException("request not answered: " + e, e);
        }
    }

    static void awaitQueueDepthAtLeast(PackagedApp app, int depth) throws Exception {
        java.util.regex.Pattern gauge = java.util.regex.Pattern.compile("(?m)^triage_pool_queue_depth(\\{[^}]*\\})? ([0-9.]+)");
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            java.util.regex.Matcher m = gauge.matcher(app.get("/q/metrics").body());
            if (m.find() && Double.parseDouble(m.group(2)) >= depth) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the queue never held " + depth + " micro-batches");
    }
}
