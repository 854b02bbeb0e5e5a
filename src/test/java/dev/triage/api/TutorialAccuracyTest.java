package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The tutorial's job over HTTP: the 777 posts, motorcycles vs baseball, in requests of 64. */
@QuarkusTest
class TutorialAccuracyTest {

    @Test
    void defaultModelReachesTheTutorialsAccuracy() {
        TestSupport.awaitReady();
        List<JsonNode> docs = TestSupport.tutorialDocuments();
        assertEquals(777, docs.size());
        int correct = 0;
        for (int start = 0; start < docs.size(); start += 64) {
            List<JsonNode> chunk = docs.subList(start, Math.min(docs.size(), start + 64));
            JsonPath reply = given().contentType(ContentType.JSON)
                    .body(Map.of("texts", chunk.stream().map(d -> d.get("text").asText()).toList(),
                            "labels", List.of("motorcycles", "baseball")))
                    .post("/classify").then().statusCode(200).extract().jsonPath();
            for (int i = 0; i < chunk.size(); i++) {
                String gold = TestSupport.TUTORIAL_LABELS.get(chunk.get(i).get("label").asText());
                if (gold.equals(reply.getString("results[" + i + "].labels[0]"))) {
                    correct++;
                }
            }
        }
        double accuracy = correct / 777.0;
        assertTrue(accuracy >= 0.92, "accuracy " + accuracy + " (" + correct + "/777)");
    }
}
