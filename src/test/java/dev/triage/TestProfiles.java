package dev.triage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The configurations @QuarkusTest classes share. Each distinct profile costs a Quarkus build and a start with its
 * model in the test JVM, so tests whose settings do not contradict each other run under one profile here.
 */
public final class TestProfiles {

    /** The word {@link NliTiny}'s tokenizer knows and its model does not. */
    public static final String POISON = "zzzpoison";

    private TestProfiles() {
    }

    /**
     * The fp32 MiniLM (any batching matches the golden vectors to four nines) with micro-batches of 8, the result
     * cache and tracing on, one worker, a queue of 64 waiting tokens and a 42,000-token work bound:
     * EmbeddingRoutesTest, ResultCacheTest and TracingTest send one request at a time, which these bounds always
     * admit; OverloadTest and AdmissionHttpTest saturate them. The cache wraps only the classify scorer, and
     * tracing only records spans, so neither changes what the embedding routes answer. The work bound is above
     * what OverloadTest's 8 requests are estimated at together (~37,600), so the queue is what refuses them, and
     * below one of AdmissionHttpTest's large requests (~47,900), so a second one beside it is refused by admission.
     */
    public static class Fp32OneWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("triage.model.name", "all-minilm-l6-v2", "triage.batch.max-size", "8",
                    "triage.cache.enabled", "true", "triage.cache.size", "100",
                    // what an OTLP endpoint would switch on; spans go to the in-memory exporter at once
                    "quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "10ms",
                    "triage.pool.workers", "1", "triage.pool.queue-tokens", "64",
                    "triage.admission.max-work-tokens", "42000", "triage.admission.max-body-bytes", "20000000");
        }
    }

    /**
     * A user's NLI model directory: the tiny NLI fixture with its tokenizer plus one word, {@link #POISON}, whose id
     * is past the model's vocabulary (NliHttpTest, WorkerFailureHttpTest). A text without that word tokenizes as
     * with the fixture's own tokenizer, so the pipeline's golden scores still apply.
     */
    public static class NliTiny implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("triage.model.dir", modelWithPoisonWord().toString());
        }
    }

    /** Named nli-tiny, as the fixture: a model directory's name is the model's name in replies. */
    static Path modelWithPoisonWord() {
        try {
            Path dir = Files.move(NliFixture.withConfig("config.json"),
                    Files.createTempDirectory("triage-nli").resolve("nli-tiny"));
            ObjectNode tokenizer = (ObjectNode) TestSupport.JSON.readTree(dir.resolve("tokenizer.json").toFile());
            ((ObjectNode) tokenizer.get("model").get("vocab")).put(POISON, 99_999);
            TestSupport.JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
