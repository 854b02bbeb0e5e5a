package dev.triage.service;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import dev.triage.config.TriageConfig;
import dev.triage.model.Encoded;
import dev.triage.model.ModelLocator;
import dev.triage.model.ModelSpec;

import io.quarkus.runtime.Quarkus;
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
    /** Seconds a caller is told to wait while the model loads. */
    static final int LOADING_RETRY_AFTER = 5;
    /** A typical sentence, so warm-up touches the kernels real requests use. */
    private static final String WARM_UP_TEXT = "The engine warms up on one ordinary sentence about motorcycles "
            + "and baseball before it reports ready.";
    /** How long a stop waits for a load in progress to finish before it closes what was loaded. */
    private static final Duration LOAD_SETTLE = Duration.ofMinutes(2);

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    @Inject
    @CommandLineArguments
    String[] arguments;

    private final AtomicBoolean started = new AtomicBoolean();
    private final LoadOutcome<Stack> outcome = new LoadOutcome<>();

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

    private void load() {
        long start = System.nanoTime();
        try {
            ModelSpec spec = ModelLocator.locate(config.model());
            LOG.infof("Loading model %s from %s (max %d tokens)", spec.name(), spec.onnxFile(), spec.maxLength());
            Stack ready = Stack.open(spec, config, metrics, start);
            warmUp(ready);
            metrics.serving(ready);
            outcome.succeed(ready);
            long sinceJvmStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            LOG.infof("Model %s (%s) ready: loaded in %d ms, %d workers, ready %d ms after JVM start",
                    spec.name(), ready.model().kind(), ready.loadMillis(), ready.pool().size(), sinceJvmStart);
        } catch (Throwable t) {
            String failure = t.getMessage() == null ? t.toString() : t.getMessage();
            outcome.fail(failure);
            if (jvmShuttingDown()) {
                // a signal arrived while loading: nothing is wrong with the model, so no stack trace
                LOG.infof("Model loading stopped: the process is shutting down (%s)", failure);
                return;
            }
            LOG.errorf(t, "MODEL NOT LOADED: %s", failure);
            if (config.model().exitOnFailure()) {
                Quarkus.asyncExit(1);
            }
        }
    }

    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }

    private static void warmUp(Stack stack) {
        Encoded sample = stack.nli()
                ? stack.tokenizer().encodePair(WARM_UP_TEXT, "This example is sports.")
                : stack.tokenizer().encode(WARM_UP_TEXT);
        List<List<Encoded>> perWorker = Collections.nCopies(stack.pool().size(), List.of(sample));
        stack.pool().submitAll(perWorker).forEach(CompletableFuture::join);
    }

    /** /q/health/ready: UP only once the model is loaded and every worker ran one warm-up inference. */
    @Produces
    @Readiness
    HealthCheck readiness() {
        return () -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("model");
            loaded().ifPresentOrElse(loaded -> response.up()
                    .withData("model", loaded.model().spec().name())
                    .withData("kind", loaded.model().kind().name().toLowerCase(Locale.ROOT))
                    .withData("workers", loaded.pool().size())
                    .withData("loadMillis", loaded.loadMillis()),
                    () -> response.down().withData("state",
                            outcome.failure().map(f -> "failed: " + f).orElse("loading")));
            return response.build();
        };
    }

    /** The loaded stack, or empty while loading or after a failed load. */
    public Optional<Stack> loaded() {
        return outcome.value();
    }

    /**
     * The loaded stack, waiting at most {@code wait} while it is loading; {@link TriageException.Kind#NOT_READY}
     * while it still is, or after a failed load.
     */
    Stack serving(Duration wait) {
        return outcome.awaitValue(wait).orElseThrow(() -> new TriageException(TriageException.Kind.NOT_READY, null,
                outcome.failure().map(f -> "model failed to load: " + f).orElse("model is still loading"),
                LOADING_RETRY_AFTER));
    }

    /** Starts loading if nobody has, and blocks until it finished (for the command line); throws if it failed. */
    public Stack awaitLoaded(Duration timeout) throws InterruptedException {
        startLoading();
        if (!outcome.await(timeout)) {
            throw new IllegalStateException("model still loading after " + timeout);
        }
        return outcome.value().orElseThrow(() -> new IllegalStateException("model not loaded: "
                + outcome.failure().orElse("unknown")));
    }

    @PreDestroy
    void close() {
        if (started.get()) {
            // ONNX Runtime frees its environment in a JVM shutdown hook: a process that exits while a session is
            // still being created (a start that failed on a busy port, a signal) crashes in native code.
            try {
                outcome.await(LOAD_SETTLE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Stack loaded = outcome.clear();
        if (loaded != null) {
            loaded.close();
        }
    }
}
