package dev.triage.scoring;

import java.util.Map;

/**
 * Each embedded model's catch-all threshold when nothing is calibrated: the cosine between a text and a label's
 * direction away from the general topics ({@link Background}, list {@value Background#VERSION}) at which the label
 * is as likely present as not. Encoders differ in how their cosines spread, so one number cannot serve all. Each
 * is the one cut that maximises the mean F1 of the 20 one-vs-rest tasks on a seeded 20NG train sample
 * (deploy/ACCURACY.md); never chosen on test data.
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
