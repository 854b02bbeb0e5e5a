package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;

import dev.triage.TestProfiles;
import dev.triage.TestSupport;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The embedding routes with real clients: the official OpenAI Java SDK on /v1/embeddings, TEI's shape on /embed,
 * both against transformers.js' vectors for the fp32 MiniLM (src/test/resources/golden).
 */
@QuarkusTest
@TestProfile(TestProfiles.Fp32OneWorker.class)
class EmbeddingRoutesTest {

    private static final double MIN_COSINE = 0.9999;
    private static final JsonNode GOLDEN = golden();

    @TestHTTPResource("/v1")
    URL openAiBase;

    @BeforeEach
    void ready() {
        TestSupport.awaitReady();
    }

    @Test
    void openAiSdkGetsTheGoldenVectorsAsBase64() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(openAiBase.toString()).apiKey("unused")
                .maxRetries(0).build();
        List<String> texts = goldenTexts();
        CreateEmbeddingResponse reply = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").inputOfArrayOfStrings(texts).build());
        assertEquals("all-minilm-l6-v2", reply.model());
        assertEquals(texts.size(), reply.data().size());
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(i, reply.data().get(i).index());
            List<Float> vector = reply.data().get(i).embedding();
            float[] values = new float[vector.size()];
            for (int d = 0; d < values.length; d++) {
                values[d] = vector.get(d);
            }
            assertCosine(values, goldenVector(i), texts.get(i));
            tokens += GOLDEN.get("sentences").get(i).get("input_ids").size();
        }
        assertEquals(tokens, reply.usage().promptTokens(), "usage counts the ids the model read");
        assertEquals(tokens, reply.usage().totalTokens());
        client.close();
    }

    /** The SDK also accepts floats when it asked for base64, so the raw reply is checked to be base64. */
    @Test
    void base64IsLittleEndianFloat32OfTheFloatReply() {
        String text = goldenTexts().get(0);
        String encoded = given().contentType(ContentType.JSON)
                .body(Map.of("input", text, "model", "m", "encoding_format", "base64"))
                .post("/v1/embeddings").then().statusCode(200)
                .body("object", equalTo("list")).body("data[0].object", equalTo("embedding"))
                .extract().path("data[0].embedding");
        List<Float> floats = given().contentType(ContentType.JSON)
                .body(Map.of("input", text, "model", "m", "encoding_format", "float"))
                .post("/v1/embeddings").then().statusCode(200).extract().path("data[0].embedding");
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
        float[] decoded = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(decoded);
        float[] plain = new float[floats.size()];
        for (int d = 0; d < plain.length; d++) {
            plain[d] = ((Number) floats.get(d)).floatValue();
        }
        assertArrayEquals(plain, decoded, 1e-6f);
        assertCosine(decoded, goldenVector(0), text);
    }

    @Test
    void openAiErrorsComeInOpenAisShape() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(openAiBase.toString()).apiKey("unused")
                .maxRetries(0).build();
        BadRequestException e = assertThrows(BadRequestException.class, () -> client.embeddings().create(
                EmbeddingCreateParams.builder().model("m").input("hello").dimensions(2).build()));
        assertEquals("dimensions", e.param().orElseThrow());
        assertEquals("invalid_request_error", e.type().orElseThrow());
        client.close();
        given().contentType(ContentType.JSON).body("{\"input\": [1, 2, 3], \"model\": \"m\"}")
                .post("/v1/embeddings").then().statusCode(400)
                .body("error.param", equalTo("input[0]")).body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("token-id input is not supported"))
                .body("error.code", nullValue());
        given().contentType(ContentType.JSON).body("{\"input\": \"x\", \"model\": \"m\", \"temperature\": 1}")
                .post("/v1/embeddings").then().statusCode(400)
                .body("error.param", equalTo("temperature")).body("error.message", containsString("unknown field"));
        given().contentType(ContentType.JSON).body("{\"input\": \"x\"}").post("/v1/embeddings").then()
                .statusCode(400).body("error.param", equalTo("model"));
        given().get("/v1/embeddings").then().statusCode(405).header("Allow", "POST")
                .body("error.type", equalTo("invalid_request_error"));
        // an overlong '/' (c0 af), which Jackson alone would decode
        byte[] overlong = "{\"model\": \"m\", \"input\": \"a..b\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        overlong[overlong.length - 4] = (byte) 0xc0;
        overlong[overlong.length - 3] = (byte) 0xaf;
        given().contentType(ContentType.JSON).body(overlong).post("/v1/embeddings").then().statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("not valid UTF-8"));
    }

    @Test
    void teiShapeRoundTrips() {
        List<String> texts = goldenTexts();
        List<List<Number>> vectors = given().contentType(ContentType.JSON)
                .body(Map.of("inputs", texts, "normalize", true, "truncate", true))
                .post("/embed").then().statusCode(200).body("$", hasSize(texts.size())).extract().path("$");
        for (int i = 0; i < texts.size(); i++) {
            assertCosine(floats(vectors.get(i)), goldenVector(i), texts.get(i));
        }
        List<List<Number>> one = given().contentType(ContentType.JSON).body(Map.of("inputs", texts.get(1)))
                .post("/embed").then().statusCode(200).body("$", hasSize(1)).extract().path("$");
        assertCosine(floats(one.get(0)), goldenVector(1), texts.get(1));
    }

    @Test
    void teiErrorsUseTeisStatuses() {
        String longText = goldenTexts().getLast(); // over 256 tokens
        given().contentType(ContentType.JSON).body(Map.of("inputs", longText, "truncate", false))
                .post("/embed").then().statusCode(413).body("error_type", equalTo("validation"))
                .body("error", containsString("must have less than 256 tokens"));
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of()))
                .post("/embed").then().statusCode(400).body("error", containsString("cannot be empty"));
        given().contentType(ContentType.JSON).body(Map.of("inputs", List.of("a", "")))
                .post("/embed").then().statusCode(400).body("error", containsString("inputs[1]"));
        given().contentType(ContentType.JSON).body(Map.of("inputs", "a", "normalize", false))
                .post("/embed").then().statusCode(400).body("error", containsString("normalize"));
        given().contentType(ContentType.TEXT).body("hello").post("/embed").then().statusCode(415);
    }

    @Test
    void infoDescribesTheServedModel() {
        given().get("/info").then().statusCode(200)
                .body("model", equalTo("all-minilm-l6-v2")).body("kind", equalTo("embedding"))
                .body("dimensions", equalTo(384)).body("max_tokens", equalTo(256))
                .body("pooling", equalTo("mean")).body("quantized", equalTo(false))
                .body("limits.max_texts", equalTo(2048)).body("limits.max_batch_size", equalTo(8))
                .body("workers", org.hamcrest.Matchers.greaterThan(0))
                .body("onnxruntime_version", org.hamcrest.Matchers.startsWith("1."));
        given().post("/info").then().statusCode(405).header("Allow", "GET");
    }

    private static float[] floats(List<Number> values) {
        float[] out = new float[values.size()];
        for (int d = 0; d < out.length; d++) {
            out[d] = values.get(d).floatValue();
        }
        return out;
    }

    private static void assertCosine(float[] actual, float[] expected, String text) {
        double dot = 0, a = 0, b = 0;
        for (int d = 0; d < expected.length; d++) {
            dot += actual[d] * expected[d];
            a += actual[d] * actual[d];
            b += expected[d] * expected[d];
        }
        double cosine = dot / Math.sqrt(a * b);
        assertEquals(expected.length, actual.length, "width for " + text);
        assertTrue(cosine >= MIN_COSINE, "cosine " + cosine + " < " + MIN_COSINE + " for " + text);
    }

    private static List<String> goldenTexts() {
        List<String> texts = new ArrayList<>();
        GOLDEN.get("sentences").forEach(s -> texts.add(s.get("text").asText()));
        return texts;
    }

    private static float[] goldenVector(int index) {
        JsonNode values = GOLDEN.get("sentences").get(index).get("embedding");
        float[] vector = new float[values.size()];
        for (int d = 0; d < vector.length; d++) {
            vector[d] = (float) values.get(d).asDouble();
        }
        return vector;
    }

    private static JsonNode golden() {
        try (InputStream in = EmbeddingRoutesTest.class.getResourceAsStream("/golden/embeddings-all-minilm-l6-v2.json")) {
            return TestSupport.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
