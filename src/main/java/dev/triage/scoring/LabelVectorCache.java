package dev.triage.scoring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Embeddings of label hypotheses, which repeat across requests, keyed by the hypothesis text. Bounded LRU:
 * label sets come from clients and must not grow memory without limit.
 */
final class LabelVectorCache {

    private final Map<String, float[]> vectors;

    LabelVectorCache(int capacity) {
        this.vectors = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized float[] get(String hypothesis) {
        return vectors.get(hypothesis);
    }

    synchronized void put(String hypothesis, float[] vector) {
        vectors.put(hypothesis, vector);
    }

    synchronized int size() {
        return vectors.size();
    }
}
