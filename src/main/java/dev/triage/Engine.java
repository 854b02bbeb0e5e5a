package dev.triage;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.triage.batch.BatchRunner;
import dev.triage.batch.MicroBatcher;
import dev.triage.config.TriageConfig;
import dev.triage.model.Encoded;
import dev.triage.model.ModelKind;
import dev.triage.model.ModelLocator;
import dev.triage.model.ModelSpec;
import dev.triage.model.NativeSetup;
import dev.triage.model.OnnxModel;
import dev.triage.model.TextTokenizer;
import dev.triage.model.WorkDir;
import dev.triage.pool.InferencePool;
import dev.triage.pool.Scheduling;
import dev.triage.scoring.CachingScorer;
import dev.triage.scoring.ChunkingScorer;
import dev.triage.scoring.EmbeddingScorer;
import dev.triage.scoring.NliScorer;
import dev.triage.scoring.ZeroShotScorer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;

/**
 * The loaded model with its tokenizer, worker pool and scorer. The server starts loading with the application,
 * on its own thread, so health endpoints answer meanwhile; a command-line run starts it when its command first
 * asks for the model, so {@code --help} or a usage error answers without it. The engine is ready only after one
 * warm-up inference per worker. A model that cannot be loaded ends the process (exit 1) with the reason, unless
 * configured to stay up unready.
 */
@ApplicationScoped
public class Engine {

    private static final Logger LOG = Logger.getLogger(Engine.class);
    /** A typical sentence, so warm-up touches the kernels real requests use. */
    private static final String WARM_UP_TEXT = "The engine warms up on one ordinary sentence about motorcycles "
            + "and baseball before it reports ready.";

    /** Everything that exists once the model is loaded. */
    public record Loaded(OnnxModel model, TextTokenizer tokenizer, InferencePool pool, ZeroShotScorer scorer,
            long loadMillis) {
    }

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    @Inject
    @CommandLineArguments
    String[] arguments;

    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Loaded loaded;
    private volatile String failure;

    void onStart(@Observes StartupEvent event) {
        if (arguments.length == 0) {
            startLoading();
        }
    }

    /** Starts loading on its own thread, once; later calls do nothing. */
    public void startLoading() {
        if (started.compareAndSet(false, true)) {
            Thread.ofPlatform().name("triage-model-loader").start(this::load);
        }
    }

    /** Whether {@link #startLoading()} was called (a command line that only printed help never loads). */
    public boolean loadingStarted() {
        return started.get();
    }

    private void load() {
        long start = System.nanoTime();
        try {
            ModelSpec spec = ModelLocator.locate(config.model());
            LOG.infof("Loading model %s from %s (max %d tokens)", spec.name(), spec.onnxFile(), spec.maxLength());
            Loaded ready = open(spec, config, start, metrics::recordTokens, metrics::recordCacheLookup);
            warmUp(ready);
            loaded = ready;
            long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            LOG.infof("Model %s (%s) ready: loaded in %d ms, %d workers, ready %d ms after JVM start",
                    spec.name(), ready.model().kind(), ready.loadMillis(), ready.pool().size(), sinceJvmStart);
        } catch (Throwable t) {
            failure = t.getMessage() == null ? t.toString() : t.getMessage();
            LOG.errorf(t, "MODEL NOT LOADED: %s", failure);
            if (config.model().exitOnFailure()) {
                Quarkus.asyncExit(1);
            }
        } finally {
            finished.countDown();
        }
    }

