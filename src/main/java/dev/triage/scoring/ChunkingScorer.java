package dev.triage.scoring;

import java.util.ArrayList;
import java.util.List;

import dev.triage.model.TextTokenizer;

/**
 * {@code "longText": "chunk"}: a text longer than the model reads is cut into overlapping windows that each
 * fit (NLI: with room for the longest hypothesis), every window is scored like a text of its own, through the
 * same pool, and the window scores are aggregated per label: the mean for single-label (still a distribution),
 * the max for multi-label (a label is present if any part of the text shows it).
 *
 * @param pairs NLI: every window is encoded with a hypothesis, which must fit beside it
 * @param overlap tokens shared by neighbouring windows
 * @param maxWindows windows per text at most; the rest of a very long text is not read
 */
public record ChunkingScorer(ZeroShotScorer scorer, TextTokenizer tokenizer, boolean pairs, int overlap,
        int maxWindows) implements ZeroShotScorer.Wrapper {

    /** Calibration reads texts as the model does: truncated. */
    @Override
    public double[][] strengths(ClassifyCommand command) {
        return scorer.strengths(command.withTexts(command.texts(), LongText.TRUNCATE));
    }

    @Override
    public List<Classification> classify(ClassifyCommand command) {
        if (command.longText() != LongText.CHUNK) {
            return scorer.classify(command);
        }
        int budget = windowTokens(command);
        List<List<String>> perText = command.texts().stream().map(text -> text.isBlank() ? List.of(text)
                : tokenizer.windows(text, budget, overlap, maxWindows)).toList();
        List<Classification> scored = scorer.classify(
                command.withTexts(perText.stream().flatMap(List::stream).toList(), LongText.TRUNCATE));
        List<Classification> results = new ArrayList<>(perText.size());
        int first = 0;
        for (List<String> windows : perText) {
            results.add(aggregate(command, scored.subList(first, first + windows.size())));
            first += windows.size();
        }
        return results;
    }

    /** One text's answer from its windows' answers, aggregated per label. */
    private static Classification aggregate(ClassifyCommand command, List<Classification> windows) {
        List<String> labels = command.labelNames();
        double[] aggregate = new double[labels.size()];
        for (int w = 0; w < windows.size(); w++) {
            Classification window = windows.get(w);
            for (int l = 0; l < labels.size(); l++) {
                double score = window.scores().get(window.labels().indexOf(labels.get(l)));
                aggregate[l] = !command.multiLabel() ? aggregate[l] + score / windows.size()
                        : command.labels().get(l).none() ? Math.min(w == 0 ? 1 : aggregate[l], score)
                        : Math.max(aggregate[l], score); // none of the labels in any window: min of the catch-all
            }
        }
        return Classification.ranked(labels, aggregate);
    }

    /** Tokens of text per window: max length less the specials, and for NLI less the longest hypothesis. */
    private int windowTokens(ClassifyCommand command) {
        if (!pairs) {
            return tokenizer.maxLength() - 2;
        }
        int longestHypothesis = command.realLabels().stream()
                .flatMap(label -> command.hypotheses(label.name()).stream())
                .mapToInt(tokenizer::countTokens).max().orElse(0);
        return Math.max(16, tokenizer.maxLength() - 3 - longestHypothesis);
    }
}
