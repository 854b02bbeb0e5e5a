package dev.triage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.JsonNode;

/** The tiny random-weight NLI model under src/test/resources/nli-tiny (see its README and generate.py). */
public final class NliFixture {

    public static final Path DIR = Path.of("src/test/resources/nli-tiny");

    private NliFixture() {
    }

    public static JsonNode golden() {
        try {
            return TestSupport.JSON.readTree(DIR.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model directory with the given file as its config.json (the fixture ships both label orders). */
    public static Path withConfig(String configFile) {
        try {
            Path dir = Files.createTempDirectory("nli-tiny");
            for (String file : new String[] { "model.onnx", "tokenizer.json", "tokenizer_config.json" }) {
                Files.copy(DIR.resolve(file), dir.resolve(file));
            }
            Files.copy(DIR.resolve(configFile), dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model directory with a config.json of the caller's own. */
    public static Path withConfigText(String json) {
        Path dir = withConfig("config.json");
        try {
            Files.writeString(dir.resolve("config.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
