package dev.triage.scoring;

import java.util.Map;

/**
 * Each embedded model's catch-all threshold when nothing is calibrated (directions against {@link Background}
 * list {@value Background#VERSION}); encoders spread cosines differently. Measured on train data: deploy/ACCURACY.md.
 */
public final class CatchAllDefaults {

    /** For a model measured nowhere (triage.model.dir): MiniLM's, the most common kind of sentence encoder. */
    static final double UNMEASURED = 0.20;

    private static final Map<String, Double> MEASURED = Map.of(
            "all-minilm-l6-v2-q", 0.20,
            "all-minilm-l6-v2", 0.20,
            "bge-small-en-v15-q", 0.20,
            "bge-small-en-v15", 0.20);

    private CatchAllDefaults() {
    }

    public static double threshold(String modelName) {
        return MEASURED.getOrDefault(modelName, UNMEASURED);
    }
}