    /** Opens model, tokenizer, pool and scorer; anything opened is closed again if a later step fails. */
    static Loaded open(ModelSpec spec, TriageConfig config, long startNanos, IntConsumer tokensPerRun,
            CachingScorer.Listener cacheListener) {
        WorkDir work = TriageConfig.workDir(config.model());
        NativeSetup.cacheOrtLibraries(work.resolve("native"));
        NativeSetup.placeTokenizerLibrary(work.resolve("djl"));
        OnnxModel model = OnnxModel.open(spec, TriageConfig.optimizedGraphs(config.model()));
        TextTokenizer tokenizer = null;
        try {
            tokenizer = TextTokenizer.open(spec.tokenizerFile(), spec.maxLength(), model.kind() == ModelKind.NLI);
            InferencePool pool = new InferencePool(TriageConfig.effectiveWorkers(config.pool().workers()),
                    config.pool().queueCapacity(), Scheduling.valueOf(config.pool().scheduling().name()), model::run);
            return new Loaded(model, tokenizer, pool, scorer(model, tokenizer, pool, config, tokensPerRun, cacheListener),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        } catch (RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            model.close();
            throw e;
        }
    }

    /** The scorer for this model kind, running on the given pool (the CLI's bench makes pools of its own). */
    public static ZeroShotScorer scorer(OnnxModel model, TextTokenizer tokenizer, InferencePool pool,
            TriageConfig config) {
        return scorer(model, tokenizer, pool, config, tokens -> {
        });
    }

    static ZeroShotScorer scorer(OnnxModel model, TextTokenizer tokenizer, InferencePool pool, TriageConfig config,
            IntConsumer tokensPerRun) {
        return scorer(model, tokenizer, pool, config, tokensPerRun, hit -> {
        });
    }

    /** Model scorer, then long-text chunking, then (if enabled) the result cache. */
    static ZeroShotScorer scorer(OnnxModel model, TextTokenizer tokenizer, InferencePool pool, TriageConfig config,
            IntConsumer tokensPerRun, CachingScorer.Listener cacheListener) {
        BatchRunner runner = new BatchRunner(pool,
                new MicroBatcher(config.batch().maxSize(), config.batch().maxTokens()), config.batch().deadline(),
                tokensPerRun);
        TriageConfig.Scoring scoring = config.scoring();
        boolean nli = model.kind() == ModelKind.NLI;
        ZeroShotScorer scorer = nli
                ? new NliScorer(tokenizer, runner, model.nliLabels().orElseThrow())
                : new EmbeddingScorer(tokenizer, runner, scoring.labelCacheSize(), scoring.temperature(),
                        scoring.multiLabelThreshold(),
                        new EmbeddingScorer.Prototypes(scoring.hypothesisWeight(), scoring.exampleWeight()));
        scorer = new ChunkingScorer(scorer, tokenizer, nli, scoring.chunkOverlap(), scoring.maxChunks());
        if (config.cache().enabled()) {
            scorer = new CachingScorer(scorer, config.cache().size(), config.cache().ttl(), cacheListener);
        }
        return scorer;
    }

    private static void warmUp(Loaded engine) {
        Encoded sample = engine.model().kind() == ModelKind.NLI
                ? engine.tokenizer().encodePair(WARM_UP_TEXT, "This example is sports.")
                : engine.tokenizer().encode(WARM_UP_TEXT);
        List<List<Encoded>> perWorker = Collections.nCopies(engine.pool().size(), List.of(sample));
        engine.pool().submitAll(perWorker).forEach(java.util.concurrent.CompletableFuture::join);
    }

    /** @return the engine, or empty while loading or after a failed load */
    public java.util.Optional<Loaded> loaded() {
        return java.util.Optional.ofNullable(loaded);
    }

    /** Why loading failed, if it did. */
    public java.util.Optional<String> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** Starts loading if nobody has, and blocks until it finished (for the command line); throws if it failed. */
    public Loaded awaitLoaded(Duration timeout) throws InterruptedException {
        startLoading();
        if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("model still loading after " + timeout);
        }
        if (loaded == null) {
            throw new IllegalStateException("model not loaded: " + failure);
        }
        return loaded;
    }

    void onStop(@Observes ShutdownEvent event) {
        Loaded engine = loaded;
        if (engine != null) {
            // Quarkus has already stopped routing new requests; finish what the workers have queued.
            engine.pool().drain(config.shutdownDrain().toMillis());
        }
    }

    @PreDestroy
    void close() {
        Loaded engine = loaded;
        loaded = null;
        if (engine != null) {
            engine.pool().close();
            engine.tokenizer().close();
            engine.model().close();
        }
    }
}
