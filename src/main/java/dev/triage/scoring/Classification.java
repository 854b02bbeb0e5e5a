package dev.triage.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One text's answer, as HF's zero-shot pipeline gives it: labels sorted by descending score (ties keep the
 * request's label order), scores aligned with them.
 */
public record Classification(List<String> labels, List<Double> scores) {

    public static Classification ranked(List<String> labels, double[] scores) {
        Integer[] order = new Integer[labels.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        List<String> sortedLabels = new ArrayList<>(order.length);
        List<Double> sortedScores = new ArrayList<>(order.length);
        for (Integer i : order) {
            sortedLabels.add(labels.get(i));
            sortedScores.add(scores[i]);
        }
        return new Classification(List.copyOf(sortedLabels), List.copyOf(sortedScores));
    }

    /** A text with nothing to read (empty or whitespace): no label is favoured. */
    public static Classification uninformative(List<String> labels, boolean multiLabel) {
        double[] scores = new double[labels.size()];
        Arrays.fill(scores, multiLabel ? 0.0 : 1.0 / labels.size());
        return ranked(labels, scores);
    }

    /** A blank text's answer to a command: uninformative, or with a catch-all, none of the labels. */
    static Classification blank(ClassifyCommand command) {
        return command.catchAll().isEmpty() ? uninformative(command.labelNames(), command.multiLabel())
                : ranked(command.labelNames(), CatchAll.blank(command.labels()));
    }

    public String top() {
        return labels.get(0);
    }
}
