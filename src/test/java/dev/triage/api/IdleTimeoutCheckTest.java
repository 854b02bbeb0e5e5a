package dev.triage.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The idle timeout must outlast a request being served, or its connection is closed unanswered. */
class IdleTimeoutCheckTest {

    @Test
    void anIdleTimeoutThatCouldCutARequestBeingServedIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> UploadTimeout.requireIdleTimeoutAboveServing(Duration.ofSeconds(150), Duration.ofSeconds(120)));
        assertTrue(refused.getMessage().contains("quarkus.http.idle-timeout")
                && refused.getMessage().contains("triage.batch.deadline"), refused.getMessage());
        assertDoesNotThrow(() -> UploadTimeout.requireIdleTimeoutAboveServing(Duration.ofSeconds(180),
                Duration.ofSeconds(120)));
    }

    @Test
    void theShippedSettingsPassTheCheck() throws Exception {
        Properties shipped = new Properties();
        try (var in = getClass().getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        Duration idle = Duration.parse("PT" + shipped.getProperty("quarkus.http.idle-timeout").toUpperCase());
        Duration deadline = Duration.parse("PT" + shipped.getProperty("triage.batch.deadline", "120s").toUpperCase());
        assertDoesNotThrow(() -> UploadTimeout.requireIdleTimeoutAboveServing(idle, deadline));
    }
}
