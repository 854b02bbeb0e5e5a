package dev.triage.scoring;

import java.util.List;

import dev.triage.model.Vectors;

/**
 * The catch-all's reference for embedding models: general topics, templated and embedded like labels. A label's
 * <em>direction</em> is its vector minus their mean, at unit length; the catch-all compares texts with directions,
 * since a raw cosine also rewards looking like any templated sentence. Versioned: the default threshold
 * ({@link #THRESHOLD}) holds for one version of the list.
 */
public final class Background {

    /** Names the list below; bump it with any change to the list (and measure the thresholds again). */
    public static final String VERSION = "general-topics-1";

    /** Tier 1 of the IAB Tech Lab content taxonomy (2.x); how it was chosen: deploy/ACCURACY.md. */
    public static final List<String> TOPICS = List.of("automotive", "books and literature", "business and finance",
            "careers", "education", "events and attractions", "family and relationships", "fine art", "food and drink",
            "healthy living", "hobbies and interests", "home and garden", "medical health", "movies",
            "music and audio", "news and politics", "personal finance", "pets", "pop culture", "real estate",
            "religion and spirituality", "science", "shopping", "sports", "style and fashion",
            "technology and computing", "television", "travel", "video gaming");

    /**
     * The catch-all's threshold when nothing is calibrated, for every model: directions do not depend on where an
     * encoder's cosines sit, and the best cut on train data was 0.195-0.204 for each embedded model (ACCURACY.md).
     */
    public static final double THRESHOLD = 0.20;

    /** Weight of a few-shot label's examples' direction beside its name's (deploy/ACCURACY.md). */
    static final double EXAMPLE_DIRECTION_WEIGHT = 0.5;

    /**
     * Subtracted from a few-shot label's strength, whose best cut sits higher (deploy/ACCURACY.md), so one threshold
     * serves labels with and without examples in the same request.
     */
    public static final double FEW_SHOT_OFFSET = 0.04;

    private Background() {
    }

    /** The plain mean of the background hypothesis vectors (not normalised: it is a point, not a direction). */
    public static double[] centre(List<float[]> backgroundVectors) {
        double[] centre = new double[backgroundVectors.get(0).length];
        for (float[] vector : backgroundVectors) {
            for (int i = 0; i < centre.length; i++) {
                centre[i] += vector[i] / backgroundVectors.size();
            }
        }
        return centre;
    }

    /** A label's vector minus the background centre, at unit length: what sets the label apart from any topic. */
    public static float[] direction(float[] label, double[] centre) {
        double[] difference = new double[label.length];
        double norm = 0;
        for (int i = 0; i < label.length; i++) {
            difference[i] = label[i] - centre[i];
            norm += difference[i] * difference[i];
        }
        norm = Math.sqrt(norm);
        float[] direction = new float[label.length];
        for (int i = 0; i < label.length && norm > 0; i++) {
            direction[i] = (float) (difference[i] / norm);
        }
        return direction;
    }

    /**
     * The name's direction, plus the examples' at {@link #EXAMPLE_DIRECTION_WEIGHT}: kept apart, the name still
     * counts when the examples (texts, not hypotheses) sit far from the centre. The examples' direction is taken from
     * {@code exampleCentre}: the mean of the catch-all's examples when the request has them (texts are nearer other
     * texts than templated topic names), else {@code centre}.
     *
     * @param examples the normalised mean of the example vectors, or null
     */
    public static float[] direction(float[] named, float[] examples, double[] centre, double[] exampleCentre) {
        float[] own = direction(named, centre);
        return examples == null ? own : Vectors.weightedMean(new float[][] { own, direction(examples, exampleCentre) },
                new double[] { 1.0, EXAMPLE_DIRECTION_WEIGHT });
    }
}
