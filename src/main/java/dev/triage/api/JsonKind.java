package dev.triage.api;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

/** What a JSON value is, as error messages name it ("must be a string, not a number"). */
final class JsonKind {

    private JsonKind() {
    }

    static String of(JsonNode node) {
        return of(node.asToken());
    }

    static String of(JsonToken token) {
        return token == null ? "null" : switch (token) {
            case START_ARRAY, END_ARRAY -> "an array";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "null";
        };
    }
}
