package dev.triage.api;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;

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

    static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        return new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** For request records: unknown fields fail, and coercions are off: Jackson's defaults would read 1 as "1" and "true" as true. */
    static ObjectReader strictReader() {
        var mapper = create().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Textual)
                .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return mapper.reader();
    }

    @Produces
    @Singleton
    @Unremovable // looked up by Funqy at start, never injected
    ObjectMapper objectMapper() {
        return create();
    }
}
