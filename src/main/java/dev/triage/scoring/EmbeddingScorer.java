package dev.triage.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.triage.batch.BatchRunner;
import dev.triage.model.Encoded;
import dev.triage.model.TextTokenizer;
import dev.triage.model.Vectors;

/**
 * Zero-shot with a sentence encoder: cosine between the text's vector and each label's hypothesis vector.
 * Single-label: softmax(cosine / temperature) over the labels. Multi-label: for each label on its own,
 * sigmoid((cosine - threshold) / temperature).
 */
public final class EmbeddingScorer implements ZeroShotScorer {

    private final TextTokenizer tokenizer;
    private final BatchRunner runner;
    private final LabelVectorCache labelVectors;
    private final double temperature;
    private final double threshold;

    public EmbeddingScorer(TextTokenizer tokenizer, BatchRunner runner, int labelCacheSize, double temperature,
            double threshold) {
        this.tokenizer = tokenizer;
        this.runner = runner;
        this.labelVectors = new LabelVectorCache(labelCacheSize);
        this.temperature = temperature;
        this.threshold = threshold;
    }

    @Override
    public String defaultTemplate() {
        return "This example is about {}.";
    }

    @Override
    public List<Classification> classify(ClassifyCommand command) {
        List<String> texts = command.texts();
        Map<String, float[]> hypotheses = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String label : command.labels()) {
            String hypothesis = command.hypothesis(label);
            float[] cached = labelVectors.get(hypothesis);
            hypotheses.put(hypothesis, cached);
            if (cached == null) {
                missing.add(hypothesis);
            }
        }
        // Texts and uncached hypotheses go through the pool together: one wait instead of two.
        List<Encoded> sequences = new ArrayList<>(texts.size() + missing.size());
        List<Integer> textRow = new ArrayList<>(texts.size());
        for (String text : texts) {
            textRow.add(ClassifyCommand.blank(text) ? -1 : sequences.size());
            if (!ClassifyCommand.blank(text)) {
                sequences.add(tokenizer.encode(text));
            }
        }
        int firstHypothesis = sequences.size();
        for (String hypothesis : missing) {
            sequences.add(tokenizer.encode(hypothesis));
        }
        float[][] vectors = runner.run(sequences);
        for (int i = 0; i < missing.size(); i++) {
            float[] vector = vectors[firstHypothesis + i];
            hypotheses.put(missing.get(i), vector);
            labelVectors.put(missing.get(i), vector);
        }
        float[][] labelVectorsInOrder = new float[command.labels().size()][];
        for (int l = 0; l < labelVectorsInOrder.length; l++) {
            labelVectorsInOrder[l] = hypotheses.get(command.hypothesis(command.labels().get(l)));
        }
        List<Classification> results = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            int row = textRow.get(t);
            results.add(row < 0 ? Classification.uninformative(command.labels(), command.multiLabel())
                    : Classification.ranked(command.labels(), score(vectors[row], labelVectorsInOrder,
                            command.multiLabel())));
        }
        return results;
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
