package dev.triage.scoring;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * One text's answer, as HF's zero-shot pipeline gives it: labels sorted by descending score (ties keep the
 * request's label order), scores aligned with them.
 */
public record Classification(List<String> labels, List<Double> scores) {

    public static Classification ranked(List<String> labels, double[] scores) {
        List<Integer> order = IntStream.range(0, labels.size()).boxed() // a stable sort: ties keep their order
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed()).toList();
        return new Classification(order.stream().map(labels::get).toList(),
                order.stream().map(i -> scores[i]).toList());
    }

    /** Per text, its ranked scores, or for null (a blank text) the blank answer. */
    static <T> List<Classification> perText(ClassifyCommand command, T[] texts, Function<T, double[]> scores) {
        return Arrays.stream(texts)
                .map(text -> text == null ? blank(command) : ranked(command.labelNames(), scores.apply(text))).toList();
    }

    /** A blank text's answer (empty or whitespace): no label is favoured, or with a catch-all, none matches. */
    private static Classification blank(ClassifyCommand command) {
        if (command.catchAll().isPresent()) {
            return ranked(command.labelNames(), CatchAll.blank(command.labels()));
        }
        double[] scores = new double[command.labels().size()];
        Arrays.fill(scores, command.multiLabel() ? 0.0 : 1.0 / scores.length);
        return ranked(command.labelNames(), scores);
    }

    public String top() {
        return labels.get(0);
    }
}
