package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/** Few-shot labels and "longText": "chunk" over HTTP on the default model. */
@QuarkusTest
class FewShotAndLongTextTest {

    static final String BASEBALL = "The pitcher threw a fastball, the batter swung and hit a home run over the left "
            + "field wall, and the shortstop caught a line drive to end the inning. ";
    static final String MOTORCYCLE = "I rode my motorcycle up the mountain pass, leaned into every corner, then "
            + "changed the chain, adjusted the clutch cable and checked the tyre pressure of the bike. ";

    @BeforeEach
    void ready() {
        TestSupport.awaitReady();
    }

    static JsonPath classify(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/classify").then().statusCode(200).extract()
                .jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    static double score(JsonPath reply, int text, String label) {
        List<String> labels = reply.getList("results[" + text + "].labels", String.class);
        return reply.getList("results[" + text + "].scores", Double.class).get(labels.indexOf(label));
    }

    @Test
    void examplesPullALabelTowardsThem() {
        // An ambiguous label name; the examples say what it means.
        String text = "The closer struck out three batters in the ninth to save the game.";
        JsonPath plain = classify(Map.of("texts", List.of(text), "labels", List.of("rides", "saves")));
        JsonPath fewShot = classify(Map.of("texts", List.of(text), "labels", List.of(
                Map.of("name", "rides", "examples", List.of(MOTORCYCLE, "My bike needs new brake pads.")),
                Map.of("name", "saves", "description", "baseball pitching and games",
                        "examples", List.of(BASEBALL, "The reliever earned his 30th save of the season.")))));
        assertTrue(score(fewShot, 0, "saves") > score(plain, 0, "saves"),
                "few-shot " + score(fewShot, 0, "saves") + " vs plain " + score(plain, 0, "saves"));
        assertEquals("saves", fewShot.getString("results[0].labels[0]"));
        assertEquals(1.0, score(fewShot, 0, "saves") + score(fewShot, 0, "rides"), 1e-9);
    }

    @Test
    void plainNamesAndLabelObjectsWithoutExtrasAgree() {
        String text = "He hit a double in the fourth inning.";
        JsonPath names = classify(Map.of("texts", List.of(text), "labels", List.of("motorcycles", "baseball")));
        JsonPath objects = classify(Map.of("texts", List.of(text), "labels",
                List.of(Map.of("name", "motorcycles"), Map.of("name", "baseball"))));
        assertEquals(names.getList("results"), objects.getList("results"));
    }

    @Test
    void labelObjectsAreValidated() {
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("x"), "labels", List.of(Map.of("examples", List.of("a")))))
                .post("/classify").then().statusCode(400).body("field", equalTo("labels[0].name"));
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("x"), "labels", List.of(Map.of("name", "a", "colour", "red"), "b")))
                .post("/classify").then().statusCode(400).body("field", equalTo("labels[0].colour"));
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("x"), "labels", List.of(Map.of("name", "a", "examples", "not a list"))))
                .post("/classify").then().statusCode(400).body("field", equalTo("labels[0].examples"));
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("x"), "labels", List.of(Map.of("name", "a"), "a")))
                .post("/classify").then().statusCode(400).body("error", containsString("appears twice"));
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("x"), "labels", List.of("a", "b"), "longText", "summarise"))
                .post("/classify").then().statusCode(400).body("field", equalTo("longText"));
    }

    @Test
    void chunkingReadsTheWholeTextWhereTruncationStopsEarly() {
        // ~300 tokens of baseball first, then ~1,500 tokens of motorcycles: past the 256-token limit.
        String text = BASEBALL.repeat(9) + MOTORCYCLE.repeat(30);
        List<String> labels = List.of("motorcycles", "baseball");
        JsonPath truncated = classify(Map.of("texts", List.of(text), "labels", labels));
        JsonPath chunked = classify(Map.of("texts", List.of(text), "labels", labels, "longText", "chunk"));
        assertEquals("baseball", truncated.getString("results[0].labels[0]"));
        assertEquals("motorcycles", chunked.getString("results[0].labels[0]"));
        assertEquals(1.0, score(chunked, 0, "motorcycles") + score(chunked, 0, "baseball"), 1e-9);
        // Multi-label takes the max over windows: both topics are clearly present somewhere.
        JsonPath multi = classify(Map.of("texts", List.of(text), "labels", labels, "longText", "chunk",
                "multiLabel", true));
        assertTrue(score(multi, 0, "motorcycles") > 0.5 && score(multi, 0, "baseball") > 0.5, multi.prettify());
    }

    @Test
    void chunkingAShortTextChangesNothing() {
        String text = "The umpire called the third strike.";
        JsonPath truncated = classify(Map.of("texts", List.of(text, ""), "labels", List.of("motorcycles", "baseball")));
        JsonPath chunked = classify(Map.of("texts", List.of(text, ""), "labels", List.of("motorcycles", "baseball"),
                "longText", "chunk"));
        assertEquals(truncated.getList("results"), chunked.getList("results"));
        assertNotEquals(null, chunked.getList("results[1].scores"));
    }
}
