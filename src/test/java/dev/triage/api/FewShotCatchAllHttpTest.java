package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.triage.TestSupport;
import dev.triage.model.Vectors;
import dev.triage.scoring.Background;
import dev.triage.scoring.ScoreMath;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A few-shot label against the catch-all on the default model: its direction and its offset, end to end. */
@QuarkusTest
class FewShotCatchAllHttpTest {

    static final List<String> EXAMPLES = List.of(
            "Took the bike out for a long ride on the coast road, the engine pulled well in every gear.",
            "My motorcycle needs new brake pads and the front fork seals are leaking oil.",
            "Wear a good helmet and leathers; riding a motorbike in the rain takes smooth throttle control.");

    @BeforeEach
    void ready() {
        TestSupport.awaitReady();
    }

    @Test
    void aFewShotLabelStillLosesToTheCatchAllOffTopicAndWinsOnTopic() {
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(CatchAllHttpTest.MOTORCYCLE,
                CatchAllHttpTest.COOKING), "labels", List.of(Map.of("name", "motorcycles", "examples", EXAMPLES),
                CatchAllHttpTest.OTHER)));
        assertEquals("motorcycles", reply.getString("results[0].labels[0]"), reply.prettify());
        assertEquals("other", reply.getString("results[1].labels[0]"), reply.prettify());
    }

    /**
     * The multi-label score of a few-shot label is {@code sigmoid((strength - threshold) / 0.05)} with strength
     * the cosine of the text and {@code normalise(direction(name) + 0.5 direction(mean of examples))}, less 0.04;
     * recomputed here from the model's own vectors (/embed).
     */
    @Test
    void theStrengthIsTheCosineWithTheNameAndExamplesDirectionLessTheOffset() {
        double[] scoreAndExpected = scoreAndRecomputed(List.of());
        assertEquals(scoreAndExpected[1], scoreAndExpected[0], 2e-3);
    }

    static final List<String> NONE_EXAMPLES = List.of(
            "The new sedan gets better mileage, and the dealer threw in winter tires for the car.",
            "Simmer the onions slowly in butter until golden, then add the stock and the rice.",
            "The council voted to raise property taxes to pay for the new school building.");

    /**
     * Examples on the catch-all (texts that are none of the labels) move the centre the few-shot label's examples
     * are measured from: their direction is taken from the catch-all examples' mean, not the topics' centre.
     */
    @Test
    void theCatchAllsExamplesAreTheCentreTheLabelsExamplesAreMeasuredFrom() {
        double[] scoreAndExpected = scoreAndRecomputed(NONE_EXAMPLES);
        assertEquals(scoreAndExpected[1], scoreAndExpected[0], 2e-3);
        assertNotEquals(scoreAndRecomputed(List.of())[0], scoreAndExpected[0], 2e-3,
                "the catch-all's examples must change the strength");
    }

    /** The served multi-label score at threshold 0.2, and the same recomputed from /embed vectors. */
    private static double[] scoreAndRecomputed(List<String> noneExamples) {
        String text = CatchAllHttpTest.MOTORCYCLE;
        double threshold = 0.2;
        Map<String, Object> catchAll = new HashMap<>(Map.of("name", "other", "none", true, "threshold",
                threshold));
        if (!noneExamples.isEmpty()) {
            catchAll.put("examples", noneExamples);
        }
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(text), "multiLabel", true,
                "labels", List.of(Map.of("name", "motorcycles", "examples", EXAMPLES), catchAll)));
        List<String> inputs = new ArrayList<>(List.of(text, "This example is about motorcycles."));
        inputs.addAll(EXAMPLES);
        inputs.addAll(noneExamples);
        Background.TOPICS.forEach(topic -> inputs.add("This example is about " + topic + "."));
        float[][] v = embed(inputs);
        float[] examples = Vectors.weightedMean(new float[][] { v[2], v[3], v[4] }, new double[] { 1, 1, 1 });
        int topics = 5 + noneExamples.size();
        double[] centre = Background.centre(List.of(v).subList(topics, v.length));
        double[] exampleCentre = noneExamples.isEmpty() ? centre : Background.centre(List.of(v).subList(5, topics));
        double strength = Vectors.dot(v[0], Background.direction(v[1], examples, centre, exampleCentre))
                - Background.FEW_SHOT_OFFSET;
        return new double[] { FewShotAndLongTextTest.score(reply, 0, "motorcycles"),
                ScoreMath.sigmoid((strength - threshold) / 0.05) };
    }

    /** Examples on both sides and no threshold: the request fits its own; a given threshold, or no examples, do not. */
    @Test
    void aRequestWithExamplesOnBothSidesCalibratesItselfUnlessItSetsTheThreshold() {
        Map<String, Object> motorcycles = Map.of("name", "motorcycles", "examples", EXAMPLES);
        double fitted = multiLabelScore(motorcycles, Map.of("name", "other", "none", true, "examples", NONE_EXAMPLES));
        double given = multiLabelScore(motorcycles, Map.of("name", "other", "none", true, "threshold", 0.2,
                "examples", NONE_EXAMPLES));
        // compared as thresholds: logit(score) = (strength - threshold) / 0.05
        double shift = 0.05 * (logit(given) - logit(fitted));
        assertTrue(Math.abs(shift) > 1e-4, "the fitted threshold must differ from the default 0.20: " + shift);
        Map<String, Object> zeroShot = Map.of("name", "motorcycles");
        assertEquals(multiLabelScore(zeroShot, Map.of("name", "other", "none", true, "threshold", 0.2,
                "examples", NONE_EXAMPLES)), multiLabelScore(zeroShot, Map.of("name", "other", "none", true,
                        "examples", NONE_EXAMPLES)), 1e-9, "no label examples: nothing to fit, the default holds");
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double multiLabelScore(Map<String, Object> label, Map<String, Object> catchAll) {
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(CatchAllHttpTest.MOTORCYCLE),
                "multiLabel", true, "labels", List.of(label, catchAll)));
        return FewShotAndLongTextTest.score(reply, 0, "motorcycles");
    }

    static float[][] embed(List<String> inputs) {
        List<List<Float>> rows = given().contentType(ContentType.JSON).body(Map.of("inputs", inputs)).post("/embed")
                .then().statusCode(200).extract().jsonPath().getList("$");
        float[][] vectors = new float[rows.size()][];
        for (int r = 0; r < vectors.length; r++) {
            List<? extends Number> row = (List<? extends Number>) (List<?>) rows.get(r);
            vectors[r] = new float[row.size()];
            for (int i = 0; i < vectors[r].length; i++) {
                vectors[r][i] = row.get(i).floatValue();
            }
        }
        return vectors;
    }
}
