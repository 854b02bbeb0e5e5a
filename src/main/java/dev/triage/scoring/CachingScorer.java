package dev.triage.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Answers a text seen before with the same model, labels (with their descriptions and examples), template,
 * mode and long-text handling from memory. Bounded, with a time to live; off unless configured, since with
 * micro-batches larger than 1 a dynamically quantised model's scores depend slightly on batch neighbours, and
 * a cached answer would then differ from a recomputed one.
 */
public final class CachingScorer implements ZeroShotScorer.Wrapper {

    private record Key(String text, List<LabelSpec> labels, List<String> templates, boolean multiLabel,
            LongText longText) {
    }

    private final ZeroShotScorer scorer;
    private final Consumer<Boolean> lookedUp;
    private final Cache<Key, Classification> entries;

    /** @param lookedUp told, for every text looked up, whether it was found */
    public CachingScorer(ZeroShotScorer scorer, int size, Duration ttl, Consumer<Boolean> lookedUp) {
        this.scorer = scorer;
        this.lookedUp = lookedUp;
        this.entries = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(ttl).recordStats().build();
    }

    /** For metrics. */
    public Cache<?, ?> cache() {
        return entries;
    }

    @Override
    public ZeroShotScorer scorer() {
        return scorer;
    }

    @Override
    public List<Classification> classify(ClassifyCommand command) {
        List<String> texts = command.texts();
        Classification[] results = new Classification[texts.size()];
        List<Integer> missed = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            results[t] = entries.getIfPresent(key(command, texts.get(t)));
            lookedUp.accept(results[t] != null);
            if (results[t] == null) {
                missed.add(t);
            }
        }
        if (!missed.isEmpty()) {
            List<String> missedTexts = missed.stream().map(texts::get).toList();
            List<Classification> computed = scorer.classify(command.withTexts(missedTexts, command.longText()));
            for (int i = 0; i < missed.size(); i++) {
                results[missed.get(i)] = computed.get(i);
                entries.put(key(command, missedTexts.get(i)), computed.get(i));
            }
        }
        return List.of(results);
    }

    private static Key key(ClassifyCommand command, String text) {
        return new Key(text, command.labels(), command.templates(), command.multiLabel(), command.longText());
    }
}
