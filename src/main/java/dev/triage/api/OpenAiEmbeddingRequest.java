package dev.triage.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** OpenAI's {@code POST /v1/embeddings} body; {@code model} is required (as OpenAI's is) but the served one answers. */
record OpenAiEmbeddingRequest(JsonNode input, String model, @JsonProperty("encoding_format") String encodingFormat,
        Integer dimensions, String user) {
}
