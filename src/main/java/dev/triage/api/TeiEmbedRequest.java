package dev.triage.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * HF Text Embeddings Inference's {@code POST /embed} body. Unlike TEI (whose default is the server's
 * --auto-truncate, off), {@code truncate} defaults to true here; vectors are always unit length.
 */
record TeiEmbedRequest(JsonNode inputs, Boolean normalize, Boolean truncate,
        @JsonProperty("truncation_direction") String truncationDirection,
        @JsonProperty("prompt_name") String promptName, Integer dimensions) {
}
