package dev.triage.scoring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a text seen before with the same model, labels (with their descriptions and examples), template,
 * mode and long-text handling from memory. Bounded LRU with a time to live; off unless configured, since with
 * micro-batches larger than 1 a dynamically quantised model's scores depend slightly on batch neighbours, and
 * a cached answer would then differ from a recomputed one.
 */
public final class CachingScorer implements ZeroShotScorer {

    /** Told about every text looked up. */
    public interface Listener {
        void lookedUp(boolean hit);
    }

    private record Key(String text, List<LabelSpec> labels, String template, boolean multiLabel, LongText longText) {
    }

    private record Cached(Classification result, long expiresAtNanos) {
    }

    private final ZeroShotScorer scorer;
    private final long ttlNanos;
    private final Listener listener;
    private final Map<Key, Cached> entries;

    public CachingScorer(ZeroShotScorer scorer, int size, Duration ttl, Listener listener) {
        this.scorer = scorer;
        this.ttlNanos = ttl.toNanos();
        this.listener = listener;
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > size;
            }
        };
    }

    @Override
    public String defaultTemplate() {
        return scorer.defaultTemplate();
    }

    @Override
    public double[][] strengths(ClassifyCommand command) {
        return scorer.strengths(command);
    }

    @Override
    public List<String> notes(ClassifyCommand command) {
        return scorer.notes(command);
    }

    @Override
    public List<Classification> classify(ClassifyCommand command) {
        List<String> texts = command.texts();
        Classification[] results = new Classification[texts.size()];
        List<Integer> missed = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (entries) {
            for (int t = 0; t < texts.size(); t++) {
                Cached entry = entries.get(key(command, texts.get(t)));
                boolean hit = entry != null && entry.expiresAtNanos() - now > 0;
                listener.lookedUp(hit);
                if (hit) {
                    results[t] = entry.result();
                } else {
                    missed.add(t);
                }
            }
        }
        if (!missed.isEmpty()) {
            List<String> missedTexts = missed.stream().map(texts::get).toList();
            List<Classification> computed = scorer.classify(command.withTexts(missedTexts, command.longText()));
            long expires = System.nanoTime() + ttlNanos;
            synchronized (entries) {
                for (int i = 0; i < missed.size(); i++) {
                    results[missed.get(i)] = computed.get(i);
                    entries.put(key(command, missedTexts.get(i)), new Cached(computed.get(i), expires));
                }
            }
        }
        return List.of(results);
    }

    private static Key key(ClassifyCommand command, String text) {
        return new Key(text, command.labels(), command.template(), command.multiLabel(), command.longText());
    }
}
