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

/** {@code hypothesisTemplates}: each label's hypotheses averaged in vector space, on the default model. */
@QuarkusTest
class TemplateEnsembleHttpTest {

    static final List<String> TEMPLATES = List.of("A post about {}.", "This is a discussion of {}.");

    @BeforeEach
    void ready() {
        TestSupport.awaitReady();
    }

    /**
     * Multi-label maps a cosine c to sigmoid((c - 0.15) / 0.05), so the cosine can be read back from the score and
     * compared with the text's cosine to the normalised mean of the two hypothesis vectors from /embed.
     */
    @Test
    void theLabelVectorIsTheNormalisedMeanOfItsHypotheses() {
        String text = FewShotAndLongTextTest.MOTORCYCLE;
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(text), "labels",
                List.of("motorcycles", "baseball"), "hypothesisTemplates", TEMPLATES, "multiLabel", true));
        List<List<Float>> vectors = given().contentType(ContentType.JSON).body(Map.of("inputs", List.of(text,
                "A post about motorcycles.", "This is a discussion of motorcycles."))).post("/embed").then()
                .statusCode(200).extract().jsonPath().getList("$");
        double[] mean = new double[vectors.get(0).size()];
        double norm = 0;
        for (int i = 0; i < mean.length; i++) {
            mean[i] = vectors.get(1).get(i) + vectors.get(2).get(i);
            norm += mean[i] * mean[i];
        }
        double cosine = 0;
        for (int i = 0; i < mean.length; i++) {
            cosine += vectors.get(0).get(i) * mean[i] / Math.sqrt(norm);
        }
        double score = FewShotAndLongTextTest.score(reply, 0, "motorcycles");
        double readBack = 0.15 + 0.05 * Math.log(score / (1 - score));
        assertEquals(cosine, readBack, 1e-4, reply.prettify());
        JsonPath first = FewShotAndLongTextTest.classify(Map.of("texts", List.of(text), "labels",
                List.of("motorcycles", "baseball"), "hypothesisTemplate", TEMPLATES.get(0), "multiLabel", true));
        assertTrue(Math.abs(score - FewShotAndLongTextTest.score(first, 0, "motorcycles")) > 1e-6,
                "the second template changes the answer");
    }

    @Test
    void anEnsembleClassifiesAndServesTheCatchAll() {
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(FewShotAndLongTextTest.MOTORCYCLE,
                FewShotAndLongTextTest.BASEBALL, CatchAllHttpTest.COOKING), "labels",
                List.of("motorcycles", "baseball", CatchAllHttpTest.OTHER), "hypothesisTemplates", TEMPLATES));
        assertEquals("motorcycles", reply.getString("results[0].labels[0]"), reply.prettify());
        assertEquals("baseball", reply.getString("results[1].labels[0]"), reply.prettify());
        assertEquals("other", reply.getString("results[2].labels[0]"), reply.prettify());
    }

    @Test
    void aTemplateAndAnEnsembleTogetherAreRefused() {
        given().contentType(ContentType.JSON).body(Map.of("texts", List.of("x"), "labels", List.of("a"),
                "hypothesisTemplate", "{}", "hypothesisTemplates", TEMPLATES)).post("/classify").then().statusCode(400)
                .body("field", equalTo("hypothesisTemplates")).body("error", containsString("not both"));
    }
}
