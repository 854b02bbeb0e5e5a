package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.triage.TestSupport;

/** SIGTERM (what Knative sends when it drains a pod) in the middle of a long batch: the reply still arrives. */
class GracefulShutdownIT {

    @Test
    void batchInFlightAtSigtermCompletes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> texts = TestSupport.tutorialDocuments().stream().map(d -> d.get("text").asText()).toList();
        String body = json.writeValueAsString(Map.of("texts", texts, "labels", List.of("motorcycles", "baseball")));
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_POOL_WORKERS", "1"))) {
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
        }
    }
}
