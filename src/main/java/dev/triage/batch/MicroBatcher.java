package dev.triage.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import dev.triage.model.Encoded;

/**
 * Groups sequences into micro-batches of similar length, longest first: padding (which costs as much as real
 * tokens) stays small, and the longest work starts first so the cores finish together.
 */
public record MicroBatcher(int maxSize, int maxTokens) {

    public MicroBatcher {
        if (maxSize < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("micro-batch limits must be >= 1");
        }
    }

    /** @return groups of indices into {@code sequences}; every index appears exactly once */
    public List<int[]> plan(List<Encoded> sequences) {
        Integer[] order = new Integer[sequences.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> sequences.get(i).length()).reversed());
        List<int[]> groups = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int longest = Math.max(1, sequences.get(order[start]).length());
            int end = start + 1;
            while (end < order.length && end - start < maxSize && (end - start + 1) * longest <= maxTokens) {
                end++;
            }
            groups.add(Arrays.stream(order, start, end).mapToInt(Integer::intValue).toArray());
            start = end;
        }
        return groups;
    }
}
