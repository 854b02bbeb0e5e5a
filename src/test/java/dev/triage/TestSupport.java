package dev.triage;

import static io.restassured.RestAssured.given;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Shared by the tests: waiting for readiness, the tutorial's data, and reading /q/metrics. */
public final class TestSupport {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Path TUTORIAL_777 = Path.of(
            "src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz");
    public static final Map<String, String> TUTORIAL_LABELS = Map.of("rec.motorcycles", "motorcycles",
            "rec.sport.baseball", "baseball");

    private TestSupport() {
    }

    /**
     * The value of the first series {@code name} in a Prometheus exposition whose labels contain {@code labels}
     * ("" for any); empty when there is none (a counter never incremented is absent). An exemplar may follow the
     * value ("# {trace_id=...} 1.0 1733..."), as it does with tracing on.
     */
    public static OptionalDouble metric(String exposition, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? ([0-9.eE+-]+|NaN)(?: #.*)?$")
                .matcher(exposition);
        while (m.find()) {
            if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
                return OptionalDouble.of(Double.parseDouble(m.group(2)));
            }
        }
        return OptionalDouble.empty();
    }

    /** Blocks until /q/health/ready says UP (the model loads on its own thread after start). */
    public static void awaitReady() {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            if (given().get("/q/health/ready").statusCode() == 200) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("not ready after 60 s: " + given().get("/q/health/ready").asString());
    }

    /** The 777 documents of the tutorial, in sklearn's order. */
    public static List<JsonNode> tutorialDocuments() {
        return tutorialLines().stream().map(TestSupport::parse).toList();
    }

    /** The 777 documents' JSON lines, as they are in the gzipped file. */
    public static List<String> tutorialLines() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(TUTORIAL_777)), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the tutorial data must be at " + TUTORIAL_777.toAbsolutePath(), e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
