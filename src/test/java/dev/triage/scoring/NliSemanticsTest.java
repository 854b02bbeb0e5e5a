package dev.triage.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.NliFixture;
import dev.triage.batch.BatchRunner;
import dev.triage.batch.MicroBatcher;
import dev.triage.config.TriageConfig.Pool.Scheduling;
import dev.triage.model.Encoded;
import dev.triage.model.InferenceScratch;
import dev.triage.model.ModelKind;
import dev.triage.model.ModelLocator;
import dev.triage.model.ModelSpec;
import dev.triage.model.NliLabels;
import dev.triage.model.OnnxModel;
import dev.triage.model.TextTokenizer;
import dev.triage.pool.InferencePool;

/**
 * HF ZeroShotClassificationPipeline semantics on the tiny NLI fixture, against golden values computed by
 * generate.py with torch and a pure-Python tokenizer (independent of ONNX Runtime and of DJL).
 */
class NliSemanticsTest {

    static final double TOLERANCE = 1e-4;
    static final JsonNode GOLDEN = NliFixture.golden();

    static Opened normal;
    static Opened reversed;

    record Opened(OnnxModel model, TextTokenizer tokenizer, InferencePool pool, NliScorer scorer) {
        static Opened of(Path dir) {
            ModelSpec spec = ModelLocator.fromDirectory(dir, Optional.empty(), OptionalInt.empty());
            OnnxModel model = OnnxModel.open(spec);
            TextTokenizer tokenizer = TextTokenizer.open(spec.tokenizerFile(), spec.maxLength(), true);
            InferencePool pool = new InferencePool(2, 1_000_000, Scheduling.FAIR, model::run);
            BatchRunner runner = new BatchRunner(pool, new MicroBatcher(4, 4096), Duration.ofSeconds(60), t -> {
            });
            return new Opened(model, tokenizer, pool, new NliScorer(tokenizer, runner, model.nliLabels().orElseThrow()));
        }

        void close() {
            pool.close();
            tokenizer.close();
            model.close();
        }
    }

    @BeforeAll
    static void open() {
        normal = Opened.of(NliFixture.withConfig("config.json"));
        reversed = Opened.of(NliFixture.withConfig("config.reversed-labels.json"));
    }

    @AfterAll
    static void close() {
        normal.close();
        reversed.close();
    }

    @Test
    void detectsAnNliModelAndItsMaxLength() {
        assertEquals(ModelKind.NLI, normal.model().kind());
        assertEquals(512, normal.tokenizer().maxLength());
    }

    @Test
    void entailmentAndContradictionIdsForBothLabelOrders() {
        assertEquals(new NliLabels(3, 0, 2), normal.model().nliLabels().orElseThrow());
        assertEquals(new NliLabels(3, 2, 0), reversed.model().nliLabels().orElseThrow());
    }

    @Test
    void pairTokensAndLogitsMatchTheGoldenValues() throws Exception {
        for (JsonNode pair : GOLDEN.get("pairs")) {
            Encoded encoded = normal.tokenizer().encodePair(pair.get("premise").asText(),
                    pair.get("hypothesis").asText());
            assertArrayEquals(longs(pair.get("input_ids")), encoded.ids(), pair.get("name").asText());
            assertArrayEquals(longs(pair.get("token_type_ids")), encoded.typeIds(), pair.get("name").asText());
            float[] logits = normal.model().run(List.of(encoded), new InferenceScratch())[0];
            for (int i = 0; i < 3; i++) {
                assertEquals(pair.get("logits").get(i).asDouble(), logits[i], TOLERANCE,
                        pair.get("name").asText() + " logit " + i);
            }
        }
    }

