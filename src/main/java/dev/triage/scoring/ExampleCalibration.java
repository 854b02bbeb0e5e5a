package dev.triage.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The catch-all's threshold fitted on a request's own examples, when it has both kinds: texts of the real labels
 * (few-shot examples) and texts that are none of them (the catch-all's examples). Each example is scored
 * leave-one-out, as a text the labels were not built from, by the best label's strength; the cut of best expected
 * F1 at the examples' own rate of real-label texts ({@link CalibrationFit#expectedF1Threshold}) is then taken
 * halfway to the default ({@link CalibrationFit#towardDefault}), as {@code eval --one-vs-rest --examples} does.
 */
final class ExampleCalibration {

    /** Fewer examples of either kind than this, and the default threshold stands. */
    static final int MIN_EXAMPLES = 2;

    private ExampleCalibration() {
    }

    /**
     * @param labels the real labels' vectors
     * @param examples per real label, its examples' vectors (empty for a zero-shot label)
     * @param background the general topics' vectors
     * @param none the catch-all's examples' vectors
     * @return the fitted threshold, or empty when there are too few examples of either kind
     */
    static Optional<Double> threshold(List<LabelVector> labels, List<List<float[]>> examples, List<float[]> background,
            List<float[]> none, double defaultThreshold) {
        if (none.size() < MIN_EXAMPLES || examples.stream().mapToInt(List::size).sum() < MIN_EXAMPLES) {
            return Optional.empty();
        }
        // the centres once: only the left-out example's side changes from one example to the next
        double[] centre = Background.centre(background);
        double[] noneCentre = Background.centre(none);
        float[][] directions = LabelVector.directions(labels, centre, noneCentre);
        List<Double> positives = new ArrayList<>();
        for (int l = 0; l < labels.size(); l++) {
            List<float[]> own = examples.get(l);
            for (int e = 0; own.size() >= MIN_EXAMPLES && e < own.size(); e++) {
                List<float[]> others = new ArrayList<>(own);
                float[] left = others.remove(e);
                float[][] withoutIt = directions.clone();
                withoutIt[l] = Background.direction(labels.get(l).named(), LabelVector.mean(others), centre,
                        noneCentre);
                positives.add(best(left, withoutIt, labels));
            }
        }
        double[] negatives = new double[none.size()];
        for (int n = 0; n < none.size(); n++) {
            List<float[]> others = new ArrayList<>(none);
            float[] left = others.remove(n);
            negatives[n] = best(left, LabelVector.directions(labels, centre, Background.centre(others)), labels);
        }
        if (positives.size() < MIN_EXAMPLES) {
            return Optional.empty();
        }
        double[] pos = positives.stream().mapToDouble(Double::doubleValue).toArray();
        double prior = pos.length / (double) (pos.length + negatives.length);
        return Optional.of(CalibrationFit.towardDefault(CalibrationFit.expectedF1Threshold(pos, negatives, prior),
                defaultThreshold));
    }

    /** The text's strength for the label that matches it best, as the catch-all compares it with the threshold. */
    private static double best(float[] text, float[][] directions, List<LabelVector> labels) {
        return Arrays.stream(LabelVector.strengths(text, directions, labels)).max().orElseThrow();
    }
}
