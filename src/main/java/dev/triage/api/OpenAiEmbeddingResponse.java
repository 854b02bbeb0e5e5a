package dev.triage.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's embedding list; {@code embedding} is a float array, or base64 of little-endian float32s. */
record OpenAiEmbeddingResponse(String object, List<Item> data, String model, Usage usage) {

    record Item(String object, int index, Object embedding) {
    }

    record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
    }
}
