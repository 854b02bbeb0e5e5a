package dev.triage.reliability;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.triage.TestProfiles;
import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With a 42,000-token work bound (one of these large requests is estimated at ~47,900): a request alone is
 * admitted however large; one that arrives beside it and would cross the bound is refused at once (no tokenizing,
 * no queueing) with 503 + Retry-After naming the bound, and counted by reason; once the first is done the same
 * request runs.
 */
@QuarkusTest
@TestProfile(TestProfiles.Fp32OneWorker.class)
class AdmissionHttpTest {

    @Test
    void excessWorkIsRefusedAtOnceNamingTheBound() throws Exception {
        TestSupport.awaitReady();
        RawHttp http = new RawHttp();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            texts.add(("Post " + i + ": the rider rebuilt the carburetor of his motorcycle before the long ride north. ")
                    .repeat(4));
        }
        Map<String, Object> large = Map.of("texts", texts, "labels", List.of("motorcycles", "baseball"));
        CompletableFuture<RawHttp.Reply> first = CompletableFuture.supplyAsync(() -> http.postJson("/classify", large));
        long until = System.currentTimeMillis() + 30_000;
        while (!given().get("/q/metrics").asString().matches("(?s).*triage_pool_queue_depth(\\{[^}]*\\})? [1-9].*")
                && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        long start = System.nanoTime();
        RawHttp.Reply refused = http.postJson("/classify", large);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(503, refused.status(), () -> refused.body().substring(0, Math.min(300, refused.body().length())));
        assertTrue(refused.header("Retry-After").isPresent());
        assertTrue(refused.json().get("error").asText().contains("triage.admission.max-work-tokens"), refused.body());
        assertTrue(took < 1500, "refused after " + took + " ms: it should not wait for tokenizing or the queue");
        assertEquals(200, first.get(120, TimeUnit.SECONDS).status());
        assertEquals(200, http.postJson("/classify", large).status(), "capacity came back");
        String metrics = given().get("/q/metrics").asString();
        assertTrue(metrics.matches("(?s).*triage_requests_rejected_total\\{reason=\"work\"\\} [1-9].*"), metrics);
    }

    @Test
    void bodiesBeingReceivedAreBoundedBeforeTheyAreRead() throws Exception {
        TestSupport.awaitReady();
        String head = "POST /classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 15000000\r\n\r\n";
        try (java.net.Socket first = new java.net.Socket("localhost", io.restassured.RestAssured.port);
                java.net.Socket second = new java.net.Socket("localhost", io.restassured.RestAssured.port)) {
            first.getOutputStream().write((head + "{\"texts\": [").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            first.getOutputStream().flush();
            Thread.sleep(300);
            second.setSoTimeout(10_000);
            second.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            second.getOutputStream().flush();
            StringBuilder reply = new StringBuilder();
            byte[] buffer = new byte[1024];
            for (int n; !reply.toString().endsWith("}") && (n = second.getInputStream().read(buffer)) > 0;) {
                reply.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            assertTrue(reply.toString().startsWith("HTTP/1.1 503"), reply.toString());
            assertTrue(reply.toString().contains("Retry-After")
                    && reply.toString().contains("triage.admission.max-body-bytes"), reply.toString());
        }
    }
}
