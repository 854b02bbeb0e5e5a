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

/**
 * Zero-shot with a sentence encoder: cosine between the text's vector and each label's vector.
 * Single-label: softmax(cosine / temperature) over the labels. Multi-label: for each label on its own,
 * sigmoid((cosine - threshold) / temperature).
 * <p>
 * A label's vector is its hypothesis vector (averaged with its description's, if it has one); a few-shot
 * label's is {@code normalise(hypothesisWeight * hypothesis + exampleWeight * normalise(mean(examples)))}.
 * Hypothesis and example vectors are cached across requests (bounded LRU; examples by content hash).
 * <p>
 * With a catch-all label, how strongly a label matches is the cosine between the text and the label's direction
 * away from the general topics ({@link Background}, {@link LabelVector}), less {@link Background#FEW_SHOT_OFFSET}
 * for a few-shot label; the real labels' distribution stays the softmax of cosines.
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
    private final CatchAll.Calibration catchAll;
    /** Text vectors by content hash; null unless asked for (evaluations that score one file many times). */
    private final Cache<String, float[]> textCache;

    /**
     * @param catchAll how a catch-all label's score follows from the best cosine
     * @param textCacheSize text vectors kept (0: none)
     */
    public EmbeddingScorer(TextTokenizer tokenizer, BatchRunner runner, int labelCacheSize, double temperature,
            double threshold, Prototypes prototypes, CatchAll.Calibration catchAll, int textCacheSize) {
        this.tokenizer = tokenizer;
        this.runner = runner;
        this.vectorCache = Caffeine.newBuilder().maximumSize(labelCacheSize).recordStats().build();
        this.temperature = temperature;
        this.threshold = threshold;
        this.prototypes = prototypes;
        this.catchAll = catchAll;
        this.textCache = textCacheSize > 0 ? Caffeine.newBuilder().maximumSize(textCacheSize).<String, float[]>build() : null;
    }

    /** Sentence vectors with the number of tokens the model read for them. */
    public record Embedded(float[][] vectors, int tokens) {
    }

    /**
     * The texts' sentence vectors (L2-normalised, as the model pools them) in input order, on the same batch
     * runner, pool and deadline as classification; texts are cut at the model's max length.
     */
    public Embedded embed(List<String> texts) {
        List<Encoded> sequences = texts.stream().map(tokenizer::encode).toList();
        int tokens = sequences.stream().mapToInt(Encoded::length).sum();
        return new Embedded(runner.run(sequences), tokens);
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
        RequestVectors embedded = vectors(command);
        List<Classification> results = new ArrayList<>(embedded.texts().length);
        for (float[] text : embedded.texts()) {
            results.add(text == null ? blank(command) : Classification.ranked(command.labelNames(), score(text,
                    embedded, command)));
        }
        return results;
    }

    /** With a catch-all, against the labels' directions away from the general topics; else plain cosines. */
    @Override
    public double[][] strengths(ClassifyCommand command) {
        RequestVectors embedded = vectors(command);
        double[][] strengths = new double[embedded.texts().length][];
        for (int t = 0; t < strengths.length; t++) {
            float[] text = embedded.texts()[t];
            strengths[t] = text == null ? null : embedded.directions() != null ? embedded.strengths(text)
                    : LabelVector.cosines(text, embedded.labels());
        }
        return strengths;
    }

    /**
     * Text vectors (null for a blank text), the real labels' vectors and, with a catch-all, their directions away
     * from the general topics (else null).
     */
    private record RequestVectors(float[][] texts, float[][] labels, float[][] directions, double[] offsets) {

        /** The catch-all's strengths: cosines with the directions, few-shot labels' lowered by their offset. */
        double[] strengths(float[] text) {
            double[] strengths = LabelVector.cosines(text, directions);
            for (int l = 0; l < strengths.length; l++) {
                strengths[l] -= offsets[l];
            }
            return strengths;
        }
    }

    private RequestVectors vectors(ClassifyCommand command) {
        List<String> texts = command.texts();
        List<Map<String, String>> labelParts = command.realLabels().stream().map(l -> parts(l, command)).toList();
        List<Map<String, String>> backgroundParts = command.catchAll().isEmpty() ? List.of()
                : Background.TOPICS.stream().map(topic -> parts(LabelSpec.plain(topic), command)).toList();
        // Every vector this request needs that is not cached: label parts, then texts, in one pool run.
        Map<String, String> missing = uncached(labelParts, backgroundParts);
        List<Encoded> sequences = new ArrayList<>(texts.size() + missing.size());
        int[] textRow = new int[texts.size()];
        float[][] cachedTexts = new float[texts.size()][];
        for (int t = 0; t < texts.size(); t++) {
            cachedTexts[t] = textCache == null ? null : textCache.getIfPresent(Sha256.hex(texts.get(t)));
            textRow[t] = texts.get(t).isBlank() || cachedTexts[t] != null ? -1 : sequences.size();
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
        List<LabelVector> labels = labelParts.stream().map(parts -> prototype(parts, known)).toList();
        float[][] directions = backgroundParts.isEmpty() ? null : LabelVector.directions(labels,
                backgroundParts.stream().map(parts -> prototype(parts, known).named()).toList());
        float[][] textVectors = new float[texts.size()][];
        for (int t = 0; t < texts.size(); t++) {
            textVectors[t] = cachedTexts[t] != null ? cachedTexts[t] : textRow[t] < 0 ? null : vectors[textRow[t]];
            if (textCache != null && textRow[t] >= 0) {
                textCache.put(Sha256.hex(texts.get(t)), textVectors[t]);
            }
        }
        return new RequestVectors(textVectors, labels.stream().map(l -> l.vector(prototypes)).toArray(float[][]::new),
                directions, labels.stream().mapToDouble(LabelVector::offset).toArray());
    }

    /** Cache key to text, for the parts not in the vector cache. */
    private Map<String, String> uncached(List<Map<String, String>> labelParts, List<Map<String, String>> backgroundParts) {
        Map<String, String> missing = new LinkedHashMap<>();
        java.util.stream.Stream.concat(labelParts.stream(), backgroundParts.stream()).forEach(parts -> parts.forEach(
                (key, text) -> {
                    if (vectorCache.getIfPresent(key) == null) {
                        missing.put(key, text);
                    }
                }));
        return missing;
    }

    /** The texts a label's vector is made of, by cache key: its hypotheses (one per template), description, examples. */
    private static Map<String, String> parts(LabelSpec label, ClassifyCommand command) {
        Map<String, String> parts = new LinkedHashMap<>();
        command.hypotheses(label.name()).forEach(hypothesis -> parts.put("h:" + hypothesis, hypothesis));
        label.description().ifPresent(d -> parts.put("d:" + d, d));
        for (String example : label.examples()) {
            parts.put("e:" + Sha256.hex(example), example);
        }
        return parts;
    }

    /** @param parts the label's texts by cache key, as {@link #parts} gives them */
    private LabelVector prototype(Map<String, String> parts, Map<String, float[]> fresh) {
        List<float[]> hypothesis = new ArrayList<>();
        List<float[]> description = new ArrayList<>();
        List<float[]> examples = new ArrayList<>();
        for (Map.Entry<String, String> part : parts.entrySet()) {
            String key = part.getKey();
            float[] vector = fresh.containsKey(key) ? fresh.get(key) : vectorCache.getIfPresent(key);
            if (vector == null) {
                // Evicted between lookup and use by a concurrent request: embed it again, alone.
                vector = runner.run(List.of(tokenizer.encode(part.getValue())))[0];
                vectorCache.put(key, vector);
            }
            (key.startsWith("e:") ? examples : key.startsWith("d:") ? description : hypothesis).add(vector);
        }
        // the templates' ensemble first, so a description weighs as much as all templates together
        float[] named = hypothesis.size() == 1 ? hypothesis.get(0) : LabelVector.mean(hypothesis);
        if (!description.isEmpty()) {
            named = LabelVector.mean(List.of(named, description.get(0)));
        }
        return new LabelVector(named, examples.isEmpty() ? null : LabelVector.mean(examples));
    }

    static Classification blank(ClassifyCommand command) {
        return command.catchAll().isEmpty() ? Classification.uninformative(command.labelNames(), command.multiLabel())
                : Classification.ranked(command.labelNames(), CatchAll.blank(command.labels()));
    }

    /** Scores of every label of the command, the catch-all (if any) from the labels' directions. */
    private double[] score(float[] text, RequestVectors embedded, ClassifyCommand command) {
        double[] cosines = LabelVector.cosines(text, embedded.labels());
        if (command.catchAll().isEmpty()) {
            return score(cosines, command.multiLabel());
        }
        return CatchAll.scores(command.labels(), embedded.strengths(text),
                ScoreMath.softmax(cosines, temperature), catchAll.forLabel(command.catchAll().get()),
                command.multiLabel());
    }

    double[] score(double[] cosines, boolean multiLabel) {
        if (!multiLabel) {
            return ScoreMath.softmax(cosines, temperature);
        }
        double[] scores = new double[cosines.length];
        for (int l = 0; l < cosines.length; l++) {
            scores[l] = ScoreMath.sigmoid((cosines[l] - threshold) / temperature);
        }
        return scores;
    }
}
