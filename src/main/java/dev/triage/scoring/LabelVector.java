package dev.triage.scoring;

import java.util.Arrays;
import java.util.List;

import dev.triage.model.Vectors;

/**
 * A label's vector in its two parts: the name (the templates' ensemble, averaged with the description, if any)
 * and the normalised mean of its few-shot examples (null without). The classifier scores against the combined
 * {@link #vector}; the catch-all against the parts' directions away from the general topics ({@link Background}).
 */
record LabelVector(float[] named, float[] examples) {

    /** {@code normalise(hypothesisWeight * named + exampleWeight * examples)}, or the named part alone. */
    float[] vector(EmbeddingScorer.Prototypes prototypes) {
        return examples == null ? named : Vectors.weightedMean(new float[][] { named, examples },
                new double[] { prototypes.hypothesisWeight(), prototypes.exampleWeight() });
    }

    /** How much a text's cosine with this label's direction is lowered before it counts as the label's strength. */
    double offset() {
        return examples == null ? 0 : Background.FEW_SHOT_OFFSET;
    }

    /**
     * The labels' directions away from the centre of the general topics' vectors; a few-shot label's examples
     * away from the centre of the catch-all's examples, if there are any.
     *
     * @param noneExamples vectors of texts that are none of the labels (may be empty)
     */
    static float[][] directions(List<LabelVector> labels, List<float[]> background, List<float[]> noneExamples) {
        double[] centre = Background.centre(background);
        return directions(labels, centre, noneExamples.isEmpty() ? centre : Background.centre(noneExamples));
    }

    /** The same from the centres themselves. */
    static float[][] directions(List<LabelVector> labels, double[] centre, double[] exampleCentre) {
        return labels.stream().map(l -> Background.direction(l.named(), l.examples(), centre, exampleCentre))
                .toArray(float[][]::new);
    }

    static float[] mean(List<float[]> vectors) {
        double[] weights = new double[vectors.size()];
        Arrays.fill(weights, 1.0);
        return Vectors.weightedMean(vectors.toArray(float[][]::new), weights);
    }

    /** The text's cosine with each vector (all unit length). */
    static double[] cosines(float[] text, float[][] vectors) {
        double[] cosines = new double[vectors.length];
        for (int l = 0; l < vectors.length; l++) {
            cosines[l] = Vectors.dot(text, vectors[l]);
        }
        return cosines;
    }
}
