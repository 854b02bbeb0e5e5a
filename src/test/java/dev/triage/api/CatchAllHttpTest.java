package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.triage.TestSupport;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The catch-all label over HTTP and CloudEvents on the default model. */
@QuarkusTest
class CatchAllHttpTest {

    static final String MOTORCYCLE = FewShotAndLongTextTest.MOTORCYCLE;
    static final String COOKING = "Whisk the eggs with sugar, fold in the flour and bake the cake for forty minutes.";
    static final Map<String, Object> OTHER = Map.of("name", "other", "none", true);

    @BeforeEach
    void ready() {
        TestSupport.awaitReady();
    }

    static double score(JsonPath reply, int text, String label) {
        return FewShotAndLongTextTest.score(reply, text, label);
    }

    @Test
    void theCatchAllWinsWhenNoLabelMatchesAndLosesWhenOneDoes() {
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(MOTORCYCLE, COOKING, " "),
                "labels", List.of("motorcycles", OTHER)));
        assertEquals("motorcycles", reply.getString("results[0].labels[0]"), reply.prettify());
        assertEquals("other", reply.getString("results[1].labels[0]"), reply.prettify());
        assertEquals("other", reply.getString("results[2].labels[0]"), "a blank text matches nothing");
        assertEquals(1.0, score(reply, 1, "other") + score(reply, 1, "motorcycles"), 1e-9);
        // Never embedded: any name gives the same score
        JsonPath renamed = FewShotAndLongTextTest.classify(Map.of("texts", List.of(COOKING),
                "labels", List.of("motorcycles", Map.of("name", "sports cars and baseball", "none", true))));
        assertEquals(score(reply, 1, "other"), score(renamed, 0, "sports cars and baseball"), 1e-12);
    }

    /**
     * Chat with no topic resembles every templated hypothesis, so its plain cosine with "This example is about
     * guns." (0.257, the first) is above the old absolute threshold (0.19); against the label's direction away from
     * general topics it is near 0. Texts: 20 Newsgroups train posts 20ng/train/alt.atheism/51317 and
     * 20ng/train/rec.autos/101657 (stripped, whitespace collapsed).
     */
    @Test
    void contentFreeChatGoesToTheCatchAllAndOnTopicTextsDoNot() {
        List<String> chat = List.of("Could you explain what any of this pertains to? Is this a position statement on "
                + "something or typing practice? And why are you using my name, do you think this relates to anything "
                + "I've said and if so, what.", "Ok if you are so right, name a few good examples that were brought "
                + "up. john");
        String guns = "The new law bans assault rifles and requires a background check for every handgun sale.";
        for (String label : List.of("guns", "motorcycles")) {
            List<String> texts = new java.util.ArrayList<>(chat);
            texts.add(label.equals("guns") ? guns : MOTORCYCLE);
            JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", texts, "labels", List.of(label, OTHER)));
            assertEquals("other", reply.getString("results[0].labels[0]"), label + ": " + reply.prettify());
            assertEquals("other", reply.getString("results[1].labels[0]"), label + ": " + reply.prettify());
            assertEquals(label, reply.getString("results[2].labels[0]"), label + ": " + reply.prettify());
        }
    }

    @Test
    void singleAndMultiLabelAgreeWithOneLabelAndTheThresholdMovesTheAnswer() {
        List<Object> labels = List.of("motorcycles", OTHER);
        JsonPath single = FewShotAndLongTextTest.classify(Map.of("texts", List.of(MOTORCYCLE, COOKING),
                "labels", labels));
        JsonPath multi = FewShotAndLongTextTest.classify(Map.of("texts", List.of(MOTORCYCLE, COOKING),
                "labels", labels, "multiLabel", true));
        for (int t = 0; t < 2; t++) {
            assertEquals(score(single, t, "other"), score(multi, t, "other"), 1e-9);
            assertEquals(score(single, t, "motorcycles"), score(multi, t, "motorcycles"), 1e-9);
        }
        JsonPath strict = FewShotAndLongTextTest.classify(Map.of("texts", List.of(MOTORCYCLE), "labels",
                List.of("motorcycles", Map.of("name", "other", "none", true, "threshold", 0.99))));
        assertEquals("other", strict.getString("results[0].labels[0]"), strict.prettify());
        JsonPath lenient = FewShotAndLongTextTest.classify(Map.of("texts", List.of(COOKING), "labels",
                List.of("motorcycles", Map.of("name", "other", "none", true, "threshold", -0.99))));
        assertEquals("motorcycles", lenient.getString("results[0].labels[0]"), lenient.prettify());
    }

    @Test
    void multiLabelCatchAllIsAboveHalfOnlyWhenNoLabelIs() {
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(MOTORCYCLE, COOKING),
                "labels", List.of("motorcycles", "baseball", OTHER), "multiLabel", true));
        for (int t = 0; t < 2; t++) {
            boolean anyLabel = score(reply, t, "motorcycles") > 0.5 || score(reply, t, "baseball") > 0.5;
            assertEquals(!anyLabel, score(reply, t, "other") > 0.5, reply.prettify());
        }
        assertTrue(score(reply, 1, "other") > 0.5, reply.prettify());
    }

    @Test
    void aCloudEventAnswersLikeThePlainRequest() {
        Map<String, Object> body = Map.of("texts", List.of(COOKING), "labels", List.of("motorcycles", OTHER));
        String plain = given().contentType(ContentType.JSON).body(body).post("/classify").then().statusCode(200)
                .extract().asString();
        given().contentType(ContentType.JSON).header("ce-id", "7").header("ce-specversion", "1.0")
                .header("ce-source", "/test/catch-all").header("ce-type", "triage.classify").body(body).post("/")
                .then().statusCode(200).header("ce-type", "triage.classified").body(equalTo(plain));
    }

    @Test
    void badCatchAllsAreRefusedNamingTheField() {
        refused(List.of("a", OTHER, Map.of("name", "rest", "none", true)), "labels", "only one label");
        refused(List.of(OTHER), "labels", "at least one other label");
        refused(List.of("a", Map.of("name", "other", "none", true, "description", "x")), "labels[1].description",
                "takes no description");
        refused(List.of("a", Map.of("name", "other", "threshold", 0.3)), "labels[1].none", "only for the catch-all");
        refused(List.of("a", Map.of("name", "other", "none", "yes")), "labels[1].none", "true or false");
        refused(List.of("a", Map.of("name", "other", "none", true, "threshold", "high")), "labels[1].threshold",
                "must be a number");
    }

    static void refused(List<Object> labels, String field, String message) {
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("x"), "labels", labels)).post("/classify")
                .then().statusCode(400).body("field", equalTo(field)).body("error", containsString(message));
    }
}
