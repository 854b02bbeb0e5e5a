package dev.triage.config;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Tracing is off unless an OTLP endpoint is configured: a config source, below application.properties and the
 * environment, sets {@code quarkus.otel.sdk.disabled} to true when neither
 * {@code quarkus.otel.exporter.otlp[.traces].endpoint} is set by a real source (properties, env, system
 * properties), so the SDK records and exports nothing. Setting {@code quarkus.otel.sdk.disabled} anywhere wins.
 */
public class OtelOffWithoutEndpoint implements ConfigSourceFactory {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String[] ENDPOINTS = { "quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint" };
    /** Above the extensions' defaults, below every source a user writes (application.properties is 250). */
    static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = Stream.of(ENDPOINTS).anyMatch(key -> setByUser(context.getValue(key)));
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, Boolean.toString(!endpoint)),
                "tracing off without an OTLP endpoint", ORDINAL));
    }

    /** Defaults (the extensions' own, ordinal at the very bottom) do not count as configured. */
    private static boolean setByUser(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() > ORDINAL;
    }
}
