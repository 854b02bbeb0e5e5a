package dev.triage.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.triage.model.Sha256;
import dev.triage.model.Vectors;

/**
 * A label's vector in its two parts: the name (the templates' ensemble, averaged with the description, if any)
 * and the normalised mean of its few-shot examples (null without). The classifier scores against the combined
 * {@link #vector}; the catch-all against the parts' directions away from the general topics ({@link Background}).
 */
record LabelVector(float[] named, float[] examples) {

    /**
     * The texts a label's vector is made of, by the key their vectors are cached under: its hypotheses (one per
     * template), its description and its examples (by content hash, as examples are long and repeat).
     */
    static Map<String, String> parts(LabelSpec label, ClassifyCommand command) {
        Map<String, String> parts = new LinkedHashMap<>();
        command.hypotheses(label.name()).forEach(hypothesis -> parts.put("h:" + hypothesis, hypothesis));
        label.description().ifPresent(d -> parts.put("d:" + d, d));
        parts.putAll(exampleParts(label));
        return parts;
    }

    static Map<String, String> exampleParts(LabelSpec label) {
        Map<String, String> parts = new LinkedHashMap<>();
        label.examples().forEach(example -> parts.put("e:" + Sha256.hex(example), example));
        return parts;
    }

    static boolean isExample(String partKey) {
        return partKey.startsWith("e:");
    }

    /** The label's vector from its {@link #parts} and every part's vector by key. */
    static LabelVector of(Map<String, String> parts, Map<String, float[]> vectors) {
        List<float[]> hypothesis = new ArrayList<>();
        List<float[]> description = new ArrayList<>();
        List<float[]> examples = new ArrayList<>();
        for (String key : parts.keySet()) {
            (isExample(key) ? examples : key.startsWith("d:") ? description : hypothesis).add(vectors.get(key));
        }
        // the templates' ensemble first, so a description weighs as much as all templates together
        float[] named = hypothesis.size() == 1 ? hypothesis.get(0) : mean(hypothesis);
        if (!description.isEmpty()) {
            named = mean(List.of(named, description.get(0)));
        }
        return new LabelVector(named, examples.isEmpty() ? null : mean(examples));
    }

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

    /** The catch-all's strengths: the text's cosines with the directions, few-shot labels' lowered by their offset. */
    static double[] strengths(float[] text, float[][] directions, List<LabelVector> labels) {
        double[] strengths = new double[directions.length];
        for (int l = 0; l < directions.length; l++) {
            strengths[l] = Vectors.dot(text, directions[l]) - labels.get(l).offset();
        }
        return strengths;
    }

    static float[] mean(List<float[]> vectors) {
        double[] weights = new double[vectors.size()];
        Arrays.fill(weights, 1.0);
        return Vectors.weightedMean(vectors.toArray(float[][]::new), weights);
    }

    /** The text's cosine with each vector (all unit length). */
    static double[] cosines(float[] text, float[][] vectors) {
        return Arrays.stream(vectors).mapToDouble(vector -> Vectors.dot(text, vector)).toArray();
    }
}
