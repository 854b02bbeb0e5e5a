package dev.triage.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.triage.config.TriageConfig;

/**
 * Finds a model's files: one of the models embedded at build time (classpath {@code models/<name>/}), or a
 * user's directory laid out as {@code optimum-cli export onnx} writes it.
 */
public final class ModelLocator {

    public static final List<String> EMBEDDED = List.of("all-minilm-l6-v2-q", "all-minilm-l6-v2",
            "bge-small-en-v15-q", "bge-small-en-v15");
    static final int DEFAULT_MAX_LENGTH = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelLocator() {
    }

    public static ModelSpec locate(TriageConfig.Model config) {
        Optional<ModelKind> kind = config.kind() == TriageConfig.Model.Kind.AUTO ? Optional.empty()
                : Optional.of(ModelKind.valueOf(config.kind().name()));
        if (config.dir().isPresent()) {
            return fromDirectory(config.dir().get(), kind, config.maxLength());
        }
        return embedded(config.name(), WorkDir.configured(config), kind, config.maxLength());
    }

    /** A model shipped inside the application; extracted to the work dir when running from a jar. */
    public static ModelSpec embedded(String name, WorkDir workDir, Optional<ModelKind> kind, OptionalInt maxLength) {
        if (!EMBEDDED.contains(name)) {
            throw new ModelException("triage.model.name='" + name + "' is not an embedded model; choose one of "
                    + EMBEDDED + " or set triage.model.dir to a directory with model.onnx and tokenizer.json");
        }
        String base = "models/" + name + "/";
        Properties props = new Properties();
        try (InputStream in = resource(base + "model.properties").openStream()) {
            props.load(in);
        } catch (IOException e) {
            throw new ModelException("cannot read " + base + "model.properties", e);
        }
        Path onnx = materialise(base + props.getProperty("onnx"), workDir);
        Path tokenizer = materialise(base + props.getProperty("tokenizer"), workDir);
        if (kind.isPresent() && kind.get() != ModelKind.EMBEDDING) {
            throw new ModelException("embedded model " + name + " is a sentence encoder, not " + kind.get());
        }
        int length = maxLength.orElse(Integer.parseInt(props.getProperty("max-length")));
        return new ModelSpec(name, onnx, tokenizer, Optional.of(ModelKind.EMBEDDING),
                Pooling.parse(props.getProperty("pooling"), base + "model.properties"), length, Optional.empty());
    }

    /** model.onnx (or onnx/model.onnx, model_quantized.onnx) + tokenizer.json + optional config.json. */
    public static ModelSpec fromDirectory(Path dir, Optional<ModelKind> kind, OptionalInt maxLength) {
        if (!Files.isDirectory(dir)) {
            throw new ModelException("model directory " + dir + " does not exist");
        }
        Path onnx = firstExisting(dir, "model.onnx", "model_quantized.onnx", "onnx/model.onnx",
                "onnx/model_quantized.onnx")
                .orElseThrow(() -> new ModelException("model directory " + dir + " has no model.onnx"));
        Path tokenizer = firstExisting(dir, "tokenizer.json")
                .orElseThrow(() -> new ModelException("model directory " + dir
                        + " has no tokenizer.json (export with a fast tokenizer: optimum-cli writes one)"));
        Optional<JsonNode> config = readJson(dir.resolve("config.json"));
        Optional<JsonNode> tokenizerConfig = readJson(dir.resolve("tokenizer_config.json"));
        Pooling pooling = readJson(dir.resolve("1_Pooling/config.json"))
                .map(p -> p.path("pooling_mode_cls_token").asBoolean(false) ? Pooling.CLS : Pooling.MEAN)
                .orElse(Pooling.MEAN);
        int length = maxLength.orElseGet(() -> defaultMaxLength(config, tokenizerConfig));
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return new ModelSpec(name == null ? dir.toString() : name.toString(), onnx, tokenizer, kind, pooling, length,
                config);
    }

    /** HF: the tokenizer's model_max_length if it is a real limit, else the position table, capped at 512. */
    static int defaultMaxLength(Optional<JsonNode> config, Optional<JsonNode> tokenizerConfig) {
        long fromTokenizer = tokenizerConfig.map(t -> t.path("model_max_length").asLong(0)).orElse(0L);
        if (fromTokenizer > 0 && fromTokenizer <= 100_000) {
            return (int) fromTokenizer;
        }
        int positions = config.map(c -> c.path("max_position_embeddings").asInt(0)).orElse(0);
        return positions > 0 ? Math.min(positions, DEFAULT_MAX_LENGTH) : DEFAULT_MAX_LENGTH;
    }

    private static Optional<Path> firstExisting(Path dir, String... names) {
        return Stream.of(names).map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    static Optional<JsonNode> readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new ModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static URL resource(String path) {
        URL url = Thread.currentThread().getContextClassLoader().getResource(path);
        if (url == null) {
            throw new ModelException("resource " + path
                    + " is missing from the application (was it built with ./mvnw?)");
        }
        return url;
    }

    /** ORT and the tokenizer read files: a resource inside the jar is copied out; in dev and test it is a file. */
    private static Path materialise(String resourcePath, WorkDir workDir) {
        URL url = resource(resourcePath);
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            return workDir.holding(Map.of(resourcePath, ExpectedContent.of(url))).resolve(resourcePath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + resourcePath + " to " + workDir.writable()
                    + " (set triage.model.work-dir to a writable directory)", e);
        } catch (URISyntaxException e) {
            throw new ModelException("bad resource URL " + url, e);
        }
    }
}
