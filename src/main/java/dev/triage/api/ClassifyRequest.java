package dev.triage.api;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.triage.config.TriageConfig;
import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.RequestRules;
import dev.triage.service.TriageException;

/**
 * The body of {@code POST /classify} and the data of a {@code triage.classify} event:
 * {@code {"texts": [...], "labels": [...], "hypothesisTemplate": "...", "multiLabel": false}}, or
 * {@code "hypothesisTemplates": [...]} for an ensemble.
 * HF's own names ({@code candidate_labels}, {@code hypothesis_template}, {@code multi_label}) are accepted
 * too. Unknown fields are rejected: a misspelt option would otherwise silently change the answer.
 */
public final class ClassifyRequest {

    private static final Map<String, String> ALIASES = Map.of("candidate_labels", "labels", "hypothesis_template",
            "hypothesisTemplate", "hypothesis_templates", "hypothesisTemplates", "multi_label", "multiLabel");
    private static final List<String> FIELDS = List.of("texts", "labels", "hypothesisTemplate", "hypothesisTemplates",
            "multiLabel", "longText");
    private static final List<String> LABEL_FIELDS = List.of("name", "description", "examples", "none",
            "threshold");
    private static final ObjectReader READER = StrictJson.strictReader();

    record Body(@JsonSetter(contentNulls = Nulls.FAIL) List<String> texts,
            @JsonAlias("candidate_labels") @JsonSetter(contentNulls = Nulls.FAIL) List<Label> labels,
            @JsonAlias("hypothesis_template") String hypothesisTemplate,
            @JsonAlias("hypothesis_templates") @JsonSetter(contentNulls = Nulls.FAIL) List<String> hypothesisTemplates,
            @JsonAlias("multi_label") Boolean multiLabel, String longText) {
    }

    /**
     * A label is a name or an object {"name", "description", "examples"} (few-shot) or {"name", "none": true,
     * "threshold": 0.4}: the catch-all, which wins when none of the others matches (the threshold is what
     * {@code triage calibrate} prints). {@code none} and {@code threshold} stay raw so {@link #spec} names what is
     * wrong; what a catch-all may be (one at most, no description) is checked in {@link RequestRules}.
     */
    record Label(String name, String description, @JsonSetter(contentNulls = Nulls.FAIL) List<String> examples,
            JsonNode none, JsonNode threshold) {

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        Label {
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Label named(String name) {
            return new Label(name, null, null, null, null);
        }

        /**
         * The label's own shape; the rules on names, descriptions and counts are {@link RequestRules}'.
         *
         * @param field the label's position, e.g. {@code labels[2]}, for error messages
         */
        LabelSpec spec(String field, int maxExamples) {
            if (name == null) {
                throw TriageException.badInput(field + ".name", "a label object needs a \"name\"");
            }
            List<String> given = examples == null ? List.of() : examples;
            if (examples != null) {
                RequestRules.count(field + ".examples", examples.size(), maxExamples);
            }
            LabelSpec plain = new LabelSpec(name, Optional.ofNullable(description), given);
            if (none == null && threshold == null) {
                return plain;
            }
            if (none == null || !none.isBoolean()) {
                throw TriageException.badInput(field + ".none", none == null
                        ? "'threshold' is only for the catch-all label; add \"none\": true"
                        : "must be true or false, not " + JsonKind.of(none));
            }
            if (!none.booleanValue()) {
                if (threshold != null) {
                    throw TriageException.badInput(field + ".threshold",
                            "is only for the catch-all label (\"none\": true)");
                }
                return plain;
            }
            if (threshold != null && !threshold.isNull() && !threshold.isNumber()) {
                throw TriageException.badInput(field + ".threshold", "must be a number, not " + JsonKind.of(threshold));
            }
            OptionalDouble cut = threshold == null || threshold.isNull() ? OptionalDouble.empty()
                    : OptionalDouble.of(threshold.doubleValue());
            return new LabelSpec(name, plain.description(), given, true, cut);
        }
    }

    private ClassifyRequest() {
    }

    /** Binds and validates; every problem is a 400 naming the field. */
    public static ClassificationRequest from(JsonNode body, TriageConfig.Limits limits) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw TriageException.badInput(null,
                    "request body is empty: expected {\"texts\": [...], \"labels\": [...]}");
        }
        if (!body.isObject()) {
            throw TriageException.badInput(null, "request body must be a JSON object, not " + JsonKind.of(body));
        }
        checkNames(body);
        Body bound;
        try {
            bound = READER.treeToValue(body, Body.class);
        } catch (JsonMappingException e) {
            throw problem(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw TriageException.badInput(null, e.getOriginalMessage());
        }
        List<String> texts = required("texts", bound.texts());
        List<Label> labels = required("labels", bound.labels());
        List<LabelSpec> specs = IntStream.range(0, labels.size())
                .mapToObj(i -> labels.get(i).spec("labels[" + i + "]", limits.maxExamples())).toList();
        ClassificationRequest request = new ClassificationRequest(texts, specs, templates(bound),
                Boolean.TRUE.equals(bound.multiLabel()), longText(bound.longText()));
        new RequestRules(limits).check(request);
        return request;
    }

