package dev.triage.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of Triage, under the prefix {@code triage.} (env: {@code TRIAGE_...}). */
@ConfigMapping(prefix = "triage")
public interface TriageConfig {

    Model model();

    Pool pool();

    Batch batch();

    Scoring scoring();

    Limits limits();

    /** Bearer token every route but health and metrics requires; unset = open (set it from a Secret). */
    Optional<String> apiKey();

    Http http();

    Admission admission();

    interface Http {
        /** A request body not fully received this long after its headers: 408, connection closed. */
        @WithDefault("30s")
        Duration bodyTimeout();
    }

    /** What all requests in flight may hold together; 0 = derived from the heap / the pool (README). */
    interface Admission {
        /** Estimated tokens of work (texts, chunks, label hypotheses, few-shot examples) admitted at once. */
        @WithDefault("0")
        long maxWorkTokens();

        /** Estimated bytes that admitted requests hold (their strings, token ids and outputs). */
        @WithDefault("0")
        long maxBytes();

        /** Bytes of request bodies being received and parsed at once (by Content-Length). */
        @WithDefault("0")
        long maxBodyBytes();
    }

    /** On shutdown, how long queued and running micro-batches may take to finish. */
    @WithDefault("20s")
    Duration shutdownDrain();

    interface Model {
        /** Embedded model: all-minilm-l6-v2-q (default), all-minilm-l6-v2, bge-small-en-v15-q, bge-small-en-v15. */
        @WithDefault("all-minilm-l6-v2-q")
        String name();

        /** A directory with model.onnx + tokenizer.json (+ config.json); wins over {@link #name()}. */
        Optional<Path> dir();

        /** auto (detect from the ONNX outputs and config.json), embedding or nli. */
        @WithDefault("auto")
        Kind kind();

        enum Kind {
            AUTO, EMBEDDING, NLI
        }

        /** Token limit per sequence, specials included; default from the model (256 MiniLM, 512 otherwise). */
        OptionalInt maxLength();

        /** A model that cannot be loaded ends the process with exit code 1 (false: stay up, not ready). */
        @WithDefault("true")
        boolean exitOnFailure();

        /** How long a request waits for a loading model before its 503; 0 in prod, where readiness holds traffic. */
        @WithDefault("0s")
        Duration readyWait();

        /** Writable directory for models extracted from the jar and one kept copy of ONNX Runtime's natives. */
        @WithDefault("${java.io.tmpdir}/triage")
        Path workDir();

        /** Read-only work-dir that {@code triage prepare} filled at image build, so a new pod skips that work. */
        Optional<Path> preparedDir();
    }

    interface Pool {
        /** Inference worker threads; 0 = the CPUs this process may use (cgroup-aware). */
        @WithDefault("0")
        int workers();

        /** Padded tokens that may wait for a worker (over it: 503); 0 = twice the admission work bound. */
        @WithDefault("0")
        long queueTokens();

        /** Next micro-batch for a free worker: fair = each request in turn (new first); fifo = arrival order. */
        @WithDefault("fair")
        Scheduling scheduling();

        enum Scheduling {
            FAIR, FIFO
        }
    }

    interface Batch {
        /** Most sequences in one ORT call; sequences are length-sorted first so padding stays small. */
        @WithDefault("1")
        int maxSize();

        /** Most padded tokens (rows x longest) in one ORT call. */
        @WithDefault("4096")
        int maxTokens();

        /** How long a request may wait for its results before it fails with 503. */
        @WithDefault("120s")
        Duration deadline();
    }

    interface Scoring {
        /** Hypothesis template; default: "This example is about {}." (embedding), "This example is {}." (NLI). */
        Optional<String> defaultTemplate();

        /** Embedding models: single-label scores are softmax(cosine / temperature) over the labels. */
        @WithDefault("0.05")
        double temperature();

        /** Embedding models, multi-label: score = sigmoid((cosine - threshold) / temperature) per label. */
        @WithDefault("0.15")
        double multiLabelThreshold();

        /** Embedding models: cosine at which a label and the catch-all are equally likely (scoring.Background). */
        Optional<Double> noneThreshold();

        /** Text vectors kept by content hash (0: none); for evaluations that score one file many times. */
        @WithDefault("0")
        int textCacheSize();

        /** Label hypothesis and few-shot example vectors kept in memory (LRU). */
        @WithDefault("10000")
        int labelCacheSize();

        /** Few-shot labels: weight of the label's hypothesis (and description) vector. */
        @WithDefault("1.0")
        double hypothesisWeight();

        /** Few-shot labels: weight of the normalised mean of the label's example vectors. */
        @WithDefault("1.0")
        double exampleWeight();

        /** "longText": "chunk": tokens shared by neighbouring windows. */
        @WithDefault("32")
        int chunkOverlap();

        /** "longText": "chunk": windows per text at most. */
        @WithDefault("32")
        int maxChunks();
    }

    Cache cache();

    /** Per-text result cache for repeated identical requests. */
    interface Cache {
        /** Off by default: with batch.max-size > 1 a quantised model's scores vary slightly with neighbours. */
        @WithDefault("false")
        boolean enabled();

        /** Texts' results kept at most. */
        @WithDefault("10000")
        int size();

        /** How long a result is kept after it was computed. */
        @WithDefault("10m")
        Duration ttl();
    }

    /** Request limits, sized for a 2-core pod; over them a request gets a 400 naming the limit. */
    interface Limits {
        /** Texts in one request. */
        @WithDefault("2048")
        int maxTexts();

        /** Candidate labels in one request. */
        @WithDefault("100")
        int maxLabels();

        /** Characters of one label. */
        @WithDefault("200")
        int maxLabelChars();

        /** Characters of one text kept for tokenizing; the rest is dropped (the model reads max-length tokens). */
        @WithDefault("100000")
        int maxTextChars();

        /** Few-shot examples per label. */
        @WithDefault("64")
        int maxExamples();

        /** texts x labels for NLI models, where every pair is one model input. */
        @WithDefault("8192")
        int maxPairs();
    }

    /** The worker count the pool really uses. */
    static int effectiveWorkers(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }
}
