package dev.triage.service;

import java.util.ArrayList;
import java.util.List;

import dev.triage.batch.Admission;
import dev.triage.config.TriageConfig;
import dev.triage.scoring.ClassifyCommand;
import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;

/** A request's work and memory as {@link Admission} counts them, and the bounds from the configuration. */
final class AdmissionEstimate {

    /** Default work bound per worker: ~10 s of tokens on one core of this class (PERFORMANCE.md's ~26k/s on 2). */
    static final long TOKENS_PER_WORKER = 131_072;
    /** Default memory bound: this share of the maximum heap. */
    static final double HEAP_SHARE = 0.5;
    /** An embedding of up to 512 floats kept per sequence until the request's answer is built. */
    static final int OUTPUT_BYTES = 2048;

    private AdmissionEstimate() {
    }

    static Admission admission(Stack stack, TriageConfig config) {
        long bytes = config.admission().maxBytes() > 0 ? config.admission().maxBytes()
                : (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE);
        return new Admission(workTokens(config, stack.pool().size()), bytes, stack.pool()::retryAfterSeconds);
    }

    /** triage.admission.max-work-tokens, else {@link #TOKENS_PER_WORKER} per worker. */
    static long workTokens(TriageConfig config, int workers) {
        long configured = config.admission().maxWorkTokens();
        return configured > 0 ? configured : TOKENS_PER_WORKER * workers;
    }

    static Admission.Work of(ClassifyCommand command, Stack stack, TriageConfig config) {
        int maxTokens = stack.tokenizer().maxLength();
        int windows = command.longText() == LongText.CHUNK ? config.scoring().maxChunks() : 1;
        Admission.Work texts = Admission.Work.of(command.texts(), maxTokens, windows, OUTPUT_BYTES);
        List<String> labelTexts = new ArrayList<>();
        for (LabelSpec label : command.labels()) {
            labelTexts.add(label.name());
            label.description().ifPresent(labelTexts::add);
            labelTexts.addAll(label.examples());
        }
        Admission.Work labels = Admission.Work.of(labelTexts, maxTokens, 1, OUTPUT_BYTES);
        return stack.nli() ? texts.times(command.labels().size()).plus(labels) : texts.plus(labels);
    }
}
