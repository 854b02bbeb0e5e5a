package dev.triage.scoring;

import java.util.List;

/**
 * What to classify, already validated.
 *
 * @param texts the documents, in the order answers must come back
 * @param labels candidate labels, distinct by name
 * @param template hypothesis with {@code {}} where the label goes
 * @param multiLabel independent per-label probabilities instead of one distribution over the labels
 * @param longText truncate or chunk texts longer than the model reads
 */
public record ClassifyCommand(List<String> texts, List<LabelSpec> labels, String template, boolean multiLabel,
        LongText longText) {

    /** Plain labels, truncation. */
    public ClassifyCommand(List<String> texts, List<String> labelNames, String template, boolean multiLabel) {
        this(texts, labelNames.stream().map(LabelSpec::plain).toList(), template, multiLabel, LongText.TRUNCATE);
    }

    public List<String> labelNames() {
        return labels.stream().map(LabelSpec::name).toList();
    }

    public String hypothesis(String label) {
        return template.replace("{}", label);
    }

    public ClassifyCommand withTexts(List<String> newTexts, LongText mode) {
        return new ClassifyCommand(newTexts, labels, template, multiLabel, mode);
    }
}
