package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.NliFixture;

/**
 * The catch-all on an NLI model (the tiny fixture): its score follows from the entailment and contradiction
 * logits, checked by hand against the golden logits generate.py computed with torch.
 */
class NliCatchAllTest {

    static NliSemanticsTest.Opened nli;

    @BeforeAll
    static void open() {
        nli = NliSemanticsTest.Opened.of(NliFixture.withConfig("config.json"));
    }

    @AfterAll
    static void close() {
        nli.close();
    }

    /** The golden pairs of premise "moto": hypotheses for motorcycles, baseball, space; logits [e, n, c]. */
    static double[][] motoLogits() {
        JsonNode pairs = NliSemanticsTest.GOLDEN.get("pairs");
        double[][] logits = new double[3][];
        for (int p = 0; p < 3; p++) {
            logits[p] = new double[] { pairs.get(p).get("logits").get(0).asDouble(),
                    pairs.get(p).get("logits").get(2).asDouble() };
        }
        return logits;
    }

    static ClassifyCommand command(LabelSpec catchAll, boolean multiLabel) {
        String premise = NliSemanticsTest.GOLDEN.get("pairs").get(0).get("premise").asText();
        return new ClassifyCommand(List.of(premise, "  "), List.of(LabelSpec.plain("motorcycles"), catchAll,
                LabelSpec.plain("baseball"), LabelSpec.plain("space")), List.of("This example is {}."), multiLabel,
                LongText.TRUNCATE);
    }

    @Test
    void catchAllIsOneMinusTheMostLikelyEntailmentAndTheRestKeepsTheirProportions() {
        double[][] logits = motoLogits();
        double bestEntailment = 0;
        double[] entail = new double[3];
        for (int l = 0; l < 3; l++) {
            bestEntailment = Math.max(bestEntailment, ScoreMath.sigmoid(logits[l][0] - logits[l][1]));
            entail[l] = logits[l][0];
        }
        double[] hf = ScoreMath.softmax(entail, 1.0);
        LabelSpec other = LabelSpec.catchAll("other", OptionalDouble.empty());
        List<Classification> single = nli.scorer().classify(command(other, false));
        Classification c = single.get(0);
        assertEquals(1 - bestEntailment, NliSemanticsTest.score(c, "other"), NliSemanticsTest.TOLERANCE);
        assertEquals(hf[0] * bestEntailment, NliSemanticsTest.score(c, "motorcycles"), NliSemanticsTest.TOLERANCE);
        assertEquals(hf[2] * bestEntailment, NliSemanticsTest.score(c, "space"), NliSemanticsTest.TOLERANCE);
        assertEquals(1.0, c.scores().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        assertEquals("other", single.get(1).top(), "a blank text matches no label");

        Classification multi = nli.scorer().classify(command(other, true)).get(0);
        assertEquals(1 - bestEntailment, NliSemanticsTest.score(multi, "other"), NliSemanticsTest.TOLERANCE);
        assertEquals(ScoreMath.sigmoid(logits[1][0] - logits[1][1]), NliSemanticsTest.score(multi, "baseball"),
                NliSemanticsTest.TOLERANCE);
        assertTrue(nli.scorer().notes(command(other, false)).isEmpty());
    }

    @Test
    void strengthsAreEntailmentMinusContradictionAndAThresholdMovesTheCatchAll() {
        double[][] logits = motoLogits();
        double[][] strengths = nli.scorer().strengths(command(LabelSpec.catchAll("other", OptionalDouble.empty()),
                false));
        for (int l = 0; l < 3; l++) {
            assertEquals(logits[l][0] - logits[l][1], strengths[0][l], NliSemanticsTest.TOLERANCE);
        }
        assertEquals(null, strengths[1], "a blank text has no strengths");
        double best = Math.max(strengths[0][0], Math.max(strengths[0][1], strengths[0][2]));
        Classification above = nli.scorer().classify(command(
                LabelSpec.catchAll("other", OptionalDouble.of(best + 5)), false)).get(0);
        Classification below = nli.scorer().classify(command(
                LabelSpec.catchAll("other", OptionalDouble.of(best - 5)), false)).get(0);
        assertEquals("other", above.top());
        assertTrue(!below.top().equals("other"));
        assertEquals(1 - ScoreMath.sigmoid(-5), NliSemanticsTest.score(above, "other"), NliSemanticsTest.TOLERANCE);
    }
}
