package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged server logs one JSON object per line (prod profile), for a cluster's log collector; the command
 * line keeps plain text on stderr. An unknown model name makes both log an error naming it at once, without a
 * model load, and exit with code 1.
 */
class JsonLogsIT {

    private static final String DOCS =
            "src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz";
    private static final Map<String, String> UNKNOWN_MODEL = Map.of("TRIAGE_MODEL_NAME", "gpt-17");

    @Test
    void theServerLogsJsonLinesAndExitsWithCode1() throws Exception {
        Map<String, String> env = Map.of("TRIAGE_MODEL_NAME", "gpt-17", "QUARKUS_SHUTDOWN_DELAY",
                StartupFailureIT.NO_READINESS_DELAY);
        try (PackagedApp app = PackagedApp.start(env)) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "still running with an unknown model");
            assertEquals(1, app.process.exitValue(), app.output());
            List<String> lines = app.output().lines().filter(l -> !l.isBlank())
                    .filter(l -> !l.startsWith("WARNING: ")).toList(); // the JVM's own, before logging starts
            ObjectMapper json = new ObjectMapper();
            boolean named = false;
            for (String line : lines) {
                JsonNode record = json.readTree(line);
                assertTrue(record.has("message") && record.has("level") && record.has("timestamp"), line);
                named |= record.path("level").asText().equals("ERROR")
                        && record.path("message").asText().contains("triage.model.name='gpt-17' is not an embedded "
                                + "model");
            }
            assertTrue(named, "no JSON error record naming the model:\n" + app.output());
        }
    }

    @Test
    void theCommandLineLogsPlainText() throws Exception {
        try (PackagedApp run = PackagedApp.start(UNKNOWN_MODEL, "classify", "--in", DOCS, "--labels", "a,b")) {
            assertTrue(run.process.waitFor(60, TimeUnit.SECONDS), "classify still running with an unknown model");
            assertEquals(1, run.process.exitValue(), run.output());
            assertTrue(run.output().contains("'gpt-17' is not an embedded model"), run.output());
            assertFalse(run.output().lines().anyMatch(l -> l.startsWith("{")), run.output());
        }
    }
}
