package dev.triage.service;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.triage.batch.BatchRunner;
import dev.triage.batch.MicroBatcher;
import dev.triage.config.TriageConfig;
import dev.triage.model.ModelKind;
import dev.triage.model.ModelSpec;
import dev.triage.model.NativeSetup;
import dev.triage.model.OnnxModel;
import dev.triage.model.TextTokenizer;
import dev.triage.model.WorkDir;
import dev.triage.pool.InferencePool;
import dev.triage.scoring.Background;
import dev.triage.scoring.CachingScorer;
import dev.triage.scoring.CatchAll;
import dev.triage.scoring.ChunkingScorer;
import dev.triage.scoring.EmbeddingScorer;
import dev.triage.scoring.NliScorer;
import dev.triage.scoring.ZeroShotScorer;

/**
 * The one place the serving stack is put together: model, tokenizer, worker pool, batch runner and scorer. The
 * application, {@code triage bench} (which adds pools of other sizes) and tests all get theirs from here.
 */
public record Stack(OnnxModel model, TextTokenizer tokenizer, InferencePool pool, ZeroShotScorer scorer,
        Optional<EmbeddingScorer> embedder, long loadMillis, TriageConfig config, TriageMetrics metrics)
        implements AutoCloseable {

    /**
     * Opens model, tokenizer, pool and scorer; anything opened is closed again if a later step fails. Where the
     * model's kind is known beforehand, the tokenizer loads on a second thread while ONNX Runtime makes its session.
     */
    public static Stack open(ModelSpec spec, TriageConfig config, TriageMetrics metrics, long startNanos) {
        WorkDir work = WorkDir.configured(config.model());
        Optional<CompletableFuture<TextTokenizer>> early = spec.kind().map(kind -> CompletableFuture.supplyAsync(
                () -> openTokenizer(spec, work, kind), runnable -> Thread.ofPlatform().name("triage-tokenizer").start(
                        runnable)));
        OnnxModel model = null;
        TextTokenizer tokenizer = null;
        try {
            NativeSetup.cacheOrtLibraries(work);
            model = OnnxModel.open(spec);
            tokenizer = early.isPresent() ? join(early.get()) : openTokenizer(spec, work, model.kind());
            InferencePool pool = newPool(model, config, TriageConfig.effectiveWorkers(config.pool().workers()));
            return assemble(model, tokenizer, pool, config, metrics,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        } catch (RuntimeException e) {
            early.ifPresent(loading -> loading.thenAccept(TextTokenizer::close));
            if (tokenizer != null && early.isEmpty()) {
                tokenizer.close();
            }
            if (model != null) {
                model.close();
            }
            throw e;
        }
    }

    private static TextTokenizer openTokenizer(ModelSpec spec, WorkDir work, ModelKind kind) {
        NativeSetup.placeTokenizerLibrary(work);
        return TextTokenizer.open(spec.tokenizerFile(), spec.maxLength(), kind == ModelKind.NLI);
    }

    private static TextTokenizer join(CompletableFuture<TextTokenizer> loading) {
        try {
            return loading.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** A pool of its own on this model, with {@code workers} workers; the caller closes it. */
    public InferencePool newPool(int workers) {
        return newPool(model, config, workers);
    }

    /** This model and tokenizer with a scorer wired the same way on another pool; not to be closed itself. */
    public Stack on(InferencePool other) {
        return assemble(model, tokenizer, other, config, metrics, loadMillis);
    }

    /**
     * The model's own scorer (NLI pairs, or sentence vectors, which also serve the embedding routes), wrapped in
     * long-text chunking and then, if enabled, the result cache.
     */
    private static Stack assemble(OnnxModel model, TextTokenizer tokenizer, InferencePool pool, TriageConfig config,
            TriageMetrics metrics, long loadMillis) {
        TriageConfig.Scoring scoring = config.scoring();
        BatchRunner runner = new BatchRunner(pool,
                new MicroBatcher(config.batch().maxSize(), config.batch().maxTokens()), config.batch().deadline(),
                metrics::recordTokens);
        boolean nli = model.kind() == ModelKind.NLI;
        Optional<EmbeddingScorer> embedder = Optional.empty();
        ZeroShotScorer scorer;
        if (nli) {
            scorer = new NliScorer(tokenizer, runner, model.nliLabels().orElseThrow());
        } else {
            EmbeddingScorer embedding = new EmbeddingScorer(tokenizer, runner, scoring.labelCacheSize(),
                    scoring.temperature(), scoring.multiLabelThreshold(),
                    new EmbeddingScorer.Prototypes(scoring.hypothesisWeight(), scoring.exampleWeight()),
                    new CatchAll.Calibration(configuredThreshold(config), scoring.temperature()),
                    scoring.textCacheSize());
            metrics.bindCache("triage.label.vectors", embedding.cache());
            embedder = Optional.of(embedding);
            scorer = embedding;
        }
        scorer = new ChunkingScorer(scorer, tokenizer, nli, scoring.chunkOverlap(), scoring.maxChunks());
        if (config.cache().enabled()) {
            CachingScorer cached = new CachingScorer(scorer, config.cache().size(), config.cache().ttl(),
                    metrics::recordCacheLookup);
            metrics.bindCache("triage.results", cached.cache());
            scorer = cached;
        }
        return new Stack(model, tokenizer, pool, scorer, embedder, loadMillis, config, metrics);
    }

    /** Queues triage.pool.queue-tokens, or twice the admission work bound: padding and label texts come on top. */
    private static InferencePool newPool(OnnxModel model, TriageConfig config, int workers) {
        long configured = config.pool().queueTokens();
        long queueTokens = configured > 0 ? configured : 2 * AdmissionEstimate.workTokens(config, workers);
        return new InferencePool(workers, queueTokens, config.pool().scheduling(), model::run);
    }

    /** The catch-all threshold an embedding model serves with: triage.scoring.none-threshold, else the default. */
    public double catchAllThreshold() {
        return configuredThreshold(config);
    }

    private static double configuredThreshold(TriageConfig config) {
        return config.scoring().noneThreshold().orElse(Background.THRESHOLD);
    }

    public boolean nli() {
        return model.kind() == ModelKind.NLI;
    }

    @Override
    public void close() {
        pool.close();
        tokenizer.close();
        model.close();
    }
}
