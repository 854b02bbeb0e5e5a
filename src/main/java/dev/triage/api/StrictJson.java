package dev.triage.api;

import java.io.IOException;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import dev.triage.service.TriageException;
import io.quarkus.arc.Unremovable;

/**
 * The ObjectMapper Funqy copies (it takes the application's, if there is one) and the one the request checks
 * use: it rejects anything after the JSON value (Jackson's default ignores it, so {@code {...}{...}} would pass),
 * a key given twice (the default lets the last win silently), and nesting deeper than any request needs.
 */
@Singleton
public class StrictJson {

    static final ObjectMapper MAPPER = create();

    /** A request nests at most four levels (body, labels, label object, examples); events add one. */
    static final int MAX_NESTING_DEPTH = 16;
    private static final int MAX_PROBLEM_CHARS = 300;

    static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** For request records: unknown fields fail, and no coercion (Jackson would read 1 as "1", "true" as true). */
    static ObjectReader strictReader() {
        var mapper = create().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return mapper.reader();
    }

    /** Reads a body whole; malformed JSON is a 400 saying what is wrong and where. */
    static JsonNode readTree(byte[] body, String what) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw TriageException.badInput(null, what + " is not valid JSON: " + problem(e));
        }
    }

    /** Jackson's own message and where, without its "[Source: ...]" suffix; cut short (it may quote the input). */
    static String problem(IOException e) {
        String problem = String.valueOf(e.getMessage());
        if (e instanceof JsonProcessingException json) {
            JsonLocation at = json.getLocation();
            problem = json.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ", "[").strip()
                    + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column "
                            + at.getColumnNr() + ")");
        }
        return problem.length() > MAX_PROBLEM_CHARS ? problem.substring(0, MAX_PROBLEM_CHARS) + "..." : problem;
    }

    @Produces
    @Singleton
    @Unremovable // looked up by Funqy at start, never injected
    ObjectMapper objectMapper() {
        return create();
    }
}
