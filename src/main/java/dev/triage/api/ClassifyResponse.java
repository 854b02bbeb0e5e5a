package dev.triage.api;

import java.util.List;

import dev.triage.scoring.Classification;

/**
 * The answer: the model that produced it and one result per text, in the request's order, each with the labels
 * sorted by descending score.
 */
public record ClassifyResponse(String model, List<Classification> results) {
}
