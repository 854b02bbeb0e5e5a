package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The probability maps of zero-shot scoring. */
class ScoreMathTest {

    @Test
    void softmaxSumsToOneAndTemperatureSharpens() {
        double[] p = ScoreMath.softmax(new double[] { 0.3, 0.2 }, 0.05);
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-12);
        // a 0.1 cosine gap at T = 0.05 is e^2 odds
        assertEquals(Math.exp(2), p[0] / p[1], 1e-9);
    }

    @Test
    void softmaxIsStableForLargeValues() {
        double[] p = ScoreMath.softmax(new double[] { 1000, 1000 }, 0.01);
        assertEquals(0.5, p[0], 1e-12);
    }

    @Test
    void sigmoidIsHalfAtZero() {
        assertEquals(0.5, ScoreMath.sigmoid(0), 0);
        assertEquals(1 - ScoreMath.sigmoid(2), ScoreMath.sigmoid(-2), 1e-15);
    }

    @Test
    void entailmentVsContradictionIsTheTwoWaySoftmax() {
        double[] two = ScoreMath.softmax(new double[] { -1.0, 2.0 }, 1.0);
        assertEquals(two[1], ScoreMath.entailmentVsContradiction(-1.0, 2.0), 1e-12);
    }

    @Test
    void normalTailIsTheUpperTailOfTheStandardNormal() {
        assertEquals(0.5, ScoreMath.normalTail(0), 1e-7);
        assertEquals(0.158655, ScoreMath.normalTail(1), 1e-6);
        assertEquals(0.841345, ScoreMath.normalTail(-1), 1e-6);
        assertEquals(0.0249979, ScoreMath.normalTail(1.96), 1e-6);
        assertEquals(3.167e-5, ScoreMath.normalTail(4), 1e-7);
    }
}
