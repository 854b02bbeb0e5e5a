package dev.triage.model;

/**
 * One tokenized sequence, unpadded: every position is a real token (attention mask 1).
 *
 * @param ids token ids, specials included
 * @param typeIds segment ids (0 for the text, 1 for an NLI hypothesis)
 */
public record Encoded(long[] ids, long[] typeIds) {

    public int length() {
        return ids.length;
    }
}
