package dev.triage.scoring;

import java.util.List;

import dev.triage.model.Vectors;

/**
 * The catch-all's reference for embedding models: a fixed list of general topics, put through the request's
 * template(s) and embedded like labels (cached with them). Their mean vector is where a hypothesis about "some
 * topic" sits; a label's <em>direction</em> is its hypothesis vector minus that centre, scaled to unit length, and
 * the catch-all compares each text with the directions: how much more the text is about this label than about
 * topics in general. A raw cosine also measures how much the text looks like any templated sentence at all (short
 * texts, lists, signatures), which one absolute threshold cannot tell apart from being on topic.
 * <p>
 * The list is part of the scoring: changing it moves every catch-all score and the models' default thresholds
 * ({@link CatchAllDefaults}), so it is versioned, and thresholds are measured for one version.
 */
public final class Background {

    /** Names the list below; bump it with any change to the list (and measure the thresholds again). */
    public static final String VERSION = "general-topics-1";

    /**
     * 29 general content categories, after the tier 1 of the IAB Tech Lab content taxonomy (2.x), written down
     * before any measurement; chosen over Wikipedia's main topic classifications and a list of content-free
     * phrases on the 20 Newsgroups train split (deploy/ACCURACY.md).
     */
    public static final List<String> TOPICS = List.of("automotive", "books and literature", "business and finance",
            "careers", "education", "events and attractions", "family and relationships", "fine art", "food and drink",
            "healthy living", "hobbies and interests", "home and garden", "medical health", "movies",
            "music and audio", "news and politics", "personal finance", "pets", "pop culture", "real estate",
            "religion and spirituality", "science", "shopping", "sports", "style and fashion",
            "technology and computing", "television", "travel", "video gaming");

    /**
     * A few-shot label's direction: its name's direction plus half its examples' ({@link #direction(float[], float[],
     * double[])}); chosen among 0.3, 0.5, 1 and 2 on the 20NG train split (deploy/ACCURACY.md).
     */
    static final double EXAMPLE_DIRECTION_WEIGHT = 0.5;

    /**
     * Subtracted from a few-shot label's strength. Texts like its examples sit closer to a direction that has
     * them in it, so the F1-best cut for few-shot labels is 0.24 where it is 0.20 without examples (20NG train);
     * shifting the strength lets one threshold serve labels with and without examples in the same request.
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
     * A label's direction from its parts: the name's (template(s), description) and, for a few-shot label, its
     * examples' mean vector's direction away from the same centre, at {@link #EXAMPLE_DIRECTION_WEIGHT}. Kept
     * apart, the name still counts when the examples' vectors (texts, not hypotheses) sit far from the centre.
     *
     * @param examples the normalised mean of the example vectors, or null
     */
    public static float[] direction(float[] named, float[] examples, double[] centre) {
        float[] own = direction(named, centre);
        return examples == null ? own : Vectors.weightedMean(new float[][] { own, direction(examples, centre) },
                new double[] { 1.0, EXAMPLE_DIRECTION_WEIGHT });
    }
}
