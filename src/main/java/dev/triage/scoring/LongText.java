package dev.triage.scoring;

/** What happens to a text longer than the model's max length. */
public enum LongText {
    /** Keep the beginning (HF's behaviour). */
    TRUNCATE,
    /**
     * Score overlapping windows of max length and aggregate: mean of the window probabilities for
     * single-label, max per label for multi-label.
     */
    CHUNK
}
