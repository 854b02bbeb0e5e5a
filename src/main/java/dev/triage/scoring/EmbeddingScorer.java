package dev.triage.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.triage.batch.BatchRunner;
import dev.triage.model.Encoded;
import dev.triage.model.Sha256;
import dev.triage.model.TextTokenizer;
import dev.triage.model.Vectors;

/**
 * Zero-shot with a sentence encoder: cosine between the text's vector and each label's vector.
 * Single-label: softmax(cosine / temperature) over the labels. Multi-label: for each label on its own,
 * sigmoid((cosine - threshold) / temperature).
 * <p>
 * A label's vector is its hypothesis vector (averaged with its description's, if it has one); a few-shot
 * label's is {@code normalise(hypothesisWeight * hypothesis + exampleWeight * normalise(mean(examples)))}.
 * Hypothesis and example vectors are cached across requests (bounded LRU; examples by content hash).
 */
public final class EmbeddingScorer implements ZeroShotScorer {

    /** How label vectors are weighted from their parts. */
    public record Prototypes(double hypothesisWeight, double exampleWeight) {
    }

    private final TextTokenizer tokenizer;
    private final BatchRunner runner;
    /** Label hypothesis and example vectors, which repeat across requests; bounded, since clients choose them. */
    private final Cache<String, float[]> vectorCache;
    private final double temperature;
    private final double threshold;
    private final Prototypes prototypes;

    public EmbeddingScorer(TextTokenizer tokenizer, BatchRunner runner, int labelCacheSize, double temperature,
            double threshold, Prototypes prototypes) {
        this.tokenizer = tokenizer;
        this.runner = runner;
        this.vectorCache = Caffeine.newBuilder().maximumSize(labelCacheSize).recordStats().build();
        this.temperature = temperature;
        this.threshold = threshold;
        this.prototypes = prototypes;
    }

    /** For metrics. */
    public Cache<?, ?> cache() {
        return vectorCache;
    }

    @Override
    public String defaultTemplate() {
        return "This example is about {}.";
    }

    @Override
    public List<Classification> classify(ClassifyCommand command) {
        List<String> texts = command.texts();
        // Every vector this request needs that is not cached: label parts, then texts, in one pool run.
        Map<String, String> missing = new LinkedHashMap<>(); // cache key -> text to embed
        List<Map<String, String>> labelParts = command.labels().stream().map(l -> parts(l, command)).toList();
        for (Map<String, String> parts : labelParts) {
            for (Map.Entry<String, String> part : parts.entrySet()) {
                if (vectorCache.getIfPresent(part.getKey()) == null) {
                    missing.put(part.getKey(), part.getValue());
                }
            }
        }
        List<Encoded> sequences = new ArrayList<>(texts.size() + missing.size());
        int[] textRow = new int[texts.size()];
        for (int t = 0; t < texts.size(); t++) {
            textRow[t] = texts.get(t).isBlank() ? -1 : sequences.size();
            if (textRow[t] >= 0) {
                sequences.add(tokenizer.encode(texts.get(t)));
            }
        }
        int firstMissing = sequences.size();
        missing.values().forEach(text -> sequences.add(tokenizer.encode(text)));
        float[][] vectors = runner.run(sequences);
        Map<String, float[]> known = new LinkedHashMap<>();
        int row = firstMissing;
        for (String key : missing.keySet()) {
            known.put(key, vectors[row]);
            vectorCache.put(key, vectors[row++]);
        }
        float[][] labelVectors = new float[command.labels().size()][];
        for (int l = 0; l < labelVectors.length; l++) {
            labelVectors[l] = prototype(labelParts.get(l), known);
        }
        List<Classification> results = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            results.add(textRow[t] < 0 ? Classification.uninformative(command.labelNames(), command.multiLabel())
                    : Classification.ranked(command.labelNames(),
                            score(vectors[textRow[t]], labelVectors, command.multiLabel())));
        }
        return results;
    }

    /** The texts a label's vector is made of, by cache key. */
    private static Map<String, String> parts(LabelSpec label, ClassifyCommand command) {
        Map<String, String> parts = new LinkedHashMap<>();
        String hypothesis = command.hypothesis(label.name());
        parts.put("h:" + hypothesis, hypothesis);
        label.description().ifPresent(d -> parts.put("h:" + d, d));
        for (String example : label.examples()) {
            parts.put("e:" + Sha256.hex(example), example);
        }
        return parts;
    }

    /** @param parts the label's texts by cache key, as {@link #parts} gives them */
    private float[] prototype(Map<String, String> parts, Map<String, float[]> fresh) {
        List<float[]> hypothesis = new ArrayList<>();
        List<float[]> examples = new ArrayList<>();
        for (Map.Entry<String, String> part : parts.entrySet()) {
            String key = part.getKey();
            float[] vector = fresh.containsKey(key) ? fresh.get(key) : vectorCache.getIfPresent(key);
            if (vector == null) {
                // Evicted between lookup and use by a concurrent request: embed it again, alone.
                String text = part.getValue();
                vector = runner.run(List.of(tokenizer.encode(text)))[0];
                vectorCache.put(key, vector);
            }
            (key.startsWith("e:") ? examples : hypothesis).add(vector);
        }
        float[] named = hypothesis.size() == 1 ? hypothesis.get(0) : mean(hypothesis);
        if (examples.isEmpty()) {
            return named;
        }
        return Vectors.weightedMean(new float[][] { named, mean(examples) },
                new double[] { prototypes.hypothesisWeight(), prototypes.exampleWeight() });
    }

    private static float[] mean(List<float[]> vectors) {
        double[] weights = new double[vectors.size()];
        java.util.Arrays.fill(weights, 1.0);
        return Vectors.weightedMean(vectors.toArray(float[][]::new), weights);
    }

    double[] score(float[] text, float[][] labels, boolean multiLabel) {
        double[] cosines = new double[labels.length];
        for (int l = 0; l < labels.length; l++) {
            cosines[l] = Vectors.dot(text, labels[l]);
        }
        if (!multiLabel) {
            return ScoreMath.softmax(cosines, temperature);
        }
        double[] scores = new double[labels.length];
        for (int l = 0; l < labels.length; l++) {
            scores[l] = ScoreMath.sigmoid((cosines[l] - threshold) / temperature);
        }
        return scores;
    }
}
