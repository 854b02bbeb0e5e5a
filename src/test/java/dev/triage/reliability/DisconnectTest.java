package dev.triage.reliability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.triage.TestSupport;
import dev.triage.pool.InferencePool;
import dev.triage.service.Engine;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A client that closes its connection while its big request is queued: the request's remaining micro-batches
 * leave the queue at once instead of running for nobody, so a later small request finds the queue empty. Asserted
 * by the pool's state and run count, not by timing.
 */
@QuarkusTest
class DisconnectTest {

    static final List<String> LABELS = List.of("motorcycles", "baseball");

    @Inject
    Engine engine;

    @TestHTTPResource("/classify")
    URI classify;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anAbandonedBigRequestLeavesTheQueueAndALaterSmallOneFindsItEmpty() throws Exception {
        TestSupport.awaitReady();
        InferencePool pool = engine.loaded().orElseThrow().pool();
        List<String> texts = TestSupport.tutorialDocuments().stream().map(d -> d.get("text").asText()).toList();
        byte[] body = TestSupport.JSON.writeValueAsBytes(Map.of("texts", texts, "labels", LABELS));
        long ranBefore = pool.ran();
        try (Socket socket = new Socket(classify.getHost(), classify.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /classify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            awaitUntil(() -> pool.queued() >= 300, "the big request never had 300 micro-batches queued");
        } // closed: the client is gone
        awaitUntil(() -> pool.queued() == 0 && pool.busy() == 0, "the abandoned work is still queued or running");
        long ran = pool.ran() - ranBefore;
        assertTrue(ran < texts.size() - 200, ran + " of " + texts.size() + " micro-batches ran for a client that "
                + "had left with 300 or more of them queued");

        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("He hit a home run in the ninth."),
                "labels", LABELS)).post("/classify").then().statusCode(200)
                .body("results[0].labels[0]", equalTo("baseball"));
        assertEquals(0, pool.queued());
    }

    static void awaitUntil(java.util.function.BooleanSupplier condition, String otherwise) throws InterruptedException {
        long until = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < until, otherwise);
            Thread.sleep(2);
        }
    }
}
