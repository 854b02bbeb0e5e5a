package dev.triage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an image build does ({@code triage prepare}) and what each new pod then skips: the server started on the
 * prepared directory extracts and copies nothing, and leaves the prepared directory as it found it (so it may be
 * read-only). The graph is fused at build time: nothing rewrites it at a start.
 */
class PreparedWorkDirIT {

    @Test
    void aServerOnAPreparedDirWritesNothing() throws Exception {
        Path prepared = Files.createTempDirectory("triage-it-prepared");
        try (PackagedApp prepare = PackagedApp.start(Map.of("TRIAGE_MODEL_WORK_DIR", prepared.toString()),
                "prepare")) {
            assertTrue(prepare.process.waitFor(120, TimeUnit.SECONDS), "prepare still running");
            assertEquals(0, prepare.process.exitValue(), prepare.output());
            String report = prepare.output();
            for (String made : List.of("all-minilm-l6-v2-q.onnx", "libonnxruntime.so", "libtokenizers.so")) {
                assertTrue(report.contains(made), made + " in\n" + report);
            }
        }
        Map<String, String> before = snapshot(prepared);
        assertTrue(before.keySet().stream().noneMatch(file -> file.contains("fused") || file.contains("optimized")),
                "a start rewrites no graph: " + before);

        Path writable = Files.createTempDirectory("triage-it-work");
        Map<String, String> env = Map.of("TRIAGE_MODEL_PREPARED_DIR", prepared.toString(), "TRIAGE_MODEL_WORK_DIR",
                writable.toString());
        try (PackagedApp app = PackagedApp.start(env)) {
            app.awaitReady(Duration.ofSeconds(60));
            HttpResponse<String> response = app.postJson("/classify", """
                    {"texts": ["I rebuilt the carburetor on my motorbike.", "He hit a home run in the ninth."],
                     "labels": ["motorcycles", "baseball"]}""");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode results = new ObjectMapper().readTree(response.body()).get("results");
            assertEquals("motorcycles", results.get(0).get("labels").get(0).asText());
            assertEquals("baseball", results.get(1).get("labels").get(0).asText());
            assertTrue(app.output().contains("Loading model all-minilm-l6-v2-q from " + prepared), app.output());
        }
        assertEquals(Map.of(), snapshot(writable), "a start on the prepared dir made files of its own");
        assertEquals(before, snapshot(prepared), "the prepared dir changed");

        try (PackagedApp again = PackagedApp.start(env, "prepare")) {
            assertTrue(again.process.waitFor(60, TimeUnit.SECONDS), "prepare still running");
            assertEquals(2, again.process.exitValue(), again.output());
            assertTrue(again.output().contains("triage.model.prepared-dir must be unset"), again.output());
        }
    }

    /** Every file under {@code dir}: its size and modification time. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.size(file) + " " + Files.getLastModifiedTime(file));
            }
        }
        return files;
    }
}
