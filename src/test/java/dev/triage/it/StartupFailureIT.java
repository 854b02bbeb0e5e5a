package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A broken model stops the packaged application loudly: exit code 1 and a message naming file and problem, or,
 * with exit-on-failure off, leaves it up but never ready. The command line loads the model only for a command
 * that needs it, so help and usage errors still answer. (An unknown embedded model name: JsonLogsIT.)
 */
class StartupFailureIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The readiness delay at exit (5 s as shipped) lets routers stop sending before a ready server goes; a server
     * whose model failed was never ready, so the tests skip the wait.
     */
    static final String NO_READINESS_DELAY = "0s";

    private static final String DOCS =
            "src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz";

    @Test
    void corruptModelFileEndsTheProcessWithExitCode1() throws Exception {
        Path dir = corruptModelDir();
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_MODEL_DIR", dir.toString(),
                "QUARKUS_SHUTDOWN_DELAY", NO_READINESS_DELAY))) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "still running with a corrupt model");
            assertEquals(1, app.process.exitValue());
            String log = app.output();
            assertTrue(log.contains("MODEL NOT LOADED"), log);
            assertTrue(log.contains(dir.resolve("model.onnx").toString()), log);
            assertTrue(log.contains("not a loadable ONNX model"), log);
        }
    }

    /**
     * A port in use fails the start while the model is still loading: exit code 1 and Quarkus' message, not a
     * crash in ONNX Runtime's native code (its environment is freed at exit, under a session being created).
     */
    @Test
    void aBusyPortEndsTheStartWithExitCode1AndNoNativeCrash() throws Exception {
        try (ServerSocket busy = new ServerSocket(0);
                PackagedApp app = PackagedApp.startOnPort(busy.getLocalPort(),
                        Map.of("QUARKUS_SHUTDOWN_DELAY", NO_READINESS_DELAY))) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "still running on a busy port");
            String log = app.output();
            assertEquals(1, app.process.exitValue(), log);
            assertTrue(log.contains("Port " + busy.getLocalPort() + " seems to be in use"), log);
            assertFalse(log.contains("A fatal error has been detected"), log);
        }
    }

    @Test
    void helpAndUsageErrorsAnswerWithoutLoadingTheModel() throws Exception {
        Map<String, String> broken = Map.of("TRIAGE_MODEL_DIR", corruptModelDir().toString());
        try (PackagedApp help = PackagedApp.start(broken, "classify", "--help")) {
            assertTrue(help.process.waitFor(60, TimeUnit.SECONDS), "--help still running");
            assertEquals(0, help.process.exitValue(), help.output());
            assertTrue(help.output().contains("--labels"), help.output());
            assertFalse(help.output().contains("MODEL NOT LOADED"), help.output());
        }
        try (PackagedApp usage = PackagedApp.start(broken, "classify", "--in", DOCS, "--labels", "a,b", "--fast")) {
            assertTrue(usage.process.waitFor(60, TimeUnit.SECONDS), "usage error still running");
            assertEquals(2, usage.process.exitValue(), usage.output());
            assertTrue(usage.output().contains("Unknown option: '--fast'"), usage.output());
            assertFalse(usage.output().contains("MODEL NOT LOADED"), usage.output());
        }
        try (PackagedApp run = PackagedApp.start(broken, "classify", "--in", DOCS, "--labels", "a,b")) {
            assertTrue(run.process.waitFor(60, TimeUnit.SECONDS), "classify still running with a corrupt model");
            assertEquals(1, run.process.exitValue(), run.output());
            assertTrue(run.output().contains("not a loadable ONNX model"), run.output());
        }
    }

    /** With triage.model.exit-on-failure=false the server stays up, never ready, and says why to probes and callers. */
    @Test
    void withExitOnFailureOffTheServerStaysUpUnreadyAndSaysWhy() throws Exception {
        Path dir = corruptModelDir();
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_MODEL_DIR", dir.toString(),
                "TRIAGE_MODEL_EXIT_ON_FAILURE", "false"))) {
            // Loading fails within a second or so; until then the state is "loading". Either way: not ready.
            HttpResponse<String> ready = app.getOnceListening("/q/health/ready", Duration.ofSeconds(60));
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("DOWN", JSON.readTree(ready.body()).path("status").asText(), ready.body());
            long until = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < until && !ready.body().contains("failed")) {
                Thread.sleep(50);
                ready = app.get("/q/health/ready");
            }
            assertEquals(503, ready.statusCode(), ready.body());
            String state = "";
            for (JsonNode check : JSON.readTree(ready.body()).path("checks")) {
                if (check.path("name").asText().equals("model")) {
                    state = check.path("data").path("state").asText();
                }
            }
            assertTrue(state.contains("model.onnx") && state.contains("not a loadable ONNX model"), ready.body());
            assertEquals(200, app.get("/q/health/live").statusCode());
            HttpResponse<String> refused = app.postJson("/classify",
                    "{\"texts\":[\"a text\"],\"labels\":[\"a\",\"b\"]}");
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().toString());
            String error = JSON.readTree(refused.body()).path("error").asText();
            assertTrue(error.contains("model failed to load") && error.contains("model.onnx"), refused.body());
            assertTrue(app.process.isAlive(), "the process exited although exit-on-failure is off");
        }
    }

    /** An ONNX file that is not one, beside the default model's real tokenizer. */
    private static Path corruptModelDir() throws Exception {
        Path dir = Files.createTempDirectory("triage-it-corrupt");
        Files.write(dir.resolve("model.onnx"), new byte[] { 8, 7, 1, 2, 3, 42, 42, 42 });
        Files.copy(Path.of("target/classes/models/all-minilm-l6-v2-q/all-minilm-l6-v2-q-tokenizer.json"),
                dir.resolve("tokenizer.json"));
        return dir;
    }
}
