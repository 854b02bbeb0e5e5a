package dev.triage.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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
        this.textCache = textCacheSize > 0 ? Caffeine.newBuilder().maximumSize(textCacheSize).<String, float[]>build()
                : null;
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
            results.add(text == null ? Classification.blank(command)
                    : Classification.ranked(command.labelNames(), score(text, embedded, command)));
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

    /** Text vectors (null: blank), the real labels' vectors and, with a catch-all, their directions and threshold. */
    private record RequestVectors(float[][] texts, float[][] labels, float[][] directions, double[] offsets,
            CatchAll.Calibration calibration) {

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
        List<Map<String, String>> labelParts = command.realLabels().stream().map(l -> LabelParts.of(l, command))
                .toList();
        List<Map<String, String>> backgroundParts = command.catchAll().isEmpty() ? List.of()
                : Background.TOPICS.stream().map(topic -> LabelParts.of(LabelSpec.plain(topic), command)).toList();
        Map<String, String> noneParts = command.catchAll().map(LabelParts::examples).orElse(Map.of());
        // Every vector this request needs that is not cached: label parts, then texts, in one pool run.
        Map<String, String> missing = uncached(Stream.of(labelParts.stream(), backgroundParts.stream(),
                Stream.of(noneParts)).flatMap(parts -> parts));
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
        CatchAllView view = command.catchAll().isEmpty() ? new CatchAllView(null, null)
                : catchAllView(command.catchAll().get(), labels, labelParts, backgroundParts, noneParts, known);
        float[][] textVectors = new float[texts.size()][];
        for (int t = 0; t < texts.size(); t++) {
            textVectors[t] = cachedTexts[t] != null ? cachedTexts[t] : textRow[t] < 0 ? null : vectors[textRow[t]];
            if (textCache != null && textRow[t] >= 0) {
                textCache.put(Sha256.hex(texts.get(t)), textVectors[t]);
            }
        }
        return new RequestVectors(textVectors, labels.stream().map(l -> l.vector(prototypes)).toArray(float[][]::new),
                view.directions(), labels.stream().mapToDouble(LabelVector::offset).toArray(), view.calibration());
    }

    /** The labels' directions against the general topics, and the threshold: the label's, fitted or the default. */
    private record CatchAllView(float[][] directions, CatchAll.Calibration calibration) {
    }

    private CatchAllView catchAllView(LabelSpec catchAllLabel, List<LabelVector> labels,
            List<Map<String, String>> labelParts, List<Map<String, String>> backgroundParts,
            Map<String, String> noneParts, Map<String, float[]> known) {
        List<float[]> background = backgroundParts.stream().map(parts -> prototype(parts, known).named()).toList();
        List<float[]> none = noneParts.entrySet().stream().map(part -> vector(part, known)).toList();
        CatchAll.Calibration calibration = catchAll.forLabel(catchAllLabel);
        if (catchAllLabel.threshold().isEmpty()) {
            List<List<float[]>> examples = labelParts.stream().map(parts -> parts.entrySet().stream()
                    .filter(LabelParts::isExample).map(part -> vector(part, known)).toList()).toList();
            calibration = ExampleCalibration.threshold(labels, examples, background, none, catchAll.threshold())
                    .map(fitted -> new CatchAll.Calibration(fitted, catchAll.temperature())).orElse(calibration);
        }
        return new CatchAllView(LabelVector.directions(labels, background, none), calibration);
    }

    /** Cache key to text, for the parts not in the vector cache. */
    private Map<String, String> uncached(Stream<Map<String, String>> parts) {
        Map<String, String> missing = new LinkedHashMap<>();
        parts.forEach(part -> part.forEach((key, text) -> {
            if (vectorCache.getIfPresent(key) == null) {
                missing.put(key, text);
            }
        }));
        return missing;
    }

    /** @param parts the label's texts by cache key, as {@link LabelParts#of} gives them */
    private LabelVector prototype(Map<String, String> parts, Map<String, float[]> fresh) {
        List<float[]> hypothesis = new ArrayList<>();
        List<float[]> description = new ArrayList<>();
        List<float[]> examples = new ArrayList<>();
        for (Map.Entry<String, String> part : parts.entrySet()) {
            (LabelParts.isExample(part) ? examples : LabelParts.isDescription(part) ? description : hypothesis)
                    .add(vector(part, fresh));
        }
        // the templates' ensemble first, so a description weighs as much as all templates together
        float[] named = hypothesis.size() == 1 ? hypothesis.get(0) : LabelVector.mean(hypothesis);
        if (!description.isEmpty()) {
            named = LabelVector.mean(List.of(named, description.get(0)));
        }
        return new LabelVector(named, examples.isEmpty() ? null : LabelVector.mean(examples));
    }

    /** A part's vector: embedded by this request, else cached. */
    private float[] vector(Map.Entry<String, String> part, Map<String, float[]> fresh) {
        String key = part.getKey();
        float[] vector = fresh.containsKey(key) ? fresh.get(key) : vectorCache.getIfPresent(key);
        if (vector == null) {
            // Evicted between lookup and use by a concurrent request: embed it again, alone.
            vector = runner.run(List.of(tokenizer.encode(part.getValue())))[0];
            vectorCache.put(key, vector);
        }
        return vector;
    }

    /** Scores of every label of the command, the catch-all (if any) from the labels' directions. */
    private double[] score(float[] text, RequestVectors embedded, ClassifyCommand command) {
        double[] cosines = LabelVector.cosines(text, embedded.labels());
        if (command.catchAll().isEmpty()) {
            return score(cosines, command.multiLabel());
        }
        return CatchAll.scores(command.labels(), embedded.strengths(text),
                ScoreMath.softmax(cosines, temperature), embedded.calibration(), command.multiLabel());
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
