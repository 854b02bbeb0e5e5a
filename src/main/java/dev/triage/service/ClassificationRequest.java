package dev.triage.service;

import java.util.List;
import java.util.Optional;

import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;

/**
 * What a caller (HTTP, CloudEvent, command line) asks to classify, before {@link RequestRules} and the defaults
 * are applied.
 *
 * @param hypothesisTemplates empty: the configured default, else the model kind's; more than one: an ensemble
 *        (each label's hypotheses averaged in vector space; embedding models only)
 */
public record ClassificationRequest(List<String> texts, List<LabelSpec> labels, List<String> hypothesisTemplates,
        boolean multiLabel, LongText longText) {

    /** Plain labels, truncation, at most one template. */
    public static ClassificationRequest of(List<String> texts, List<String> labelNames, Optional<String> template,
            boolean multiLabel) {
        return new ClassificationRequest(texts, labelNames.stream().map(LabelSpec::plain).toList(),
                template.stream().toList(), multiLabel, LongText.TRUNCATE);
    }

    public ClassificationRequest withTexts(List<String> newTexts) {
        return new ClassificationRequest(newTexts, labels, hypothesisTemplates, multiLabel, longText);
    }
}
