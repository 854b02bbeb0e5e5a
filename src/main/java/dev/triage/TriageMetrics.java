package dev.triage;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.triage.service.RequestTrace;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

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

    @Inject
    public TriageMetrics(MeterRegistry registry, jakarta.enterprise.inject.Instance<Engine> engine) {
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
        Gauge.builder("triage.pool.queue.depth", engine, e -> e.get().loaded().map(l -> l.pool().queued()).orElse(0))
                .description("Micro-batches waiting for a worker").register(registry);
        Gauge.builder("triage.pool.workers.busy", engine, e -> e.get().loaded().map(l -> l.pool().busy()).orElse(0))
                .description("Workers running inference now").register(registry);
        Gauge.builder("triage.pool.workers", engine, e -> e.get().loaded().map(l -> l.pool().size()).orElse(0))
                .description("Workers in the pool").register(registry);
        Gauge.builder("triage.model.load.seconds", engine,
                e -> e.get().loaded().map(l -> l.loadMillis() / 1000.0).orElse(Double.NaN))
                .description("Time to load the model (session, tokenizer, pool)").baseUnit("seconds")
                .register(registry);
    }

    public void recordRequest(int texts, Duration took) {
        documents.increment(texts);
        batches.increment();
        latency.record(took);
    }

    void recordCacheLookup(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    void recordTokens(int count) {
        tokens.record(count);
        RequestTrace.addTokens(count);
    }
}
