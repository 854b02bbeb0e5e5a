package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * Bodies built to explode while parsed, sent to the packaged app with the heap it ships with (deploy/jvm.options:
 * 256 MB, exit on OutOfMemoryError): each is refused or answered, and the process stays up. 16 MiB of
 * one-character strings would be ~4 M objects (hundreds of MB) if it were parsed before the limits were checked.
 */
class ShippedHeapParsingIT {

    private static final int MAX_BODY = 16 << 20;

    @Test
    void explosiveBodiesAreRefusedWhileParsedAndTheProcessStaysUp() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of())) {
            assertTrue(app.command.contains(PackagedApp.SHIPPED_OPTIONS), "not the shipped heap: " + app.command);
            app.awaitReady(Duration.ofSeconds(90));
            for (String item : List.of("\"a\"", "[]")) {
                HttpResponse<String> reply = app.postJson("/classify", repeated("{\"labels\":[\"a\",\"b\"],\"texts\":[",
                        item));
                assertEquals(400, reply.statusCode(), reply.body());
                assertTrue(reply.body().contains("'texts' has more than 2048 items"), reply.body());
            }
            HttpResponse<String> event = app.http.send(HttpRequest.newBuilder(app.uri("/"))
                    .header("Content-Type", "application/cloudevents+json").POST(HttpRequest.BodyPublishers.ofString(
                            repeated("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/t\",\"type\":\"triage.classify\","
                                    + "\"data\":{\"labels\":[\"a\",\"b\"],\"texts\":[", "\"a\"") + "}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, event.statusCode(), event.body());

            // Four bodies of one 15 MB text at once: each is answered, or refused before it is read.
            String longText = "{\"labels\":[\"a\",\"b\"],\"texts\":[\"" + "motorcycle ".repeat(15_000_000 / 11) + "\"]}";
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                replies.add(app.http.sendAsync(HttpRequest.newBuilder(app.uri("/classify"))
                        .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(longText)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int answered = 0;
            for (CompletableFuture<HttpResponse<String>> future : replies) {
                HttpResponse<String> reply = future.get();
                if (reply.statusCode() == 200) {
                    answered++;
                } else {
                    assertEquals(503, reply.statusCode(), reply.body());
                    assertTrue(reply.headers().firstValue("Retry-After").isPresent());
                    assertTrue(reply.body().contains("triage.admission.max-body-bytes"), reply.body());
                }
            }
            assertTrue(answered >= 1, "none of the four was answered");

            HttpResponse<String> after = app.postJson("/classify", "{\"texts\":[\"I rebuilt the carburetor on my "
                    + "motorbike.\"],\"labels\":[\"motorcycles\",\"baseball\"]}");
            assertEquals(200, after.statusCode(), after.body());
            assertTrue(app.process.isAlive(), "the process died:\n" + app.output());
            assertFalse(app.output().contains("OutOfMemoryError"), app.output());
        }
    }

    /** A JSON array of {@code item} repeated until the body is at the 16 MiB limit, closed. */
    private static String repeated(String head, String item) {
        StringBuilder body = new StringBuilder(MAX_BODY).append(head).append(item);
        while (body.length() < MAX_BODY - 64) {
            body.append(',').append(item);
        }
        return body.append("]}").toString();
    }
}
