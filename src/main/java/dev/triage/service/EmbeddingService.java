package dev.triage.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.triage.config.TriageConfig;
import dev.triage.scoring.EmbeddingScorer;

/**
 * Sentence vectors for the embedding routes: the same serving stack, pool, limits, deadline, metrics and
 * overload answers as classification ({@link ClassificationService#onPool}).
 */
@ApplicationScoped
public class EmbeddingService {

    /** BERT's [CLS] and [SEP], which count against the model's max length. */
    private static final int SPECIAL_TOKENS = 2;

    /** What to embed. {@code field} is the request field the texts came in, for error messages. */
    public record EmbedCommand(List<String> texts, String field, boolean truncate) {
    }

    /** Unit-length vectors in input order, the model's name and the tokens it read. */
    public record Embeddings(String model, List<float[]> vectors, int tokens) {
    }

    @Inject
    Engine engine;

    @Inject
    ClassificationService classification;

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    /** The served model and limits; {@link TriageException.Kind#NOT_READY} until it is loaded. */
    public ServingInfo info() {
        return ServingInfo.of(engine.serving(Duration.ZERO), config);
    }

    public Embeddings embed(EmbedCommand command) {
        Stack stack = classification.servingAfterLoad();
        embedder(stack); // an NLI model is refused before its texts are checked
        List<String> texts = checked(command, stack);
        long start = System.nanoTime();
        Embeddings embeddings = embed(texts, stack);
        metrics.recordRequest(texts.size(), Duration.ofNanos(System.nanoTime() - start));
        return embeddings;
    }

    /** On the given stack, unbounded and unchecked (bench runs pools of other sizes; its texts are already cut). */
    public Embeddings embed(List<String> texts, Stack stack) {
        EmbeddingScorer embedder = embedder(stack);
        EmbeddingScorer.Embedded embedded = classification.onPool(() -> embedder.embed(texts));
        return new Embeddings(stack.model().spec().name(), List.of(embedded.vectors()), embedded.tokens());
    }

    private static EmbeddingScorer embedder(Stack stack) {
        String model = stack.model().spec().name();
        return stack.embedder().orElseThrow(() -> new TriageException(
                TriageException.Kind.WRONG_MODEL, "model", "model '" + model + "' is an NLI (cross-encoder) model: "
                        + "it scores text pairs and has no sentence vectors; serve an embedding model "
                        + "(triage.model.name=all-minilm-l6-v2-q or bge-small-en-v15-q) for embeddings", null));
    }

    /** The limits and text rules of classification; a text over max length only if the caller allows cutting. */
    private List<String> checked(EmbedCommand command, Stack stack) {
        RequestRules rules = classification.rules();
        String field = command.field();
        if (command.texts().isEmpty()) {
            throw TriageException.badInput(field, "`" + field + "` cannot be empty");
        }
        if (command.texts().size() > config.limits().maxTexts()) {
            throw new TriageException(TriageException.Kind.TOO_LARGE, field, "batch size " + command.texts().size()
                    + " > maximum allowed batch size " + config.limits().maxTexts() + " (split the batch)", null);
        }
        List<String> texts = new ArrayList<>(command.texts().size());
        int maxLength = stack.tokenizer().maxLength();
        for (int i = 0; i < command.texts().size(); i++) {
            String text = command.texts().get(i);
            String item = field + "[" + i + "]";
            if (text.isEmpty()) {
                throw TriageException.badInput(item, "`" + item + "` cannot be empty");
            }
            if (!RequestRules.wellFormed(text)) {
                throw TriageException.badInput(item, "`" + item + "` " + RequestRules.UNPAIRED_SURROGATE);
            }
            String cut = rules.cut(text);
            if (!command.truncate()) {
                int tokens = stack.tokenizer().countTokens(cut) + SPECIAL_TOKENS;
                if (tokens > maxLength) {
                    throw new TriageException(TriageException.Kind.TOO_LARGE, item, "`" + item
                            + "` must have less than " + maxLength + " tokens. Given: " + tokens
                            + " (send truncate: true to cut it)", null);
                }
            }
            texts.add(cut);
        }
        return texts;
    }
}
