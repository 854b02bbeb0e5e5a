package dev.triage.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * Zero-shot with a sentence encoder: cosine between the text's vector and each label's ({@link LabelVector}).
 * Single-label: softmax(cosine / temperature) over the labels. Multi-label: for each label on its own,
 * sigmoid((cosine - threshold) / temperature). Label part vectors are cached across requests (bounded).
 * <p>
 * With a catch-all label, a label's strength is the text's cosine with the label's direction away from the general
 * topics ({@link Background}), less an offset for a few-shot label; the real labels' distribution stays the softmax
 * of cosines.
 */
public final class EmbeddingScorer implements ZeroShotScorer {

    /** How label vectors are weighted from their parts. */
    public record Prototypes(double hypothesisWeight, double exampleWeight) {
    }

    /** Sentence vectors with the number of tokens the model read for them. */
    public record Embedded(float[][] vectors, int tokens) {
    }

    /**
     * Text vectors (null: blank), the real labels with their vectors and, with a catch-all, their directions and
     * the catch-all's calibration.
     */
    private record RequestVectors(float[][] texts, List<LabelVector> labels, float[][] vectors, float[][] directions,
            CatchAll.Calibration calibration) {

        /** With a catch-all, the cosines with the labels' directions less their offsets; else plain cosines. */
        double[] strengths(float[] text) {
            return directions == null ? LabelVector.cosines(text, vectors)
                    : LabelVector.strengths(text, directions, labels);
        }
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
        return Classification.perText(command, embedded.texts(), text -> score(text, embedded, command));
    }

    @Override
    public double[][] strengths(ClassifyCommand command) {
        RequestVectors embedded = vectors(command);
        return Arrays.stream(embedded.texts()).map(text -> text == null ? null : embedded.strengths(text))
                .toArray(double[][]::new);
    }

    private RequestVectors vectors(ClassifyCommand command) {
        List<Map<String, String>> labelParts = command.realLabels().stream().map(l -> LabelVector.parts(l, command))
                .toList();
        List<Map<String, String>> backgroundParts = command.catchAll().isEmpty() ? List.of()
                : Background.TOPICS.stream().map(topic -> LabelVector.parts(LabelSpec.plain(topic), command)).toList();
        Map<String, String> noneParts = command.catchAll().map(LabelVector::exampleParts).orElse(Map.of());
        Map<String, float[]> partVectors = new HashMap<>();
        float[][] texts = embed(command.texts(), Stream.of(labelParts.stream(), backgroundParts.stream(),
                Stream.of(noneParts)).flatMap(stream -> stream), partVectors);
        List<LabelVector> labels = labelParts.stream().map(label -> LabelVector.of(label, partVectors)).toList();
        float[][] labelVectors = labels.stream().map(l -> l.vector(prototypes)).toArray(float[][]::new);
        if (command.catchAll().isEmpty()) {
            return new RequestVectors(texts, labels, labelVectors, null, null);
        }
        List<float[]> background = backgroundParts.stream().map(topic -> LabelVector.of(topic, partVectors).named())
                .toList();
        List<float[]> none = noneParts.keySet().stream().map(partVectors::get).toList();
        return new RequestVectors(texts, labels, labelVectors, LabelVector.directions(labels, background, none),
                calibration(command.catchAll().get(), labels, labelParts, background, none, partVectors));
    }

    /**
     * The texts' vectors (null: blank), and into {@code partVectors} every label part's by cache key: what the caches
     * lack is embedded in one pool run, texts first.
     */
    private float[][] embed(List<String> texts, Stream<Map<String, String>> labelParts,
            Map<String, float[]> partVectors) {
        Map<String, String> missing = new LinkedHashMap<>();
        labelParts.forEach(parts -> parts.forEach((key, text) -> {
            float[] cached = vectorCache.getIfPresent(key);
            if (cached != null) {
                partVectors.put(key, cached);
            } else {
                missing.put(key, text);
            }
        }));
        float[][] textVectors = new float[texts.size()][];
        List<Integer> toEmbed = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            textVectors[t] = textCache == null ? null : textCache.getIfPresent(Sha256.hex(texts.get(t)));
            if (textVectors[t] == null && !texts.get(t).isBlank()) {
                toEmbed.add(t);
            }
        }
        float[][] vectors = runner.run(Stream.concat(toEmbed.stream().map(texts::get), missing.values().stream())
                .map(tokenizer::encode).toList());
        for (int i = 0; i < toEmbed.size(); i++) {
            textVectors[toEmbed.get(i)] = vectors[i];
            if (textCache != null) {
                textCache.put(Sha256.hex(texts.get(toEmbed.get(i))), vectors[i]);
            }
        }
        int row = toEmbed.size();
        for (String key : missing.keySet()) {
            partVectors.put(key, vectors[row]);
            vectorCache.put(key, vectors[row++]);
        }
        return textVectors;
    }

    /** The catch-all label's own threshold, else one fitted on the request's examples, else the default. */
    private CatchAll.Calibration calibration(LabelSpec catchAllLabel, List<LabelVector> labels,
            List<Map<String, String>> labelParts, List<float[]> background, List<float[]> none,
            Map<String, float[]> partVectors) {
        if (catchAllLabel.threshold().isPresent()) {
            return catchAll.forLabel(catchAllLabel);
        }
        List<List<float[]>> examples = labelParts.stream().map(parts -> parts.keySet().stream()
                .filter(LabelVector::isExample).map(partVectors::get).toList()).toList();
        return ExampleCalibration.threshold(labels, examples, background, none, catchAll.threshold())
                .map(fitted -> new CatchAll.Calibration(fitted, catchAll.temperature())).orElse(catchAll);
    }

    /** Scores of every label of the command, the catch-all (if any) from the labels' directions. */
    private double[] score(float[] text, RequestVectors embedded, ClassifyCommand command) {
        double[] cosines = LabelVector.cosines(text, embedded.vectors());
        if (command.catchAll().isPresent()) {
            return CatchAll.scores(command.labels(), embedded.strengths(text), ScoreMath.softmax(cosines, temperature),
                    embedded.calibration(), command.multiLabel());
        }
        return !command.multiLabel() ? ScoreMath.softmax(cosines, temperature)
                : Arrays.stream(cosines).map(cosine -> ScoreMath.sigmoid((cosine - threshold) / temperature)).toArray();
    }
}
