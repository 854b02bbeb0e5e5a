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
import dev.triage.TestProfiles;
import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The function serving a user's NLI model directory: HF pipeline output over HTTP. */
@QuarkusTest
@TestProfile(TestProfiles.NliTiny.class)
class NliHttpTest {

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

    /** HF's own request and reply shape on /zero-shot, scored as HF's pipeline scored the same model. */
    @Test
    void hfInferenceApiShapeRoundTripsWithThePipelinesScores() {
        TestSupport.awaitReady();
        JsonNode expected = NliFixture.golden().get("zero_shot").get(0);
        List<String> labels = new ArrayList<>();
        expected.get("candidate_labels").forEach(l -> labels.add(l.asText()));
        String sequence = expected.get("sequence").asText();
        for (boolean multi : new boolean[] { false, true }) {
            JsonPath reply = given().contentType(ContentType.JSON)
                    .body(Map.of("inputs", sequence, "parameters", Map.of("candidate_labels", labels,
                            "multi_label", multi, "hypothesis_template", "This example is {}.")))
                    .post("/zero-shot").then().statusCode(200)
                    .body("sequence", equalTo(sequence)).body("labels", hasSize(3)).extract().jsonPath();
            List<String> ranked = reply.getList("labels", String.class);
            List<Double> scores = reply.getList("scores", Double.class);
            JsonNode want = expected.get(multi ? "scores_multi_label" : "scores_single_label");
            for (int i = 0; i < labels.size(); i++) {
                assertEquals(want.get(i).asDouble(), scores.get(ranked.indexOf(labels.get(i))), 1e-4, labels.get(i));
            }
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("inputs", List.of(sequence, "Pitchers and catchers report."),
                        "parameters", Map.of("candidate_labels", labels)))
                .post("/zero-shot").then().statusCode(200)
                .body("$", hasSize(2)).body("[1].sequence", equalTo("Pitchers and catchers report."))
                .body("[0].labels", hasSize(3));
        given().contentType(ContentType.JSON).body(Map.of("inputs", sequence, "parameters", Map.of()))
                .post("/zero-shot").then().statusCode(400)
                .body("field", equalTo("parameters.candidate_labels"));
    }

    /** An NLI model has no sentence vectors: both embedding routes say so in their client's shape. */
    @Test
    void aTemplateEnsembleIsRefusedNamingWhy() {
        TestSupport.awaitReady();
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("x"), "labels", List.of("a", "b"),
                "hypothesisTemplates", List.of("About {}.", "A post about {}."))).post("/classify").then()
                .statusCode(400).body("field", equalTo("hypothesisTemplates"))
                .body("error", org.hamcrest.Matchers.containsString("embedding model"));
    }

    @Test
    void embeddingRoutesNameTheReasonAnNliModelCannotAnswer() {
        TestSupport.awaitReady();
        given().contentType(ContentType.JSON).body(Map.of("inputs", "hello")).post("/embed").then()
                .statusCode(424).body("error_type", equalTo("backend"))
                .body("error", org.hamcrest.Matchers.containsString("NLI"));
        given().contentType(ContentType.JSON).body(Map.of("input", "hello", "model", "m")).post("/v1/embeddings")
                .then().statusCode(400).body("error.code", equalTo("model_not_supported"))
                .body("error.param", equalTo("model"))
                .body("error.message", org.hamcrest.Matchers.containsString("no sentence vectors"));
        given().get("/info").then().statusCode(200).body("kind", equalTo("nli")).body("model", equalTo("nli-tiny"));
    }
}
