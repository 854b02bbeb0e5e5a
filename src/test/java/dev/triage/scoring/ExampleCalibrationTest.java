package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.triage.model.Vectors;

/** The catch-all threshold a request's own examples give: leave-one-out strengths, expected-F1 cut, halfway. */
class ExampleCalibrationTest {

    private static final List<float[]> BACKGROUND = List.of(unit(1, 0, 0, 0), unit(0, 1, 0, 0));
    private static final float[] NAMED = unit(1, 0, 1, 0);

    @Test
    void theFitIsTheExpectedF1CutOfTheLeaveOneOutStrengthsHalfwayToTheDefault() {
        List<float[]> positives = List.of(unit(0.2f, 0, 1, 0.1f), unit(0, 0.1f, 1, 0.2f), unit(0.1f, 0.2f, 1, 0));
        List<float[]> none = List.of(unit(0, 1, 0, 1), unit(0.3f, 1, 0, 0.8f), unit(0.1f, 0.8f, 0.2f, 1));
        LabelVector label = new LabelVector(NAMED, LabelVector.mean(positives));
        double defaultThreshold = 0.2;
        Optional<Double> fitted = ExampleCalibration.threshold(List.of(label), List.of(positives), BACKGROUND, none,
                defaultThreshold);

        double[] centre = Background.centre(BACKGROUND);
        double[] pos = new double[3];
        for (int i = 0; i < 3; i++) {
            List<float[]> others = new ArrayList<>(positives);
            float[] left = others.remove(i);
            pos[i] = Vectors.dot(left, Background.direction(NAMED, LabelVector.mean(others), centre,
                    Background.centre(none))) - Background.FEW_SHOT_OFFSET;
        }
        double[] neg = new double[3];
        for (int i = 0; i < 3; i++) {
            List<float[]> others = new ArrayList<>(none);
            float[] left = others.remove(i);
            neg[i] = Vectors.dot(left, Background.direction(NAMED, label.examples(), centre,
                    Background.centre(others))) - Background.FEW_SHOT_OFFSET;
        }
        double expected = (CalibrationFit.expectedF1Threshold(pos, neg, 0.5) + defaultThreshold) / 2;
        assertEquals(expected, fitted.orElseThrow(), 1e-9);
        assertTrue(fitted.get() != defaultThreshold);
    }

    @Test
    void tooFewExamplesOfEitherKindLeaveTheDefault() {
        List<float[]> positives = List.of(unit(0.2f, 0, 1, 0.1f), unit(0, 0.1f, 1, 0.2f));
        LabelVector label = new LabelVector(NAMED, LabelVector.mean(positives));
        assertEquals(Optional.empty(), ExampleCalibration.threshold(List.of(label), List.of(positives), BACKGROUND,
                List.of(unit(0, 1, 0, 1)), 0.2), "one text of none");
        LabelVector single = new LabelVector(NAMED, positives.get(0));
        assertEquals(Optional.empty(), ExampleCalibration.threshold(List.of(single), List.of(positives.subList(0, 1)),
                BACKGROUND, List.of(unit(0, 1, 0, 1), unit(0, 1, 0, 0.5f)), 0.2), "one example of the label");
    }

    private static float[] unit(float... values) {
        double norm = 0;
        for (float v : values) {
            norm += v * v;
        }
        float[] unit = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            unit[i] = (float) (values[i] / Math.sqrt(norm));
        }
        return unit;
    }
}
