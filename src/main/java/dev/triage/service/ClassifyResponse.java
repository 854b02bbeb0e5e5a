package dev.triage.service;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.triage.scoring.Classification;

/**
 * The answer: the model that produced it and one result per text, in the request's order, each with the labels
 * sorted by descending score; notes (omitted when there are none) say how the request was treated, e.g. which
 * options a model ignored.
 */
public record ClassifyResponse(String model, List<Classification> results,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes) {
}
