package dev.triage.service;

import java.util.Locale;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.triage.config.TriageConfig;
import dev.triage.model.ModelSpec;
import dev.triage.model.NativeSetup;

/**
 * What {@code GET /info} tells a client about the served model and its limits (TEI's /info is about the model too).
 * {@code quantized} is read from the model's name/file (the embedded "-q" models, HF's model_quantized.onnx).
 */
public record ServingInfo(String model, String kind, Integer dimensions, @JsonProperty("max_tokens") int maxTokens,
        String pooling, boolean quantized, Limits limits, int workers, String version,
        @JsonProperty("onnxruntime_version") String onnxRuntimeVersion) {

    public record Limits(@JsonProperty("max_texts") int maxTexts, @JsonProperty("max_labels") int maxLabels,
            @JsonProperty("max_text_chars") int maxTextChars, @JsonProperty("max_pairs") int maxPairs,
            @JsonProperty("max_batch_size") int maxBatchSize, @JsonProperty("max_batch_tokens") int maxBatchTokens,
            @JsonProperty("deadline_ms") long deadlineMillis) {
    }

    static ServingInfo of(Stack stack, TriageConfig config) {
        ModelSpec spec = stack.model().spec();
        boolean nli = stack.nli();
        TriageConfig.Limits limits = config.limits();
        return new ServingInfo(spec.name(), nli ? "nli" : "embedding",
                nli || stack.model().width() < 0 ? null : stack.model().width(), spec.maxLength(),
                nli ? null : spec.pooling().name().toLowerCase(Locale.ROOT),
                spec.name().endsWith("-q") || spec.onnxFile().getFileName().toString().contains("quantized"),
                new Limits(limits.maxTexts(), limits.maxLabels(), limits.maxTextChars(), limits.maxPairs(),
                        config.batch().maxSize(), config.batch().maxTokens(), config.batch().deadline().toMillis()),
                stack.pool().size(), ConfigProvider.getConfig().getOptionalValue("quarkus.application.version",
                        String.class).orElse("unknown"), NativeSetup.ortEnvironment().getVersion());
    }
}
