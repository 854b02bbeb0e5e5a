package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The function over real HTTP, on the embedded default model. */
@QuarkusTest
class ClassifyFunctionTest {

    static final List<String> LABELS = List.of("motorcycles", "baseball");
    static final String MOTORBIKE = "I rebuilt the carburetor on my motorbike and now the engine idles smoothly.";
    static final String HOME_RUN = "He hit a home run in the bottom of the ninth and the crowd went wild.";

    @BeforeEach
    void ready() {
        TestSupport.awaitReady();
    }

    @Test
    void plainHttpRanksTheRightLabelFirst() {
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of(MOTORBIKE, HOME_RUN), "labels", LABELS))
                .post("/classify")
                .then().statusCode(200)
                .body("model", equalTo("all-minilm-l6-v2-q"))
                .body("results", hasSize(2))
                .body("results[0].labels", contains("motorcycles", "baseball"))
                .body("results[1].labels", contains("baseball", "motorcycles"))
                .body("results[0].scores[0]", greaterThan(0.5f));
    }

    @Test
    void singleLabelScoresSumToOneAndAreSortedDescending() {
        JsonPath reply = given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of(MOTORBIKE), "labels", List.of("cooking", "baseball", "motorcycles")))
                .post("/classify").then().statusCode(200).extract().jsonPath();
        List<Float> scores = reply.getList("results[0].scores", Float.class);
        assertEquals(1.0, scores.stream().mapToDouble(Float::doubleValue).sum(), 1e-5);
        for (int i = 1; i < scores.size(); i++) {
            org.junit.jupiter.api.Assertions.assertTrue(scores.get(i - 1) >= scores.get(i), "sorted: " + scores);
        }
        assertEquals("motorcycles", reply.getString("results[0].labels[0]"));
    }

    @Test
    void multiLabelScoresAreIndependentPerLabel() {
        List<Float> two = given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of(MOTORBIKE), "labels", List.of("motorcycles", "baseball"),
                        "multiLabel", true))
                .post("/classify").then().statusCode(200).extract().jsonPath()
                .getList("results[0].scores", Float.class);
        List<Float> three = given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of(MOTORBIKE), "labels", List.of("motorcycles", "baseball", "cooking"),
                        "multiLabel", true))
                .post("/classify").then().statusCode(200).extract().jsonPath()
                .getList("results[0].scores", Float.class);
        // Adding a label changes no other label's score: they are not normalised together.
        assertEquals(two.get(0), three.get(0), 1e-6);
        org.junit.jupiter.api.Assertions.assertTrue(two.get(0) > 0.5 && two.get(1) < 0.5, two.toString());
    }

    /** 100 distinct texts; the reply must line up with the request, checked against the reversed request. */
    @Test
    void hundredTextBatchKeepsInputOrder() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            texts.add(i % 2 == 0
                    ? "Ride report " + i + ": my motorcycle's rear tyre wore out after " + (1000 + i * 37) + " miles."
                    : "Box score " + i + ": the shortstop batted " + (200 + i) + " with " + i + " stolen bases this season.");
        }
        List<String> reversed = new ArrayList<>(texts);
        java.util.Collections.reverse(reversed);
        JsonPath forward = classify(texts);
        JsonPath backward = classify(reversed);
        for (int i = 0; i < 100; i++) {
            String expected = i % 2 == 0 ? "motorcycles" : "baseball";
            assertEquals(expected, forward.getString("results[" + i + "].labels[0]"), "text " + i);
            assertEquals(forward.getList("results[" + i + "].scores", Float.class),
                    backward.getList("results[" + (99 - i) + "].scores", Float.class), "text " + i);
        }
    }

    @Test
    void blankTextsAreAnsweredWithUniformScores() {
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("", "   \n\t", HOME_RUN), "labels", LABELS))
                .post("/classify")
                .then().statusCode(200)
                .body("results", hasSize(3))
                .body("results[0].scores", contains(0.5f, 0.5f))
                .body("results[1].scores", contains(0.5f, 0.5f))
                .body("results[2].labels[0]", equalTo("baseball"));
    }

    @Test
    void binaryCloudEventGetsClassifiedEvent() {
        String plain = classifyBody(List.of(MOTORBIKE, HOME_RUN));
        given().contentType(ContentType.JSON)
                .header("ce-id", "42").header("ce-specversion", "1.0").header("ce-source", "/test/binary")
                .header("ce-type", "triage.classify")
                .body(Map.of("texts", List.of(MOTORBIKE, HOME_RUN), "labels", LABELS))
                .post("/")
                .then().statusCode(200)
                .header("ce-type", "triage.classified")
                .header("ce-source", "triage")
                .header("ce-specversion", "1.0")
                .header("ce-id", notNullValue())
                .body(equalTo(plain));
    }

    @Test
    void structuredCloudEventGetsClassifiedEvent() {
        JsonPath plain = classify(List.of(MOTORBIKE, HOME_RUN));
        Map<String, Object> event = Map.of("specversion", "1.0", "id", "7", "source", "/test/structured",
                "type", "triage.classify", "datacontenttype", "application/json",
                "data", Map.of("texts", List.of(MOTORBIKE, HOME_RUN), "labels", LABELS));
        JsonPath reply = given().contentType("application/cloudevents+json").body(event)
                .post("/")
                .then().statusCode(200)
                .body("type", equalTo("triage.classified"))
                .body("source", equalTo("triage"))
                .body("specversion", equalTo("1.0"))
                .body("id", notNullValue())
                .body("datacontenttype", equalTo("application/json"))
                .extract().jsonPath();
        assertEquals(plain.getList("results"), reply.getList("data.results"));
        assertEquals("all-minilm-l6-v2-q", reply.getString("data.model"));
    }

    @Test
    void badRequestsGetJsonErrorsNamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("x")))
                .post("/classify").then().statusCode(400)
                .body("field", equalTo("labels")).body("error", containsString("required"));
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("x"), "labels", List.of("a", "a")))
                .post("/classify").then().statusCode(400)
                .body("field", equalTo("labels")).body("error", containsString("twice"));
        given().contentType(ContentType.JSON)
                .body(Map.of("texts", List.of("x"), "labels", LABELS, "hypothesisTemplate", "no placeholder"))
                .post("/classify").then().statusCode(400).body("field", equalTo("hypothesisTemplate"));
        given().contentType(ContentType.JSON).body("{\"texts\": [\"x\"], \"labels\": [")
                .post("/classify").then().statusCode(400).body("error", containsString("not valid JSON"));
    }

    @Test
    void healthEndpointsReportTheLoadedModel() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.model", equalTo("all-minilm-l6-v2-q"))
                .body("checks.find { it.name == 'model' }.data.workers", greaterThan(0));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
    }

    static JsonPath classify(List<String> texts) {
        return given().contentType(ContentType.JSON).body(Map.of("texts", texts, "labels", LABELS))
                .post("/classify").then().statusCode(200).extract().jsonPath();
    }

    static String classifyBody(List<String> texts) {
        return given().contentType(ContentType.JSON).body(Map.of("texts", texts, "labels", LABELS))
                .post("/classify").then().statusCode(200).extract().asString();
    }
}
