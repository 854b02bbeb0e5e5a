package dev.triage.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
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
        String text = CatchAllHttpTest.MOTORCYCLE;
        double threshold = 0.2;
        JsonPath reply = FewShotAndLongTextTest.classify(Map.of("texts", List.of(text), "multiLabel", true,
                "labels", List.of(Map.of("name", "motorcycles", "examples", EXAMPLES),
                        Map.of("name", "other", "none", true, "threshold", threshold))));
        List<String> inputs = new ArrayList<>(List.of(text, "This example is about motorcycles."));
        inputs.addAll(EXAMPLES);
        Background.TOPICS.forEach(topic -> inputs.add("This example is about " + topic + "."));
        float[][] v = embed(inputs);
        float[] examples = Vectors.weightedMean(new float[][] { v[2], v[3], v[4] }, new double[] { 1, 1, 1 });
        double[] centre = Background.centre(List.of(v).subList(5, v.length));
        double strength = Vectors.dot(v[0], Background.direction(v[1], examples, centre)) - Background.FEW_SHOT_OFFSET;
        assertEquals(ScoreMath.sigmoid((strength - threshold) / 0.05),
                FewShotAndLongTextTest.score(reply, 0, "motorcycles"), 2e-3, reply.prettify());
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
