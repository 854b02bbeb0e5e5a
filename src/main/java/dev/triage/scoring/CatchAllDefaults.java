package dev.triage.scoring;

import java.util.Map;

/**
 * Each embedded model's catch-all threshold (cosine) when nothing is calibrated: cosines of different encoders
 * sit in different bands, so one number cannot serve all. Chosen on 20NG train splits (deploy/ACCURACY.md).
 */
public final class CatchAllDefaults {

    /** For a model measured nowhere (triage.model.dir): MiniLM's, the most common kind of sentence encoder. */
    static final double UNMEASURED = 0.15;

    private static final Map<String, Double> MEASURED = Map.of(
            "all-minilm-l6-v2-q", 0.15,
            "all-minilm-l6-v2", 0.15,
            "bge-small-en-v15-q", 0.5,
            "bge-small-en-v15", 0.5);

    private CatchAllDefaults() {
    }

    public static double threshold(String modelName) {
        return MEASURED.getOrDefault(modelName, UNMEASURED);
    }
}
