package dev.triage.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.TestSupport;

/**
 * Triage's tokens and vectors against what transformers.js computes for the same model jars
 * (src/test/resources/golden, written by deploy/golden-embeddings.mjs): short, unicode, whitespace-only-ish and
 * a text cut at the model's max length. The graph is the fused one the server runs.
 */
class GoldenEmbeddingsTest {

    /** Observed 1 - cosine ~ 2e-11 (the golden file's 6-decimal rounding); the API contract is 0.9999. */
    static final double FP32_MIN_COSINE = 0.999999;

    @ParameterizedTest
    @ValueSource(strings = { "all-minilm-l6-v2", "all-minilm-l6-v2-q", "bge-small-en-v15", "bge-small-en-v15-q" })
    void tokensEqualTransformersJs(String name) {
        Golden golden = Golden.read(name);
        ModelSpec spec = embedded(name);
        assertEquals(golden.maxLength, spec.maxLength());
        try (TextTokenizer tokenizer = TextTokenizer.open(spec.tokenizerFile(), spec.maxLength(), false)) {
            for (int s = 0; s < golden.texts.size(); s++) {
                assertArrayEquals(golden.ids.get(s), tokenizer.encode(golden.texts.get(s)).ids(),
                        name + ": ids of " + golden.texts.get(s));
            }
        }
        assertEquals(spec.maxLength(), golden.ids.getLast().length, "the last text is cut at max length");
    }

    @ParameterizedTest
    @ValueSource(strings = { "all-minilm-l6-v2", "bge-small-en-v15" })
    void fp32VectorsEqualTransformersJsAloneAndInOnePaddedBatch(String name) throws Exception {
        Golden golden = Golden.read(name);
        ModelSpec spec = embedded(name);
        try (OnnxModel model = OnnxModel.open(spec);
                TextTokenizer tokenizer = TextTokenizer.open(spec.tokenizerFile(), spec.maxLength(), false)) {
            List<Encoded> rows = golden.texts.stream().map(tokenizer::encode).toList();
            float[][] batched = model.run(rows, new InferenceScratch());
            for (int s = 0; s < rows.size(); s++) {
                float[] alone = model.run(List.of(rows.get(s)), new InferenceScratch())[0];
                assertAtLeast(FP32_MIN_COSINE, cosine(alone, golden.vectors.get(s)), name, golden.texts.get(s));
                assertAtLeast(FP32_MIN_COSINE, cosine(batched[s], golden.vectors.get(s)), name, golden.texts.get(s));
            }
        }
    }

    /**
     * q8 only alone, as the golden file was made: DynamicQuantizeLinear scales by the whole batch. The fused graph's
     * summation order flips a few roundings, so the bound is FusedGraphTest's (observed min 0.9909 for MiniLM's
     * "Hi!", 0.9987 for bge; mean 0.9977 and 0.9996); the graph as exported gives >= 0.9986.
     */
    @ParameterizedTest
    @ValueSource(strings = { "all-minilm-l6-v2-q", "bge-small-en-v15-q" })
    void q8VectorsAloneMatchTransformersJsWithinTheQuantizedBound(String name) throws Exception {
        Golden golden = Golden.read(name);
        ModelSpec spec = embedded(name);
        double sum = 0;
        try (OnnxModel model = OnnxModel.open(spec);
                TextTokenizer tokenizer = TextTokenizer.open(spec.tokenizerFile(), spec.maxLength(), false)) {
            for (int s = 0; s < golden.texts.size(); s++) {
                float[] alone = model.run(List.of(tokenizer.encode(golden.texts.get(s))), new InferenceScratch())[0];
                double cosine = cosine(alone, golden.vectors.get(s));
                assertAtLeast(FusedGraphTest.Q8_MIN_COSINE, cosine, name, golden.texts.get(s));
                sum += cosine;
            }
        }
        assertTrue(sum / golden.texts.size() >= FusedGraphTest.Q8_MEAN_COSINE, name + ": mean cosine " + sum / golden.texts.size());
    }

    private static void assertAtLeast(double bound, double cosine, String model, String text) {
        assertTrue(cosine >= bound, model + ": cosine " + cosine + " < " + bound + " for " + text);
    }

    private static ModelSpec embedded(String name) {
        return ModelLocator.embedded(name, WorkDir.of(Path.of("target/triage-work")), Optional.empty(), OptionalInt.empty());
    }

    /** The golden file's vectors are rounded, so not quite unit length. */
    static double cosine(float[] a, float[] b) {
        return Vectors.dot(a, b) / Math.sqrt(Vectors.dot(a, a) * Vectors.dot(b, b));
    }

    /** One model's golden file. */
    record Golden(int maxLength, List<String> texts, List<long[]> ids, List<float[]> vectors) {

        static Golden read(String model) {
            String resource = "/golden/embeddings-" + model + ".json";
            try (InputStream in = GoldenEmbeddingsTest.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new AssertionError(resource + " is missing");
                }
                JsonNode root = TestSupport.JSON.readTree(in);
                Golden golden = new Golden(root.get("max_length").asInt(), new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>());
                for (JsonNode sentence : root.get("sentences")) {
                    golden.texts.add(sentence.get("text").asText());
                    golden.ids.add(TestSupport.JSON.treeToValue(sentence.get("input_ids"), long[].class));
                    golden.vectors.add(TestSupport.JSON.treeToValue(sentence.get("embedding"), float[].class));
                }
                return golden;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
