package dev.triage.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import dev.triage.service.TriageException;

/** Reading an embedding request: its texts (a string or a list of strings), bounded before any tree is built. */
final class EmbedInputs {

    /** Values besides the texts that an embedding request may hold (its few options). */
    private static final int OTHER_VALUES = 64;

    private EmbedInputs() {
    }

    /**
     * Counts the items of the top-level array {@code field} while the body streams by ({@link BodyScan}): a
     * request over the limit is refused at the first item past it, before it becomes a tree.
     */
    static void scan(byte[] body, String field, int maxTexts) {
        scan(body, field, maxTexts, OTHER_VALUES);
    }

    /** @param otherValues JSON values the request may hold besides the texts; a null body is left to the binder */
    static void scan(byte[] body, String field, int maxTexts, int otherValues) {
        BodyScan.scan(body, maxTexts + (long) otherValues, (path, items) -> {
            if (path.equals(field) && items > maxTexts) {
                throw new TriageException(TriageException.Kind.TOO_LARGE, field, "batch size > maximum "
                        + "allowed batch size " + maxTexts + " (split the batch)", null);
            }
        });
    }

    /** A string or a non-empty list of strings; token-id arrays are refused. */
    static List<String> texts(JsonNode input, String field) {
        if (input == null || input.isNull()) {
            throw TriageException.badInput(field, "`" + field + "` is required: a string or a list of strings");
        }
        if (input.isTextual()) {
            return List.of(input.asText());
        }
        if (!input.isArray()) {
            throw TriageException.badInput(field, "`" + field + "` must be a string or a list of strings, not "
                    + JsonKind.of(input));
        }
        List<String> texts = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (!item.isTextual()) {
                String at = field + "[" + i + "]";
                throw TriageException.badInput(at, "`" + at + "` must be a string, not "
                        + JsonKind.of(item) + (item.isNumber() || item.isArray()
                                ? " (token-id input is not supported: send text)" : ""));
            }
            texts.add(item.asText());
        }
        return texts;
    }

    /** Binds a request record, naming the field Jackson stumbled on. */
    static <T> T bind(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw TriageException.badInput(null, "request body is empty: expected a JSON object");
        }
        try {
            T request = StrictJson.MAPPER.readValue(body, type);
            if (request == null) {
                throw TriageException.badInput(null, "request body must be a JSON object, not null");
            }
            return request;
        } catch (UnrecognizedPropertyException e) {
            throw TriageException.badInput(e.getPropertyName(), "unknown field '" + e.getPropertyName()
                    + "' (known: " + e.getKnownPropertyIds() + ")");
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().getLast().getFieldName();
            throw TriageException.badInput(field, (field == null ? "request body" : "`" + field + "`")
                    + " has the wrong type: " + StrictJson.problem(e));
        } catch (IOException e) {
            throw TriageException.badInput(null, "request body is not valid JSON: " + StrictJson.problem(e));
        }
    }
}
