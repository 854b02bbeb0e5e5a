package dev.triage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** quarkus.otel.sdk.disabled with the factory's source among the sources an application has. */
class OtelOffWithoutEndpointTest {

    /** An extension's default sits at the bottom, as Quarkus registers the defaults of its mappings. */
    static final Map<String, String> EXTENSION_DEFAULTS = Map.of(OtelOffWithoutEndpoint.SDK_DISABLED, "false",
            "quarkus.otel.exporter.otlp.endpoint", "http://localhost:4317");

    static boolean sdkDisabled(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(EXTENSION_DEFAULTS, "defaults", Integer.MIN_VALUE + 100))
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new OtelOffWithoutEndpoint())
                .withProfile("prod")
                .build();
        return config.getValue(OtelOffWithoutEndpoint.SDK_DISABLED, Boolean.class);
    }

    @Test
    void offWithoutAnEndpoint() {
        assertEquals(true, sdkDisabled(Map.of()));
        assertEquals(true, sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", " ")));
    }

    @Test
    void onWhenAnEndpointIsConfigured() {
        assertEquals(false, sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317")));
        assertEquals(false, sdkDisabled(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://c:4318")));
        assertEquals(false, sdkDisabled(Map.of("%prod.quarkus.otel.exporter.otlp.endpoint", "http://collector:4317")));
    }

    @Test
    void anExplicitSettingWins() {
        assertEquals(true, sdkDisabled(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317",
                OtelOffWithoutEndpoint.SDK_DISABLED, "true")));
        assertEquals(false, sdkDisabled(Map.of(OtelOffWithoutEndpoint.SDK_DISABLED, "false")));
    }
}
