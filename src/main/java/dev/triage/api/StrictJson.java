package dev.triage.api;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Unremovable;

/**
 * The ObjectMapper Funqy copies (it takes the application's, if there is one) and the one the request checks
 * use: it rejects anything after the JSON value, where Jackson's default reads the first value and ignores
 * the rest, so {@code {...}{...}} or a body with trailing garbage would be answered as if it were fine.
 */
@Singleton
public class StrictJson {

    static final ObjectMapper MAPPER = create();

    static ObjectMapper create() {
        return new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    @Produces
    @Singleton
    @Unremovable // looked up by Funqy at start, never injected
    ObjectMapper objectMapper() {
        return create();
    }
}
