package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Maximum-likelihood fits recover the numbers that generated the data. */
class CalibrationFitTest {

    @Test
    void temperatureRecoversTheSoftmaxThatDrewTheLabels() {
        Random random = new Random(17);
        double truth = 0.04;
        int n = 4000;
        double[][] strengths = new double[n][];
        int[] gold = new int[n];
        for (int i = 0; i < n; i++) {
            strengths[i] = new double[] { random.nextDouble() * 0.3, random.nextDouble() * 0.3,
                    random.nextDouble() * 0.3 };
            double[] p = ScoreMath.softmax(strengths[i], truth);
            double u = random.nextDouble();
            gold[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
        }
        assertEquals(truth, CalibrationFit.temperature(strengths, gold), 0.004);
    }

    @Test
    void thresholdRecoversTheLogisticThatDrewPresence() {
        Random random = new Random(17);
        double truth = 0.27;
        int n = 5000;
        double[] strengths = new double[n];
        boolean[] present = new boolean[n];
        for (int i = 0; i < n; i++) {
            strengths[i] = random.nextDouble() * 0.6;
            present[i] = random.nextDouble() < ScoreMath.sigmoid((strengths[i] - truth) / 0.05);
        }
        assertEquals(truth, CalibrationFit.threshold(strengths, present, 0.05), 0.01);
    }

    @Test
    void separatedExamplesPutTheThresholdBetweenThem() {
        double[] strengths = { 0.10, 0.12, 0.15, 0.35, 0.38, 0.40 };
        boolean[] present = { false, false, false, true, true, true };
        double threshold = CalibrationFit.threshold(strengths, present, 0.05);
        assertTrue(threshold > 0.15 && threshold < 0.35, "threshold " + threshold);
        assertEquals(0.25, threshold, 0.02); // symmetric data: the middle
    }

    @Test
    void aRareLabelMovesTheThresholdUp() {
        // the same two clusters, but none-of-these nine times as common: a label must match more clearly
        double[] strengths = new double[20];
        boolean[] present = new boolean[20];
        for (int i = 0; i < 20; i++) {
            present[i] = i < 2;
            strengths[i] = present[i] ? 0.3 + 0.01 * i : 0.2 + 0.005 * i;
        }
        double balanced = CalibrationFit.threshold(new double[] { 0.2, 0.3 }, new boolean[] { false, true }, 0.05);
        assertTrue(CalibrationFit.threshold(strengths, present, 0.05) > balanced);
    }

    @Test
    void expectedF1ThresholdCutsBetweenSeparatedClassesAndRisesWithARarerLabel() {
        double[] positives = { 0.30, 0.32, 0.34, 0.36, 0.38, 0.40, 0.42, 0.44 };
        double[] negatives = { 0.00, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.14 };
        double balanced = CalibrationFit.expectedF1Threshold(positives, negatives, 0.5);
        assertTrue(balanced > 0.14 && balanced < 0.30, "balanced " + balanced);
        // the same 8 against 8, for a task where 1 text in 20 is the label: fewer false positives allowed
        double rare = CalibrationFit.expectedF1Threshold(positives, negatives, 0.05);
        assertTrue(rare > balanced + 0.01, rare + " vs " + balanced);
    }

    @Test
    void expectedF1ThresholdMovesWithTheStrengths() {
        // strengths that all sit 0.1 higher (another encoder, or a few-shot label) move the cut by 0.1
        double[] positives = { 0.25, 0.31, 0.18, 0.40, 0.29, 0.35, 0.22, 0.33 };
        double[] negatives = { -0.05, 0.02, 0.10, 0.04, -0.01, 0.07, 0.00, 0.12, 0.03, 0.05 };
        double cut = CalibrationFit.expectedF1Threshold(positives, negatives, 0.05);
        double shifted = CalibrationFit.expectedF1Threshold(java.util.Arrays.stream(positives).map(v -> v + 0.1)
                .toArray(), java.util.Arrays.stream(negatives).map(v -> v + 0.1).toArray(), 0.05);
        assertEquals(cut + 0.1, shifted, 0.002);
    }

    @Test
    void towardDefaultTakesAFitHalfwayToTheDefault() {
        assertEquals(0.25, CalibrationFit.towardDefault(0.30, 0.20), 1e-12);
        assertEquals(0.15, CalibrationFit.towardDefault(0.10, 0.20), 1e-12);
    }
}
