package dev.triage.api;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    @Produces
    @Singleton
    @Unremovable // looked up by Funqy at start, never injected
    ObjectMapper objectMapper() {
        return create();
    }
}
