package dev.triage.service;

import dev.triage.config.TriageConfig;

/** Request limits for unit tests, without booting the application's configuration. */
public record TestLimits(int maxTexts, int maxLabels, int maxLabelChars, int maxTextChars, int maxExamples,
        int maxPairs) implements TriageConfig.Limits {

    /** The shipped defaults. */
    public static TestLimits defaults() {
        return new TestLimits(2048, 100, 200, 100_000, 64, 8192);
    }
}
