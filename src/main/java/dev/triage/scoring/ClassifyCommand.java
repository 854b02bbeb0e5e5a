package dev.triage.scoring;

import java.util.List;

/**
 * What to classify, already validated.
 *
 * @param texts the documents, in the order answers must come back
 * @param labels candidate labels, distinct
 * @param template hypothesis with {@code {}} where the label goes
 * @param multiLabel independent per-label probabilities instead of one distribution over the labels
 */
public record ClassifyCommand(List<String> texts, List<String> labels, String template, boolean multiLabel) {

    public String hypothesis(String label) {
        return template.replace("{}", label);
    }

    static boolean blank(String text) {
        return text.isBlank();
    }
}
