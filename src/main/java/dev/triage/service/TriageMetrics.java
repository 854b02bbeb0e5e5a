package dev.triage.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * What an operator watches at /q/metrics: work done, latency per request, tokens per batch, and the pool's
 * queue depth and busy workers (the signal that a pod's cores are saturated and Knative should scale out).
 */
@ApplicationScoped
public class TriageMetrics {

    private final Counter documents;
    private final Counter batches;
    private final Timer latency;
    private final DistributionSummary tokens;
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final MeterRegistry registry;
    /** What the pool gauges read: the stack being served, once loaded (Engine sets it; no edge back to Engine). */
    private final AtomicReference<Stack> serving = new AtomicReference<>();

    @Inject
    public TriageMetrics(MeterRegistry registry) {
        this.registry = registry;
        documents = Counter.builder("triage.documents.classified").description("Texts classified")
                .register(registry);
        batches = Counter.builder("triage.batches.classified").description("Requests (batches) classified")
                .register(registry);
        latency = Timer.builder("triage.request.duration").description("Time to classify one request")
                .publishPercentileHistogram().register(registry);
        tokens = DistributionSummary.builder("triage.batch.tokens").description("Real tokens per batch run")
                .baseUnit("tokens").publishPercentileHistogram().register(registry);
        cacheHits = Counter.builder("triage.cache.lookups").tag("result", "hit")
                .description("Texts answered from the result cache").register(registry);
        cacheMisses = Counter.builder("triage.cache.lookups").tag("result", "miss")
                .description("Texts not found in the result cache").register(registry);
        gauge("triage.pool.queue.depth", "Micro-batches waiting for a worker", s -> s.pool().queued(), 0)
                .register(registry);
        gauge("triage.pool.workers.busy", "Workers running inference now", s -> s.pool().busy(), 0).register(registry);
        gauge("triage.pool.workers", "Workers in the pool", s -> s.pool().size(), 0).register(registry);
        gauge("triage.model.load.seconds", "Time to load the model (session, tokenizer, pool)",
                s -> s.loadMillis() / 1000.0, Double.NaN).baseUnit("seconds").register(registry);
    }

    /** A gauge on the served stack, {@code before} while there is none. */
    private Gauge.Builder<AtomicReference<Stack>> gauge(String name, String description,
            ToDoubleFunction<Stack> value, double before) {
        return Gauge.builder(name, serving, s -> Optional.ofNullable(s.get()).map(value::applyAsDouble).orElse(before))
                .description(description);
    }

    /** The stack the gauges describe from now on. */
    void serving(Stack stack) {
        serving.set(stack);
    }

    /** Size, hits, misses and evictions of a cache, as {@code cache_*{cache="name"}}. */
    void bindCache(String name, Cache<?, ?> cache) {
        CaffeineCacheMetrics.monitor(registry, cache, name);
    }

    public void recordRequest(long texts, Duration took) {
        documents.increment(texts);
        batches.increment();
        latency.record(took);
    }

    /** A request refused with 503: work, memory (admission), queue, shutdown, deadline. */
    public void recordRejection(String reason) {
        Counter.builder("triage.requests.rejected").tag("reason", reason)
                .description("Requests answered 503, by reason").register(registry).increment();
    }

    void recordCacheLookup(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    void recordTokens(int count) {
        tokens.record(count);
        RequestTrace.addTokens(count);
    }
}
