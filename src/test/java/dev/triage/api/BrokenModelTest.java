package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * A corrupt model.onnx, with the process told to stay up: it is never ready, readiness and classify name the
 * file and the problem, and liveness stays UP (restarting would not fix a bad file).
 */
@QuarkusTest
@TestProfile(BrokenModelTest.CorruptModel.class)
class BrokenModelTest {

    public static class CorruptModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path dir = corruptModelDirectory();
            return Map.of("triage.model.dir", dir.toString(), "triage.model.exit-on-failure", "false");
        }
    }

    /** model.onnx that is not ONNX, beside the real tokenizer of the embedded model. */
    static Path corruptModelDirectory() {
        try {
            Path dir = Files.createTempDirectory("triage-corrupt-model");
            Files.write(dir.resolve("model.onnx"), "this is not a protobuf".repeat(100).getBytes());
            Files.copy(Path.of("target/classes/models/all-minilm-l6-v2-q/all-minilm-l6-v2-q-tokenizer.json"),
                    dir.resolve("tokenizer.json"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void neverReadyAndSaysWhy() throws InterruptedException {
        // Loading fails within a second or so; until then the state is "loading". Either way: not ready.
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until
                && !given().get("/q/health/ready").asString().contains("failed")) {
            Thread.sleep(50);
        }
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'model' }.data.state", containsString("model.onnx"))
                .body("checks.find { it.name == 'model' }.data.state", containsString("not a loadable ONNX model"));
        given().get("/q/health/live").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("a text"), "labels", List.of("a", "b")))
                .post("/classify")
                .then().statusCode(503)
                .header("Retry-After", notNullValue())
                .body("error", containsString("model failed to load"))
                .body("error", containsString("model.onnx"));
    }
}
