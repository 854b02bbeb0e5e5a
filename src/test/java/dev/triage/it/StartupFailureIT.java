package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A broken model stops the packaged application loudly: exit code 1 and a message naming file and problem. */
class StartupFailureIT {

    @Test
    void corruptModelFileEndsTheProcessWithExitCode1() throws Exception {
        Path dir = Files.createTempDirectory("triage-it-corrupt");
        Files.write(dir.resolve("model.onnx"), new byte[] { 8, 7, 1, 2, 3, 42, 42, 42 });
        Files.copy(Path.of("target/classes/models/all-minilm-l6-v2-q/all-minilm-l6-v2-q-tokenizer.json"),
                dir.resolve("tokenizer.json"));
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_MODEL_DIR", dir.toString()))) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "still running with a corrupt model");
            assertEquals(1, app.process.exitValue());
            String log = app.output();
            assertTrue(log.contains("MODEL NOT LOADED"), log);
            assertTrue(log.contains(dir.resolve("model.onnx").toString()), log);
            assertTrue(log.contains("not a loadable ONNX model"), log);
        }
    }

    @Test
    void unknownEmbeddedModelNameIsNamed() throws Exception {
        try (PackagedApp app = PackagedApp.start(Map.of("TRIAGE_MODEL_NAME", "gpt-17"))) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "still running with an unknown model");
            assertEquals(1, app.process.exitValue());
            assertTrue(app.output().contains("triage.model.name='gpt-17' is not an embedded model"), app.output());
        }
    }
}
