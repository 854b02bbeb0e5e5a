package dev.triage.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.service.ClassificationRequest;
import dev.triage.service.RequestRules;
import dev.triage.service.TriageException;
import dev.triage.config.TriageConfig;
import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;

/**
 * The body of {@code POST /classify} and the data of a {@code triage.classify} event:
 * {@code {"texts": [...], "labels": [...], "hypothesisTemplate": "...", "multiLabel": false}}.
 * HF's own names ({@code candidate_labels}, {@code hypothesis_template}, {@code multi_label}) are accepted
 * too. Unknown fields are rejected: a misspelt option would otherwise silently change the answer.
 */
public final class ClassifyRequest {

    private static final Map<String, String> ALIASES = Map.of("candidate_labels", "labels", "hypothesis_template",
            "hypothesisTemplate", "multi_label", "multiLabel");
    private static final Set<String> FIELDS = Set.of("texts", "labels", "hypothesisTemplate", "multiLabel",
            "longText");
    private static final Set<String> LABEL_FIELDS = Set.of("name", "description", "examples");
    private ClassifyRequest() {
    }

    /** Binds and validates; every problem is a 400 naming the field. */
    public static ClassificationRequest from(JsonNode body, TriageConfig.Limits limits) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw TriageException.badInput(null, "request body is empty: expected {\"texts\": [...], \"labels\": [...]}");
        }
        if (!body.isObject()) {
            throw TriageException.badInput(null, "request body must be a JSON object, not " + kind(body));
        }
        JsonNode texts = null;
        JsonNode labels = null;
        JsonNode template = null;
        JsonNode multiLabel = null;
        JsonNode longText = null;
        Map<String, String> given = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = ALIASES.getOrDefault(field.getKey(), field.getKey());
            String before = given.put(name, field.getKey());
            if (before != null) {
                // "labels" and "candidate_labels" both: one would silently win
                throw TriageException.badInput(field.getKey(), "'" + before + "' and '" + field.getKey()
                        + "' are the same field; give it once");
            }
            switch (name) {
                case "texts" -> texts = field.getValue();
                case "labels" -> labels = field.getValue();
                case "hypothesisTemplate" -> template = field.getValue();
                case "multiLabel" -> multiLabel = field.getValue();
                case "longText" -> longText = field.getValue();
                default -> throw TriageException.badInput(field.getKey(),
                        "unknown field '" + field.getKey() + "'; fields are " + FIELDS);
            }
        }
        List<String> textList = strings("texts", texts, limits.maxTexts(), Integer.MAX_VALUE, false);
        List<LabelSpec> labelList = labels(labels, limits);
        Optional<String> hypothesis = Optional.empty();
        if (template != null && !template.isNull()) {
            if (!template.isTextual()) {
                throw TriageException.badInput("hypothesisTemplate", "must be a string, not " + kind(template));
            }
            RequestRules.template(template.asText());
            hypothesis = Optional.of(template.asText());
        }
        boolean multi = false;
        if (multiLabel != null && !multiLabel.isNull()) {
            if (!multiLabel.isBoolean()) {
                throw TriageException.badInput("multiLabel", "must be true or false, not " + kind(multiLabel));
            }
            multi = multiLabel.booleanValue();
        }
        LongText mode = LongText.TRUNCATE;
        if (longText != null && !longText.isNull()) {
            mode = switch (longText.isTextual() ? longText.asText() : "") {
                case "truncate" -> LongText.TRUNCATE;
                case "chunk" -> LongText.CHUNK;
                default -> throw TriageException.badInput("longText", "must be \"truncate\" or \"chunk\", not "
                        + (longText.isTextual() ? "'" + longText.asText() + "'" : kind(longText)));
            };
        }
        return new ClassificationRequest(textList, labelList, hypothesis, multi, mode);
    }

    /** Labels are names, or objects {"name", "description", "examples"} (few-shot). */
    private static List<LabelSpec> labels(JsonNode node, TriageConfig.Limits limits) {
        if (node == null || node.isNull()) {
            throw TriageException.badInput("labels", "'labels' is required: a non-empty array of strings");
        }
        if (!node.isArray()) {
            throw TriageException.badInput("labels", "'labels' must be an array of strings, not " + kind(node));
        }
        List<LabelSpec> specs = new ArrayList<>(node.size());
        ArrayNodeView names = new ArrayNodeView(node);
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String field = "labels[" + i + "]";
            if (!item.isObject()) {
                continue; // plain names are checked together below
            }
            for (Iterator<String> it = item.fieldNames(); it.hasNext();) {
                String name = it.next();
                if (!LABEL_FIELDS.contains(name)) {
                    throw TriageException.badInput(field + "." + name, "unknown field; a label object has "
                            + LABEL_FIELDS);
                }
            }
            names.replace(i, item.get("name"), field + ".name");
        }
        List<String> nameList = strings("labels", names.node(), limits.maxLabels(), limits.maxLabelChars(), true);
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isObject()) {
                specs.add(LabelSpec.plain(nameList.get(i)));
                continue;
            }
            String field = "labels[" + i + "]";
            Optional<String> description = Optional.empty();
            JsonNode d = item.get("description");
            if (d != null && !d.isNull()) {
                if (!d.isTextual() || d.asText().isBlank()) {
                    throw TriageException.badInput(field + ".description", "must be a non-blank string");
                }
                description = Optional.of(d.asText());
            }
            List<String> examples = List.of();
            JsonNode e = item.get("examples");
            if (e != null && !e.isNull()) {
                examples = strings(field + ".examples", e, limits.maxExamples(), Integer.MAX_VALUE, true);
            }
            specs.add(new LabelSpec(nameList.get(i), description, examples));
        }
        return specs;
    }

    /** The labels array with every object replaced by its name, so names are validated in one place. */
    private static final class ArrayNodeView {
        private final com.fasterxml.jackson.databind.node.ArrayNode copy;

        ArrayNodeView(JsonNode array) {
            this.copy = ((com.fasterxml.jackson.databind.node.ArrayNode) array).deepCopy();
        }

        void replace(int index, JsonNode name, String field) {
            if (name == null || name.isNull()) {
                throw TriageException.badInput(field, "a label object needs a \"name\"");
            }
            copy.set(index, name);
        }

        JsonNode node() {
            return copy;
        }
    }

    private static List<String> strings(String field, JsonNode node, int maxItems, int maxChars, boolean nonBlank) {
        if (node == null || node.isNull()) {
            throw TriageException.badInput(field, "'" + field + "' is required: a non-empty array of strings");
        }
        if (!node.isArray()) {
            throw TriageException.badInput(field, "'" + field + "' must be an array of strings, not " + kind(node));
        }
        if (node.isEmpty()) {
            throw TriageException.badInput(field, "'" + field + "' is empty; give at least one");
        }
        if (node.size() > maxItems) {
            throw TriageException.badInput(field, "'" + field + "' has " + node.size() + " items; the limit is "
                    + maxItems + " per request (split the batch)");
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw TriageException.badInput(field + "[" + i + "]", "must be a string, not " + kind(item));
            }
            String value = item.asText();
            if (nonBlank) {
                RequestRules.name(field + "[" + i + "]", value, maxChars);
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
