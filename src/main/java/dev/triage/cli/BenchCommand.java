package dev.triage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import dev.triage.config.TriageConfig;
import dev.triage.pool.InferencePool;
import dev.triage.scoring.LabelSpec;
import dev.triage.scoring.LongText;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.EmbeddingService;
import dev.triage.service.Stack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code triage bench}: throughput and latency of the engine per worker count. For each count k a pool of its
 * own runs the serving model (same session, tokenizer, batching and scorer as HTTP); after an untimed warm-up,
 * 2k concurrent callers on virtual threads send the documents as requests, like HTTP clients would: to classify
 * them, or to embed them as the embedding routes do ({@code --task}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure docs/s, tokens/s and per-document latency of the engine for several worker counts.")
@Dependent
@Unremovable
@RegisterForReflection
public class BenchCommand extends EngineCommand {

    static final String CLASSIFY = "classify";
    static final String EMBED = "embed";

    @Inject
    EmbeddingService embeddings;

    @Option(names = "--workers", split = ",", paramLabel = "K",
            description = "Worker counts to measure (default: 1 and the configured pool size)")
    List<Integer> workers = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "Timed runs per worker count; the report gives medians (default: 3)")
    int repeat;

    @Option(names = "--task", split = ",", paramLabel = "classify|embed",
            description = "What each request asks: classify (against --labels, default) or embed (sentence vectors, "
                    + "as /v1/embeddings and /embed compute them); both, comma-separated, alternate per worker count")
    List<String> tasks = new ArrayList<>(List.of(CLASSIFY));

    @Option(names = "--request-size", paramLabel = "N", defaultValue = "1",
            description = "Documents per request (default: 1)")
    int requestSize;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N documents")
    Integer limit;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the numbers as JSON")
    Path json;

    @Option(names = "--on-bad-line", paramLabel = "fail|skip", defaultValue = "fail",
            description = "A line that is not JSON with a string \"text\": stop (fail, default) or skip it")
    DocSource.OnBadLine onBadLine;

    @Override
    public Integer call() throws Exception {
        List<String> labelNames = labels();
        List<String> given = template();
        checkOptions();
        List<String> texts = read();
        if (texts.isEmpty()) {
            throw CliException.usage(in + " has no documents");
        }

        Stack loaded = loaded();
        String hypothesis = hypothesis(loaded);
        List<Integer> counts = workerCounts();
        long tokens = texts.stream().filter(t -> !t.isBlank()).mapToLong(t -> loaded.tokenizer().encode(t).length())
                .sum();
        if (config.cache().enabled()) {
            note("warning: triage.cache.enabled is true, so repeated runs are answered from the cache");
        }
        note(String.format(Locale.ROOT, "model %s; %d docs (%,d tokens), requests of %d, %d timed run%s per worker "
                + "count %s", model(loaded), texts.size(), tokens, requestSize, repeat, repeat == 1 ? "" : "s",
                counts));

        ClassificationRequest all = new ClassificationRequest(texts, labelNames.stream().map(LabelSpec::plain).toList(),
                given, false, LongText.TRUNCATE);
        List<BenchReport.Result> results = new ArrayList<>();
        for (int k : counts) {
            for (String task : tasks) {
                results.add(measure(loaded, all, task, k, tokens));
            }
        }
        BenchReport report = new BenchReport(new BenchReport.Setup(loaded, in, texts.size(), tokens,
                labelNames, hypothesis, requestSize, repeat, config), results);
        report.print(out());
        if (json != null) {
            report.write(json);
            note("results written to " + json);
        }
        return 0;
    }

    private void checkOptions() {
        checkAtLeastOne("--repeat", repeat);
        checkAtLeastOne("--request-size", requestSize);
        if (limit != null) {
            checkAtLeastOne("--limit", limit);
        }
        workers.forEach(k -> checkAtLeastOne("--workers", k));
        checkWritable("--json", json);
        for (String task : tasks) {
            if (!task.equals(CLASSIFY) && !task.equals(EMBED)) {
                throw CliException.usage("--task must be classify or embed (or both, comma-separated), not '"
                        + task + "'");
            }
        }
        tasks = List.copyOf(new LinkedHashSet<>(tasks));
    }

    /** One worker count: a pool of k on the serving model, warmed, then --repeat timed runs over all documents. */
    private BenchReport.Result measure(Stack loaded, ClassificationRequest all, String task, int k, long tokens)
            throws InterruptedException {
        List<BenchReport.Run> runs = new ArrayList<>();
        try (InferencePool pool = loaded.newPool(k)) {
            Stack onPool = loaded.on(pool);
            // One request, through the service path HTTP uses for it (classify, or embed as /v1/embeddings).
            Consumer<List<String>> send = task.equals(EMBED) ? texts -> embeddings.embed(texts, onPool)
                    : texts -> service.classify(all.withTexts(texts), onPool);
            // Untimed: a few documents per worker, through the same callers (also fills the label cache).
            int warmDocs = Math.min(all.texts().size(), Math.max(4 * k, 2 * k * requestSize));
            drive(send, all.texts().subList(0, warmDocs), 2 * k);
            for (int r = 0; r < repeat; r++) {
                BenchReport.Run run = timed(onPool, send, all.texts(), k, tokens);
                runs.add(run);
                note(String.format(Locale.ROOT, "%s, workers %d, run %d/%d: %.2f s, %.1f docs/s", task, k, r + 1,
                        repeat, run.wallSeconds(), run.docsPerSecond()));
            }
        }
        return new BenchReport.Result(BenchReport.median(runs), task, k, 2 * k, 0, runs);
    }

    private List<String> read() {
        List<String> texts = new ArrayList<>();
        try (DocSource source = new DocSource(in, false, onBadLine, this::note)) {
            DocSource.Doc doc;
            while ((limit == null || texts.size() < limit) && (doc = source.next()) != null) {
                texts.add(service.rules().cut(doc.text()));
            }
        }
        return texts;
    }

    private List<Integer> workerCounts() {
        List<Integer> counts = workers.isEmpty() ? List.of(1, TriageConfig.effectiveWorkers(config.pool().workers()))
                : workers;
        return List.copyOf(new LinkedHashSet<>(counts));
    }

    /** Latency per document (ns) and the span from the first submit to the last result. */
    private record Timing(long[] latencyNanos, long wallNanos) {
    }

    private BenchReport.Run timed(Stack stack, Consumer<List<String>> send, List<String> texts, int k, long tokens)
            throws InterruptedException {
        long modelBefore = stack.model().runNanos();
        Timing timing = drive(send, texts, 2 * k);
        long modelNanos = stack.model().runNanos() - modelBefore;
        long[] sorted = timing.latencyNanos().clone();
        Arrays.sort(sorted);
        double wall = timing.wallNanos() / 1e9;
        double modelSeconds = modelNanos / 1e9;
        return new BenchReport.Run(wall, sorted.length / wall, tokens / wall, BenchReport.percentile(sorted, 50) / 1e6,
                BenchReport.percentile(sorted, 99) / 1e6, modelSeconds, modelSeconds / (wall * k));
    }

    /** The documents as requests of --request-size, taken in turn by concurrent callers on virtual threads. */
    private Timing drive(Consumer<List<String>> send, List<String> texts, int callers) throws InterruptedException {
        int requests = (texts.size() + requestSize - 1) / requestSize;
        long[] latency = new long[texts.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicLong firstSubmit = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastResult = new AtomicLong(Long.MIN_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(callers);
        for (int c = 0; c < callers; c++) {
            threads.add(Thread.ofVirtual().name("triage-bench-caller-" + c).start(() -> {
                try {
                    go.await();
                    int request;
                    while (failure.get() == null && (request = next.getAndIncrement()) < requests) {
                        int from = request * requestSize;
                        int to = Math.min(texts.size(), from + requestSize);
                        long start = System.nanoTime();
                        firstSubmit.accumulateAndGet(start, Math::min);
                        send.accept(texts.subList(from, to));
                        long end = System.nanoTime();
                        lastResult.accumulateAndGet(end, Math::max);
                        Arrays.fill(latency, from, to, end - start);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            Throwable t = failure.get();
            throw new CliException(CliException.FAILURE, "a bench request failed: "
                    + (t.getMessage() == null ? t.toString() : t.getMessage()));
        }
        return new Timing(latency, lastResult.get() - firstSubmit.get());
    }
}
