package dev.triage.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.triage.config.TriageConfig;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;

/**
 * SIGTERM, as the server sees it: readiness turns DOWN for {@code quarkus.shutdown.delay} (routers stop sending,
 * requests are still served); then new requests are refused (503) and the pool drains within a budget that ends
 * before Quarkus stops waiting for HTTP requests, so every request in flight still gets its answer (a result, or
 * 503 + Retry-After for work that cannot finish in time) before the server closes its connections.
 */
@ApplicationScoped
public class ShutdownDrain {

    private static final Logger LOG = Logger.getLogger(ShutdownDrain.class);
    /** Left between the drain's end and Quarkus's HTTP timeout: replies are written, the last batch ends. */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(3);

    @Inject
    Engine engine;

    @Inject
    TriageConfig config;

    @ConfigProperty(name = "quarkus.shutdown.delay")
    Optional<Duration> delay;

    @ConfigProperty(name = "quarkus.shutdown.timeout")
    Optional<Duration> httpTimeout;

    private final AtomicBoolean draining = new AtomicBoolean();

    /** True once new requests are to be refused. */
    public boolean refusing() {
        return draining.get();
    }

    /** SIGTERM with a readiness delay: drain once the delay is over, on a thread of its own. */
    void onDelayStarted(@Observes ShutdownDelayInitiatedEvent event) {
        Duration wait = delay.orElse(Duration.ZERO);
        Executor drainer = runnable -> Thread.ofPlatform().name("triage-shutdown-drain").daemon(true).start(runnable);
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, drainer).execute(this::drain);
    }

    /** Without a delay (or after it): HTTP has stopped; make sure nothing is left running. */
    void onStop(@Observes ShutdownEvent event) {
        drain();
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        Duration budget = budget(config.shutdownDrain(), httpTimeout);
        engine.loaded().ifPresent(loaded -> {
            LOG.infof("Shutting down: new requests get 503; queued work has %d ms to finish", budget.toMillis());
            loaded.pool().drainWithin(budget);
        });
    }

    /** triage.shutdown-drain, cut so that the drain ends {@link #ANSWER_MARGIN} before Quarkus's HTTP timeout. */
    static Duration budget(Duration configured, Optional<Duration> httpTimeout) {
        Duration fits = httpTimeout.map(timeout -> timeout.minus(ANSWER_MARGIN)).orElse(configured);
        return fits.isNegative() ? Duration.ZERO : configured.compareTo(fits) < 0 ? configured : fits;
    }
}