    @Test
    void logitsDoNotDependOnWhatElseIsInTheMicroBatch() throws Exception {
        List<Encoded> batch = new ArrayList<>();
        for (JsonNode pair : GOLDEN.get("pairs")) {
            batch.add(normal.tokenizer().encodePair(pair.get("premise").asText(), pair.get("hypothesis").asText()));
        }
        float[][] together = normal.model().run(batch, new InferenceScratch());
        for (int p = 0; p < batch.size(); p++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(GOLDEN.get("pairs").get(p).get("logits").get(i).asDouble(), together[p][i], TOLERANCE);
            }
        }
    }

    @Test
    void truncationCutsOnlyTheTextAndKeepsTheWholeHypothesis() {
        String words = "The city council met to discuss the budget and agreed to vote again next week. ".repeat(150);
        assertTrue(words.split(" ").length >= 2000);
        String hypothesis = "This example is politics.";
        Encoded encoded = normal.tokenizer().encodePair(words, hypothesis);
        Encoded alone = normal.tokenizer().encodePair("short", hypothesis);
        assertEquals(512, encoded.length());
        // The hypothesis and the final [SEP] (type id 1) come through whole: the same tail as with a short text.
        int tail = (int) java.util.Arrays.stream(alone.typeIds()).filter(t -> t == 1).count();
        long[] expectedTail = java.util.Arrays.copyOfRange(alone.ids(), alone.length() - tail, alone.length());
        long[] actualTail = java.util.Arrays.copyOfRange(encoded.ids(), 512 - tail, 512);
        assertArrayEquals(expectedTail, actualTail);
        assertEquals(tail, java.util.Arrays.stream(encoded.typeIds()).filter(t -> t == 1).count());
        JsonNode goldenLong = GOLDEN.get("pairs").get(GOLDEN.get("pairs").size() - 1);
        assertTrue(goldenLong.get("truncated").asBoolean());
        assertArrayEquals(longs(goldenLong.get("input_ids")), normal.tokenizer()
                .encodePair(goldenLong.get("premise").asText(), goldenLong.get("hypothesis").asText()).ids());
    }

    @Test
    void pipelineScoresEqualTheReferenceForBothLabelOrders() {
        for (JsonNode expected : GOLDEN.get("zero_shot")) {
            Opened opened = expected.get("config").asText().contains("reversed") ? reversed : normal;
            List<String> labels = new ArrayList<>();
            expected.get("candidate_labels").forEach(l -> labels.add(l.asText()));
            String text = expected.get("sequence").asText();
            String template = expected.get("hypothesis_template").asText();
            if (!expected.get("scores_single_label").isNull()) {
                assertScores(expected.get("scores_single_label"), labels,
                        opened.scorer().classify(new ClassifyCommand(List.of(text), labels, template, false)).get(0));
            }
            assertScores(expected.get("scores_multi_label"), labels,
                    opened.scorer().classify(new ClassifyCommand(List.of(text), labels, template, true)).get(0));
        }
    }

    @Test
    void singleLabelSumsToOneMultiLabelIsIndependentOneLabelUsesTwoWaySoftmax() {
        String text = "The pitcher threw a fastball and the batter hit a home run in the ninth inning.";
        String template = "This example is {}.";
        Classification three = normal.scorer()
                .classify(new ClassifyCommand(List.of(text), List.of("baseball", "space", "politics"), template, false))
                .get(0);
        assertEquals(1.0, three.scores().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        double multiWithTwo = score(normal.scorer().classify(
                new ClassifyCommand(List.of(text), List.of("baseball", "space"), template, true)).get(0), "baseball");
        double multiWithThree = score(normal.scorer().classify(
                new ClassifyCommand(List.of(text), List.of("baseball", "space", "politics"), template, true)).get(0),
                "baseball");
        assertEquals(multiWithTwo, multiWithThree, 1e-12);
        // One label, multiLabel false: still the 2-way softmax, else the single score would always be 1.0.
        double one = normal.scorer()
                .classify(new ClassifyCommand(List.of(text), List.of("baseball"), template, false)).get(0).scores()
                .get(0);
        JsonNode goldenPair = GOLDEN.get("pairs").get(3); // ball-baseball
        double entail = goldenPair.get("logits").get(0).asDouble();
        double contradiction = goldenPair.get("logits").get(2).asDouble();
        assertEquals(Math.exp(entail) / (Math.exp(entail) + Math.exp(contradiction)), one, TOLERANCE);
    }

    @Test
    void scoresFollowFromTheGoldenLogitsByHand() {
        // Premise "moto": its three golden pairs are the hypotheses for motorcycles, baseball, space.
        JsonNode pairs = GOLDEN.get("pairs");
        double[] entail = { pairs.get(0).get("logits").get(0).asDouble(), pairs.get(1).get("logits").get(0).asDouble(),
                pairs.get(2).get("logits").get(0).asDouble() };
        double[] expected = ScoreMath.softmax(entail, 1.0);
        Classification c = normal.scorer().classify(new ClassifyCommand(List.of(pairs.get(0).get("premise").asText()),
                List.of("motorcycles", "baseball", "space"), "This example is {}.", false)).get(0);
        assertEquals(expected[0], score(c, "motorcycles"), TOLERANCE);
        assertEquals(expected[1], score(c, "baseball"), TOLERANCE);
        assertEquals(expected[2], score(c, "space"), TOLERANCE);
    }

    static void assertScores(JsonNode expected, List<String> labels, Classification actual) {
        for (int i = 0; i < labels.size(); i++) {
            assertEquals(expected.get(i).asDouble(), score(actual, labels.get(i)), TOLERANCE, labels.get(i));
        }
    }

    static double score(Classification c, String label) {
        return c.scores().get(c.labels().indexOf(label));
    }

    static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
