package dev.triage.service;

import java.util.List;
import java.util.Optional;

import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;

/**
 * What a caller (HTTP, CloudEvent, command line) asks to classify, before {@link RequestRules} and the defaults
 * are applied.
 *
 * @param hypothesisTemplate empty: the configured default, else the model kind's
 */
public record ClassificationRequest(List<String> texts, List<LabelSpec> labels, Optional<String> hypothesisTemplate,
        boolean multiLabel, LongText longText) {

    /** Plain labels, truncation. */
    public static ClassificationRequest of(List<String> texts, List<String> labelNames, Optional<String> template,
            boolean multiLabel) {
        return new ClassificationRequest(texts, labelNames.stream().map(LabelSpec::plain).toList(), template,
                multiLabel, LongText.TRUNCATE);
    }

    public ClassificationRequest withTexts(List<String> newTexts) {
        return new ClassificationRequest(newTexts, labels, hypothesisTemplate, multiLabel, longText);
    }
}
