package dev.triage.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.triage.model.OnnxWire.Field;

import static dev.triage.model.OnnxGraph.*;

/**
 * One NodeProto of a graph as read, its bytes kept in {@code field}.
 *
 * @param attributes AttributeProto messages by name
 */
record OnnxNode(Field field, List<String> inputs, List<String> outputs, String name, String opType, String domain,
        Map<String, Field> attributes, boolean hasSubgraph) {

    boolean is(String type) {
        return opType.equals(type) && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    boolean isContrib(String type) {
        return opType.equals(type) && domain.equals(CONTRIB_DOMAIN);
    }

    String input(int index) {
        return index < inputs.size() ? inputs.get(index) : "";
    }

    Optional<Long> intAttribute(String attribute) {
        return attributeField(attribute, ATTR_I).map(Field::value);
    }

    Optional<Float> floatAttribute(String attribute) {
        return attributeField(attribute, ATTR_F).map(Field::floatValue);
    }

    Optional<long[]> intsAttribute(String attribute) {
        Field message = attributes.get(attribute);
        if (message == null) {
            return Optional.empty();
        }
        List<Long> values = new ArrayList<>();
        for (Field f : OnnxWire.fields(message.payload())) {
            if (f.number() == ATTR_INTS) {
                values.addAll(f.varints());
            }
        }
        return Optional.of(values.stream().mapToLong(Long::longValue).toArray());
    }

    private Optional<Field> attributeField(String attribute, int number) {
        Field message = attributes.get(attribute);
        return message == null ? Optional.empty()
                : OnnxWire.fields(message.payload()).stream().filter(f -> f.number() == number).findFirst();
    }

    static OnnxNode read(Field field) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Field> attributes = new HashMap<>();
        String name = "";
        String opType = "";
        String domain = "";
        boolean subgraph = false;
        for (Field f : OnnxWire.fields(field.payload())) {
            switch (f.number()) {
                case NODE_INPUT -> inputs.add(f.string());
                case NODE_OUTPUT -> outputs.add(f.string());
                case NODE_NAME -> name = f.string();
                case NODE_OP_TYPE -> opType = f.string();
                case NODE_DOMAIN -> domain = f.string();
                case NODE_ATTRIBUTE -> {
                    String attributeName = "";
                    for (Field a : OnnxWire.fields(f.payload())) {
                        if (a.number() == ATTR_NAME) {
                            attributeName = a.string();
                        } else if (a.number() == ATTR_G || a.number() == ATTR_GRAPHS) {
                            subgraph = true;
                        }
                    }
                    attributes.put(attributeName, f);
                }
                default -> {
                }
            }
        }
        return new OnnxNode(field, inputs, outputs, name, opType, domain, attributes, subgraph);
    }
}