    /** One template, or an ensemble of several; not both fields. */
    private static List<String> templates(Body bound) {
        if (bound.hypothesisTemplate() != null && bound.hypothesisTemplates() != null) {
            throw TriageException.badInput("hypothesisTemplates", "give 'hypothesisTemplate' (one) or "
                    + "'hypothesisTemplates' (an ensemble), not both");
        }
        if (bound.hypothesisTemplates() != null) {
            if (bound.hypothesisTemplates().isEmpty()) {
                throw TriageException.badInput("hypothesisTemplates", "'hypothesisTemplates' is empty; give at least "
                        + "one, or leave it out for the default");
            }
            return List.copyOf(bound.hypothesisTemplates());
        }
        return Optional.ofNullable(bound.hypothesisTemplate()).stream().toList();
    }

    /** Jackson's aliases let the last of a field and its alias win silently; unknown names fail first. */
    private static void checkNames(JsonNode body) {
        Map<String, String> given = new HashMap<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String key = it.next();
            String name = ALIASES.getOrDefault(key, key);
            if (!FIELDS.contains(name)) {
                throw TriageException.badInput(key, "unknown field '" + key + "'; fields are " + FIELDS);
            }
            String before = given.put(name, key);
            if (before != null) {
                throw TriageException.badInput(key,
                        "'" + before + "' and '" + key + "' are the same field; give it once");
            }
        }
    }

    private static <T> List<T> required(String field, List<T> values) {
        if (values == null) {
            throw TriageException.badInput(field, "'" + field + "' is required: a non-empty array of strings");
        }
        return values;
    }

    private static LongText longText(String value) {
        return switch (value == null ? "truncate" : value) {
            case "truncate" -> LongText.TRUNCATE;
            case "chunk" -> LongText.CHUNK;
            default -> throw TriageException.badInput("longText",
                    "must be \"truncate\" or \"chunk\", not '" + value + "'");
        };
    }

    /** A binding failure as a 400 naming the field the way the rules do ("labels[0].examples[2]"). */
    private static TriageException problem(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        String last = null;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                last = ref.getFieldName();
                path.append(path.isEmpty() ? "" : ".").append(last);
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        String field = path.toString().replaceFirst("^(labels\\[\\d+])\\.name$", "$1");
        if (e instanceof UnrecognizedPropertyException) {
            return TriageException.badInput(field, "unknown field; a label object has " + LABEL_FIELDS);
        }
        String kind = JsonKind.of(e.getProcessor() instanceof JsonParser p ? p.currentToken() : null);
        String expected = switch (field.endsWith("]") ? "element" : last == null ? "" : last) {
            case "texts", "labels", "examples", "hypothesisTemplates" -> "'" + field + "' must be an array of strings";
            case "multiLabel" -> "must be true or false";
            case "longText" -> "must be \"truncate\" or \"chunk\"";
            default -> "must be a string";
        };
        return TriageException.badInput(field, expected + ", not " + kind);
    }
}
