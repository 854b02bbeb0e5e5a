package dev.triage.scoring;

import java.util.Arrays;
import java.util.List;

/**
 * The catch-all label, "none of the others": its score is the probability that no real label matches, from how
 * strongly the best one does, {@code P(none) = sigmoid((threshold - max strength) / temperature)}, where a
 * label's strength is the cosine between the text and the label's direction away from general topics (embedding
 * models, {@link Background}) or its entailment-minus-contradiction logit (NLI). The
 * threshold is the strength at which a label is as likely present as not. Single-label: the real labels share
 * {@code 1 - P(none)} in the proportions the model gives them without the catch-all, so their ranking is unchanged.
 * Multi-label: each real label is {@code sigmoid((strength - threshold) / temperature)} with the same threshold,
 * so the catch-all is above 0.5 exactly when no real label is.
 */
public final class CatchAll {

    /** Maps a strength to a probability; {@code threshold} maps to 0.5. */
    public record Calibration(double threshold, double temperature) {

        public Calibration {
            if (!(temperature > 0) || !Double.isFinite(threshold)) {
                throw new IllegalArgumentException("temperature must be > 0 and threshold finite, not "
                        + temperature + " / " + threshold);
            }
        }

        public double probability(double strength) {
            return ScoreMath.sigmoid((strength - threshold) / temperature);
        }

        /** The label's own threshold wins over the model's. */
        public Calibration forLabel(LabelSpec catchAll) {
            return catchAll.threshold().isPresent() ? new Calibration(catchAll.threshold().getAsDouble(), temperature)
                    : this;
        }
    }

    private CatchAll() {
    }

    /** Probability that no label of this strength matches. */
    public static double none(double[] strengths, Calibration calibration) {
        return 1.0 - calibration.probability(Arrays.stream(strengths).max().orElse(Double.NEGATIVE_INFINITY));
    }

    /**
     * The scores of all labels, in {@code labels}' order.
     *
     * @param labels the request's labels, the catch-all among them
     * @param strengths per real label (in order, the catch-all left out) how strongly it matches
     * @param distribution single-label: the model's distribution over the real labels; unused in multi-label
     */
    public static double[] scores(List<LabelSpec> labels, double[] strengths, double[] distribution,
            Calibration calibration, boolean multiLabel) {
        double none = none(strengths, calibration);
        double[] scores = new double[labels.size()];
        int real = 0;
        for (int l = 0; l < labels.size(); l++) {
            if (labels.get(l).none()) {
                scores[l] = none;
            } else {
                scores[l] = multiLabel ? calibration.probability(strengths[real]) : distribution[real] * (1 - none);
                real++;
            }
        }
        return scores;
    }

    /** A text with nothing to read: none of the labels matches. */
    public static double[] blank(List<LabelSpec> labels) {
        return labels.stream().mapToDouble(label -> label.none() ? 1.0 : 0.0).toArray();
    }
}
