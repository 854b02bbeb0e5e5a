package dev.triage.scoring;

/** What happens to a text longer than the model's max length. */
public enum LongText {
    /** Keep the beginning (HF's behaviour). */
    TRUNCATE,
    /** Score overlapping windows of max length and aggregate them ({@link ChunkingScorer}). */
    CHUNK
}
