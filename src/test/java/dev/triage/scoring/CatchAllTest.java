package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The catch-all's scores as pure functions of the real labels' strengths. */
class CatchAllTest {

    static final CatchAll.Calibration EMBEDDING = new CatchAll.Calibration(0.3, 0.05);
    static final List<LabelSpec> LABELS = List.of(LabelSpec.plain("space"), LabelSpec.catchAll("other",
            OptionalDouble.empty()), LabelSpec.plain("guns"));

    @Test
    void noneIsTheChanceThatTheBestLabelFallsShortOfTheThreshold() {
        assertEquals(0.5, CatchAll.none(new double[] { 0.3, 0.1 }, EMBEDDING), 1e-12);
        assertEquals(1 - ScoreMath.sigmoid((0.5 - 0.3) / 0.05), CatchAll.none(new double[] { 0.2, 0.5 }, EMBEDDING),
                1e-12);
        assertTrue(CatchAll.none(new double[] { 0.05, 0.1 }, EMBEDDING) > 0.98);
    }

    @Test
    void singleLabelKeepsTheRealLabelsProportionsAndSumsToOne() {
        double[] strengths = { 0.32, 0.28 }; // space, guns
        double[] distribution = ScoreMath.softmax(strengths, 0.05);
        double[] scores = CatchAll.scores(LABELS, strengths, distribution, EMBEDDING, false);
        assertEquals(1.0, scores[0] + scores[1] + scores[2], 1e-12);
        assertEquals(distribution[0] / distribution[1], scores[0] / scores[2], 1e-9);
        assertEquals(CatchAll.none(strengths, EMBEDDING), scores[1], 1e-12);
    }

    @Test
    void oneLabelAgainstTheCatchAllIsTheLabelsOwnProbability() {
        List<LabelSpec> pair = List.of(LabelSpec.plain("space"), LabelSpec.catchAll("other", OptionalDouble.empty()));
        for (double s : new double[] { 0.1, 0.29, 0.31, 0.6 }) {
            double[] single = CatchAll.scores(pair, new double[] { s }, new double[] { 1.0 }, EMBEDDING, false);
            double[] multi = CatchAll.scores(pair, new double[] { s }, null, EMBEDDING, true);
            assertArrayEquals(single, multi, 1e-12);
            assertEquals(s > 0.3, single[0] > single[1], "strength " + s);
        }
    }

    @Test
    void multiLabelCatchAllIsAboveHalfExactlyWhenNoLabelIs() {
        Random random = new Random(17);
        for (int i = 0; i < 1000; i++) {
            double[] strengths = { random.nextDouble() * 0.6, random.nextDouble() * 0.6 };
            double[] scores = CatchAll.scores(LABELS, strengths, null, EMBEDDING, true);
            boolean anyLabel = scores[0] > 0.5 || scores[2] > 0.5;
            assertEquals(!anyLabel, scores[1] > 0.5, java.util.Arrays.toString(strengths));
            assertEquals(EMBEDDING.probability(strengths[1]), scores[2], 1e-12);
        }
    }

    @Test
    void nliDefaultIsOneMinusTheMostLikelyEntailment() {
        CatchAll.Calibration nli = new CatchAll.Calibration(0.0, 1.0);
        double[] logitDifferences = { -2.0, 1.5 };
        assertEquals(1 - ScoreMath.sigmoid(1.5), CatchAll.none(logitDifferences, nli), 1e-12);
    }

    @Test
    void aLabelsOwnThresholdWins() {
        LabelSpec strict = LabelSpec.catchAll("other", OptionalDouble.of(0.9));
        assertEquals(0.9, EMBEDDING.forLabel(strict).threshold());
        assertEquals(0.05, EMBEDDING.forLabel(strict).temperature());
        assertEquals(EMBEDDING, EMBEDDING.forLabel(LABELS.get(1)));
        assertThrows(IllegalArgumentException.class, () -> new CatchAll.Calibration(0.2, 0));
    }

    @Test
    void aBlankTextMatchesNoLabel() {
        assertArrayEquals(new double[] { 0, 1, 0 }, CatchAll.blank(LABELS));
    }
}
