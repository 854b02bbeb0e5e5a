package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.embeddings.EmbeddingCreateParams;

/**
 * With TRIAGE_API_KEY set, every route but health, metrics and the OpenAPI document wants the bearer token; the
 * OpenAI SDK sees the error it knows. One packaged server, started with the key, answers both tests.
 */
class ApiKeyIT {

    static final String KEY = "s3cret-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLASSIFY = "{\"texts\":[\"a bike\"],\"labels\":[\"motorcycles\",\"baseball\"]}";

    /** Every route the app serves (and one it does not): method, path, a valid body. */
    private static final List<String[]> GUARDED = List.of(
            new String[] { "POST", "/classify", CLASSIFY },
            new String[] { "POST", "/embed", "{\"inputs\":\"a bike\"}" },
            new String[] { "POST", "/v1/embeddings", "{\"input\":\"a bike\",\"model\":\"m\"}" },
            new String[] { "POST", "/zero-shot", "{\"inputs\":\"a bike\",\"parameters\":{\"candidate_labels\":[\"x\"]}}" },
            new String[] { "GET", "/info", null },
            new String[] { "GET", "/no-such-route", null });

    static PackagedApp app;

    @BeforeAll
    static void start() throws Exception {
        app = PackagedApp.start(Map.of("TRIAGE_API_KEY", KEY));
        app.awaitReady(Duration.ofSeconds(60)); // health stays open: this polls without a key
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @Test
    void everyRouteButHealthAndMetricsNeedsTheKey() throws Exception {
        for (String[] route : GUARDED) {
            for (String header : new String[] { null, "Bearer wrong", "Bearer " + KEY.substring(1), "Basic " + KEY }) {
                HttpResponse<String> refused = send(route[0], route[1], route[2], header, Map.of());
                assertEquals(401, refused.statusCode(), route[1] + " with " + header);
                assertEquals("Bearer realm=\"triage\"", refused.headers().firstValue("WWW-Authenticate").orElse(null),
                        route[1]);
            }
            assertNotEquals(401, send(route[0], route[1], route[2], "Bearer " + KEY, Map.of()).statusCode(),
                    route[1] + " with the key");
        }
        HttpResponse<String> event = send("POST", "/", CLASSIFY, null, Map.of("ce-id", "1", "ce-source", "t",
                "ce-specversion", "1.0", "ce-type", "triage.classify"));
        assertEquals(401, event.statusCode(), "CloudEvent without the key");
        for (String open : new String[] { "/q/health", "/q/health/ready", "/q/health/live", "/q/metrics",
                "/q/openapi" }) {
            assertEquals(200, app.get(open).statusCode(), open);
        }
        // the document, not a 200 from somewhere else
        HttpResponse<String> document = app.get("/q/openapi?format=json");
        assertEquals(200, document.statusCode());
        assertTrue(JSON.readTree(document.body()).path("paths").has("/classify"), document.body());
        HttpResponse<String> classified = send("POST", "/classify", CLASSIFY, "Bearer " + KEY, Map.of());
        assertEquals(200, classified.statusCode(), classified.body());
        assertEquals("motorcycles", JSON.readTree(classified.body()).at("/results/0/labels/0").asText(),
                classified.body());
    }

    @Test
    void openAiSdkSeesAnInvalidApiKeyError() {
        String base = app.uri("/v1").toString();
        OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(base).apiKey("wrong").maxRetries(0).build();
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> wrong.embeddings().create(
                EmbeddingCreateParams.builder().model("m").input("hello").build()));
        assertEquals("invalid_api_key", e.code().orElseThrow());
        wrong.close();
        OpenAIClient right = OpenAIOkHttpClient.builder().baseUrl(base).apiKey(KEY).maxRetries(0).build();
        assertEquals(1, right.embeddings().create(EmbeddingCreateParams.builder().model("m").input("hello")
                .build()).data().size());
        right.close();
    }

    private static HttpResponse<String> send(String method, String path, String body, String authorization,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        return app.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
