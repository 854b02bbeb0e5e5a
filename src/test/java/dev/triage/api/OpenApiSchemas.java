package dev.triage.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import dev.triage.service.TriageException;
import dev.triage.service.TriageException.Kind;

/**
 * Compares an OpenAPI document's schemas with the classes the code binds: property names as Jackson sees them
 * (renames and aliases included), following nested records into the schemas the document refers to.
 */
final class OpenApiSchemas {

    private static final ObjectMapper MAPPER = StrictJson.create();
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String RESPONSES = "#/components/responses/";

    private final JsonNode doc;
    private final List<String> problems;

    OpenApiSchemas(JsonNode doc, List<String> problems) {
        this.doc = doc;
        this.problems = problems;
    }

    static String schemaOf(ErrorShape shape) {
        return switch (shape) {
            case TRIAGE -> "TriageError";
            case TEI -> "TeiError";
            case OPENAI -> "OpenAiError";
        };
    }

    /** The record's JSON properties (and, for requests, their aliases) must be the schema's, both ways. */
    void compare(Class<?> type, boolean reply, String schemaName, String where) {
        if (schemaName == null) {
            problems.add(where + ": " + type.getSimpleName() + " has no schema in the document");
            return;
        }
        JsonNode properties = doc.at("/components/schemas/" + schemaName + "/properties");
        Set<String> documented = new TreeSet<>();
        properties.fieldNames().forEachRemaining(documented::add);
        Set<String> bound = new TreeSet<>();
        for (BeanPropertyDefinition property : properties(type, reply)) {
            bound.add(property.getName());
            if (!reply) {
                property.findAliases().stream().map(PropertyName::getSimpleName).forEach(bound::add);
            }
            Class<?> nested = recordIn(property.getPrimaryType());
            JsonNode node = properties.path(property.getName());
            String ref = refNames(node).stream().findFirst().orElse(null);
            if (nested != null && !node.isMissingNode()) {
                compare(nested, reply, ref, where + "." + property.getName());
            } else if (nested == null && ref != null) {
                problems.add(where + "." + property.getName() + ": documented as " + ref + " but the code binds "
                        + property.getPrimaryType());
            }
        }
        if (!bound.equals(documented)) {
            problems.add(where + ": " + type.getName() + " binds " + bound + " but schema " + schemaName
                    + " has " + documented);
        }
    }

    /** The body each error shape writes, and the values of its enumerated members, against its schema. */
    void compareErrorShape(ErrorShape shape) {
        Map<String, Object> body = sample(shape, Kind.BAD_INPUT);
        String schema = schemaOf(shape);
        compareMap(body, schema, shape.name());
        if (shape == ErrorShape.TEI) {
            compareEnum(values(shape, "error_type"), schema + "/properties/error_type", shape.name());
        } else if (shape == ErrorShape.OPENAI) {
            compareEnum(values(shape, "code"), "OpenAiErrorBody/properties/code", shape.name());
            compareEnum(values(shape, "type"), "OpenAiErrorBody/properties/type", shape.name());
        }
    }

    @SuppressWarnings("unchecked")
    private void compareMap(Map<String, Object> body, String schemaName, String where) {
        JsonNode properties = doc.at("/components/schemas/" + schemaName + "/properties");
        Set<String> documented = new TreeSet<>();
        properties.fieldNames().forEachRemaining(documented::add);
        if (!new TreeSet<>(body.keySet()).equals(documented)) {
            problems.add(where + " error body has " + new TreeSet<>(body.keySet()) + ", schema " + schemaName + " "
                    + documented);
        }
        body.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                compareMap((Map<String, Object>) nested, refNames(properties.path(key)).stream().findFirst()
                        .orElse("(none)"), where + "." + key);
            }
        });
    }

    private void compareEnum(Set<String> values, String at, String where) {
        Set<String> documented = new TreeSet<>();
        doc.at("/components/schemas/" + at + "/enum").forEach(v -> {
            if (!v.isNull()) {
                documented.add(v.asText());
            }
        });
        if (!values.equals(documented)) {
            problems.add(where + ": the code answers " + values + " at " + at + ", documented " + documented);
        }
    }

    /** Every value a member of the shape's body takes, over every kind of failure (OpenAI's nested under error). */
    @SuppressWarnings("unchecked")
    private static Set<String> values(ErrorShape shape, String member) {
        Set<String> values = new TreeSet<>();
        for (Kind kind : Kind.values()) {
            Map<String, Object> body = sample(shape, kind);
            Object value = body.containsKey(member) ? body.get(member)
                    : ((Map<String, Object>) body.get("error")).get(member);
            if (value != null) {
                values.add(value.toString());
            }
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sample(ErrorShape shape, Kind kind) {
        TriageException e = new TriageException(kind, "texts[0]", "a problem", 1);
        return new LinkedHashMap<>((Map<String, Object>) shape.body(e, shape.status(kind)));
    }

    /** A response, its $ref resolved. */
    JsonNode response(JsonNode response) {
        String ref = response.path("$ref").asText("");
        return ref.startsWith(RESPONSES) ? doc.at("/components/responses/" + ref.substring(RESPONSES.length()))
                : response;
    }

    /** The schema a node refers to, directly or nowhere else (null if none). */
    String refName(JsonNode schema) {
        return refNames(schema).stream().findFirst().orElse(null);
    }

    /** Every schema a node refers to, anywhere inside it (oneOf, items, content). */
    static List<String> refNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.findValues("$ref").forEach(ref -> {
            if (ref.asText().startsWith(SCHEMAS)) {
                names.add(ref.asText().substring(SCHEMAS.length()));
            }
        });
        return names;
    }

    private static List<BeanPropertyDefinition> properties(Class<?> type, boolean reply) {
        JavaType javaType = MAPPER.constructType(type);
        BeanDescription description = reply ? MAPPER.getSerializationConfig().introspect(javaType)
                : MAPPER.getDeserializationConfig().introspect(javaType);
        return description.findProperties();
    }

    /** The record a property holds, alone or as a collection's elements; null for anything else. */
    private static Class<?> recordIn(JavaType type) {
        JavaType element = type.isContainerType() ? type.getContentType() : type;
        return element != null && element.getRawClass().isRecord() ? element.getRawClass() : null;
    }
}
