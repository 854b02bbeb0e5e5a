package dev.triage.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.config.TriageConfig;

/**
 * The body of {@code POST /classify} and the data of a {@code triage.classify} event:
 * {@code {"texts": [...], "labels": [...], "hypothesisTemplate": "...", "multiLabel": false}}.
 * HF's own names ({@code candidate_labels}, {@code hypothesis_template}, {@code multi_label}) are accepted
 * too. Unknown fields are rejected: a misspelt option would otherwise silently change the answer.
 */
public record ClassifyRequest(List<String> texts, List<String> labels, Optional<String> hypothesisTemplate,
        boolean multiLabel) {

    private static final Map<String, String> ALIASES = Map.of("candidate_labels", "labels", "hypothesis_template",
            "hypothesisTemplate", "multi_label", "multiLabel");
    private static final Set<String> FIELDS = Set.of("texts", "labels", "hypothesisTemplate", "multiLabel");

    /** Binds and validates; every problem is a 400 naming the field. */
    public static ClassifyRequest from(JsonNode body, TriageConfig.Limits limits) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ApiException.badRequest(null, "request body is empty: expected {\"texts\": [...], \"labels\": [...]}");
        }
        if (!body.isObject()) {
            throw ApiException.badRequest(null, "request body must be a JSON object, not " + kind(body));
        }
        JsonNode texts = null;
        JsonNode labels = null;
        JsonNode template = null;
        JsonNode multiLabel = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = ALIASES.getOrDefault(field.getKey(), field.getKey());
            switch (name) {
                case "texts" -> texts = field.getValue();
                case "labels" -> labels = field.getValue();
                case "hypothesisTemplate" -> template = field.getValue();
                case "multiLabel" -> multiLabel = field.getValue();
                default -> throw ApiException.badRequest(field.getKey(),
                        "unknown field '" + field.getKey() + "'; fields are " + FIELDS);
            }
        }
        List<String> textList = strings("texts", texts, limits.maxTexts(), Integer.MAX_VALUE, false);
        List<String> labelList = strings("labels", labels, limits.maxLabels(), limits.maxLabelChars(), true);
        Set<String> seen = new HashSet<>();
        for (String label : labelList) {
            if (!seen.add(label)) {
                throw ApiException.badRequest("labels", "label '" + label + "' appears twice");
            }
        }
        Optional<String> hypothesis = Optional.empty();
        if (template != null && !template.isNull()) {
            if (!template.isTextual()) {
                throw ApiException.badRequest("hypothesisTemplate", "must be a string, not " + kind(template));
            }
            if (!template.asText().contains("{}")) {
                throw ApiException.badRequest("hypothesisTemplate",
                        "must contain {} where the label goes, e.g. \"This example is about {}.\"");
            }
            hypothesis = Optional.of(template.asText());
        }
        boolean multi = false;
        if (multiLabel != null && !multiLabel.isNull()) {
            if (!multiLabel.isBoolean()) {
                throw ApiException.badRequest("multiLabel", "must be true or false, not " + kind(multiLabel));
            }
            multi = multiLabel.booleanValue();
        }
        List<String> cut = textList.stream()
                .map(t -> t.length() > limits.maxTextChars() ? t.substring(0, limits.maxTextChars()) : t).toList();
        return new ClassifyRequest(cut, labelList, hypothesis, multi);
    }

    private static List<String> strings(String field, JsonNode node, int maxItems, int maxChars, boolean nonBlank) {
        if (node == null || node.isNull()) {
            throw ApiException.badRequest(field, "'" + field + "' is required: a non-empty array of strings");
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(field, "'" + field + "' must be an array of strings, not " + kind(node));
        }
        if (node.isEmpty()) {
            throw ApiException.badRequest(field, "'" + field + "' is empty; give at least one");
        }
        if (node.size() > maxItems) {
            throw ApiException.badRequest(field, "'" + field + "' has " + node.size() + " items; the limit is "
                    + maxItems + " per request (split the batch)");
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw ApiException.badRequest(field + "[" + i + "]", "must be a string, not " + kind(item));
            }
            String value = item.asText();
            if (nonBlank && value.isBlank()) {
                throw ApiException.badRequest(field + "[" + i + "]", "is blank");
            }
            if (value.length() > maxChars) {
                throw ApiException.badRequest(field + "[" + i + "]", "has " + value.length()
                        + " characters; the limit is " + maxChars);
            }
            values.add(value);
        }
        return values;
    }

    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
