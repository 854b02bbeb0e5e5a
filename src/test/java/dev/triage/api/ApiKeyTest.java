package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.embeddings.EmbeddingCreateParams;

import dev.triage.TestSupport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** With triage.api-key set, every route but health, metrics and the OpenAPI document wants the bearer token. */
@QuarkusTest
@TestProfile(ApiKeyTest.WithKey.class)
class ApiKeyTest {

    static final String KEY = "s3cret-key";

    public static class WithKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("triage.api-key", KEY);
        }
    }

    /** Every route the app serves (and one it does not): method, path, a valid body. */
    private static final List<String[]> GUARDED = List.of(
            new String[] { "POST", "/classify", "{\"texts\":[\"a bike\"],\"labels\":[\"motorcycles\",\"baseball\"]}" },
            new String[] { "POST", "/embed", "{\"inputs\":\"a bike\"}" },
            new String[] { "POST", "/v1/embeddings", "{\"input\":\"a bike\",\"model\":\"m\"}" },
            new String[] { "POST", "/zero-shot", "{\"inputs\":\"a bike\",\"parameters\":{\"candidate_labels\":[\"x\"]}}" },
            new String[] { "GET", "/info", null },
            new String[] { "GET", "/no-such-route", null });

    @TestHTTPResource("/v1")
    URL openAiBase;

    @Test
    void everyRouteButHealthAndMetricsNeedsTheKey() {
        TestSupport.awaitReady(); // health stays open: this polls without a key
        for (String[] route : GUARDED) {
            for (String header : new String[] { null, "Bearer wrong", "Bearer " + KEY.substring(1), "Basic " + KEY }) {
                Response refused = send(route, header);
                assertEquals(401, refused.statusCode(), route[1] + " with " + header);
                assertEquals("Bearer realm=\"triage\"", refused.header("WWW-Authenticate"), route[1]);
            }
            assertNotEquals(401, send(route, "Bearer " + KEY).statusCode(), route[1] + " with the key");
        }
        Response event = given().contentType(ContentType.JSON).header("ce-id", "1").header("ce-source", "t")
                .header("ce-specversion", "1.0").header("ce-type", "triage.classify")
                .body(GUARDED.get(0)[2]).post("/");
        assertEquals(401, event.statusCode(), "CloudEvent without the key");
        for (String open : new String[] { "/q/health", "/q/health/ready", "/q/health/live", "/q/metrics",
                "/q/openapi" }) {
            given().get(open).then().statusCode(200);
        }
        // the document, not a 200 from somewhere else
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", hasKey("/classify"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + KEY).body(GUARDED.get(0)[2])
                .post("/classify").then().statusCode(200).body("results[0].labels[0]", equalTo("motorcycles"));
    }

    @Test
    void openAiSdkSeesAnInvalidApiKeyError() {
        TestSupport.awaitReady();
        OpenAIClient wrong = OpenAIOkHttpClient.builder().baseUrl(openAiBase.toString()).apiKey("wrong")
                .maxRetries(0).build();
        UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> wrong.embeddings().create(
                EmbeddingCreateParams.builder().model("m").input("hello").build()));
        assertEquals("invalid_api_key", e.code().orElseThrow());
        wrong.close();
        OpenAIClient right = OpenAIOkHttpClient.builder().baseUrl(openAiBase.toString()).apiKey(KEY)
                .maxRetries(0).build();
        assertEquals(1, right.embeddings().create(EmbeddingCreateParams.builder().model("m").input("hello")
                .build()).data().size());
        right.close();
    }

    private static Response send(String[] route, String authorization) {
        RequestSpecification request = given();
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        if (route[2] != null) {
            request = request.contentType(ContentType.JSON).body(route[2]);
        }
        return request.request(route[0], route[1]);
    }
}
