package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.NliFixture;
import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The function serving a user's NLI model directory: HF pipeline output over HTTP. */
@QuarkusTest
@TestProfile(NliHttpTest.NliModel.class)
class NliHttpTest {

    public static class NliModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("triage.model.dir", NliFixture.DIR.toAbsolutePath().toString());
        }
    }

    @Test
    void classifiesWithThePipelinesSemanticsAndShape() {
        TestSupport.awaitReady();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.kind", equalTo("nli"));
        JsonNode expected = NliFixture.golden().get("zero_shot").get(0);
        List<String> labels = new ArrayList<>();
        expected.get("candidate_labels").forEach(l -> labels.add(l.asText()));
        // No template: NLI models default to HF's "This example is {}.", which the golden values used.
        JsonPath reply = given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of(expected.get("sequence").asText(), "  "), "labels", labels))
                .post("/classify").then().statusCode(200)
                .body("model", equalTo("nli-tiny"))
                .body("results", hasSize(2))
                .body("results[0].labels", hasSize(3))
                .body("results[0].scores", hasSize(3))
                .extract().jsonPath();
        List<String> ranked = reply.getList("results[0].labels", String.class);
        List<Double> scores = reply.getList("results[0].scores", Double.class);
        for (int i = 0; i < labels.size(); i++) {
            assertEquals(expected.get("scores_single_label").get(i).asDouble(),
                    scores.get(ranked.indexOf(labels.get(i))), 1e-4, labels.get(i));
        }
        for (int i = 1; i < scores.size(); i++) {
            org.junit.jupiter.api.Assertions.assertTrue(scores.get(i - 1) >= scores.get(i));
        }
    }
}
