package dev.triage.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** HF Inference API's zero-shot body: {@code inputs} a string or a list, the labels under {@code parameters}. */
record HfZeroShotRequest(JsonNode inputs, Parameters parameters) {

    record Parameters(@JsonProperty("candidate_labels") List<String> candidateLabels,
            @JsonProperty("multi_label") Boolean multiLabel,
            @JsonProperty("hypothesis_template") String hypothesisTemplate) {
    }
}
