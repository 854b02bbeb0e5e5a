package dev.triage.scoring;

import java.util.List;
import java.util.Optional;

/**
 * What to classify, already validated.
 *
 * @param texts the documents, in the order answers must come back
 * @param labels candidate labels, distinct by name; at most one of them a catch-all, and not only that one
 * @param templates hypotheses with {@code {}} where the label goes: one, or several whose vectors are averaged
 *        (an ensemble; embedding models)
 * @param multiLabel independent per-label probabilities instead of one distribution over the labels
 * @param longText truncate or chunk texts longer than the model reads
 */
public record ClassifyCommand(List<String> texts, List<LabelSpec> labels, List<String> templates, boolean multiLabel,
        LongText longText) {

    public ClassifyCommand {
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("a command needs a template");
        }
        templates = List.copyOf(templates);
    }

    /** Plain labels, truncation, one template. */
    public ClassifyCommand(List<String> texts, List<String> labelNames, String template, boolean multiLabel) {
        this(texts, labelNames.stream().map(LabelSpec::plain).toList(), List.of(template), multiLabel,
                LongText.TRUNCATE);
    }

    public List<String> labelNames() {
        return labels.stream().map(LabelSpec::name).toList();
    }

    /** The labels the model scores: all but the catch-all. */
    public List<LabelSpec> realLabels() {
        return labels.stream().filter(l -> !l.none()).toList();
    }

    public Optional<LabelSpec> catchAll() {
        return labels.stream().filter(LabelSpec::none).findFirst();
    }

    /** The label in every template, in the templates' order. */
    public List<String> hypotheses(String label) {
        return templates.stream().map(t -> t.replace("{}", label)).toList();
    }

    public ClassifyCommand withTexts(List<String> newTexts, LongText mode) {
        return new ClassifyCommand(newTexts, labels, templates, multiLabel, mode);
    }
}
