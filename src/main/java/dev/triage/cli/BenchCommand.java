package dev.triage.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.Dependent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.triage.config.TriageConfig;
import dev.triage.pool.InferencePool;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.Stack;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code triage bench}: throughput and latency of the engine per worker count. For each count k a pool of its
 * own runs the serving model (same session, tokenizer, batching and scorer as HTTP); after an untimed warm-up,
 * 2k concurrent callers on virtual threads send the documents as requests, like HTTP clients would.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure docs/s, tokens/s and per-document latency of the engine for several worker counts.")
@Dependent
@Unremovable
@RegisterForReflection
public class BenchCommand extends EngineCommand {

    @Option(names = "--workers", split = ",", paramLabel = "K",
            description = "Worker counts to measure (default: 1 and the configured pool size)")
    List<Integer> workers = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "Timed runs per worker count; the report gives medians (default: 3)")
    int repeat;

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

    /** One timed run. */
    record Run(double wallSeconds, double docsPerSecond, double tokensPerSecond, double p50Ms, double p99Ms,
            double modelSeconds, double modelShare) {
    }

    /** Medians over the runs of one worker count. */
    record Result(int workers, Run median, double speedup, List<Run> runs) {
    }

    @Override
    public Integer call() throws Exception {
        List<String> labelNames = labels();
        Optional<String> given = template();
        checkAtLeastOne("--repeat", repeat);
        checkAtLeastOne("--request-size", requestSize);
        if (limit != null) {
            checkAtLeastOne("--limit", limit);
        }
        for (int k : workers) {
            checkAtLeastOne("--workers", k);
        }
        checkWritable("--json", json);
        List<String> texts = read();
        if (texts.isEmpty()) {
            throw CliException.usage(in + " has no documents");
        }

        Stack loaded = loaded();
        String hypothesis = hypothesis(loaded);
        List<Integer> counts = workerCounts();
        long tokens = 0;
        for (String text : texts) {
            if (!text.isBlank()) {
                tokens += loaded.tokenizer().encode(text).length();
            }
        }
        if (config.cache().enabled()) {
            note("warning: triage.cache.enabled is true, so repeated runs are answered from the cache");
        }
        note(String.format(Locale.ROOT, "model %s; %d docs (%,d tokens), requests of %d, %d timed run%s per worker "
                + "count %s", model(loaded), texts.size(), tokens, requestSize, repeat, repeat == 1 ? "" : "s",
                counts));

        ClassificationRequest all = ClassificationRequest.of(texts, labelNames, given, false);
        List<Result> results = new ArrayList<>();
        for (int k : counts) {
            List<Run> runs = new ArrayList<>();
            try (InferencePool pool = loaded.newPool(k)) {
                Stack onPool = loaded.on(pool);
                // Untimed: a few documents per worker, through the same callers (also fills the label cache).
                int warmDocs = Math.min(texts.size(), Math.max(4 * k, 2 * k * requestSize));
                drive(onPool, all.withTexts(texts.subList(0, warmDocs)), 2 * k);
                for (int r = 0; r < repeat; r++) {
                    Run run = timed(onPool, all, 2 * k, k, tokens);
                    runs.add(run);
                    note(String.format(Locale.ROOT, "workers %d, run %d/%d: %.2f s, %.1f docs/s", k, r + 1, repeat,
                            run.wallSeconds(), run.docsPerSecond()));
                }
            }
            results.add(new Result(k, median(runs), 0, runs));
        }
        Result base = results.stream().filter(r -> r.workers() == 1).findFirst().orElse(results.get(0));
        List<Result> withSpeedup = results.stream()
                .map(r -> new Result(r.workers(), r.median(), r.median().docsPerSecond() / base.median().docsPerSecond(),
                        r.runs()))
                .toList();
        print(loaded, texts.size(), tokens, withSpeedup, base.workers());
        if (json != null) {
            writeJson(loaded, hypothesis, labelNames, texts.size(), tokens, withSpeedup, base.workers());
        }
        return 0;
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
        if (!workers.isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(workers));
        }
        return List.copyOf(new LinkedHashSet<>(List.of(1, TriageConfig.effectiveWorkers(config.pool().workers()))));
    }

    /** Latency per document (ns) and the span from the first submit to the last result. */
    private record Timing(long[] latencyNanos, long wallNanos) {
    }

    private Run timed(Stack stack, ClassificationRequest all, int callers, int k, long tokens)
            throws InterruptedException {
        long modelBefore = stack.model().runNanos();
        Timing timing = drive(stack, all, callers);
        long modelNanos = stack.model().runNanos() - modelBefore;
        long[] sorted = timing.latencyNanos().clone();
        Arrays.sort(sorted);
        double wall = timing.wallNanos() / 1e9;
        double modelSeconds = modelNanos / 1e9;
        return new Run(wall, sorted.length / wall, tokens / wall, percentile(sorted, 50) / 1e6,
                percentile(sorted, 99) / 1e6, modelSeconds, modelSeconds / (wall * k));
    }

    /** The documents as requests of --request-size, taken in turn by concurrent callers on virtual threads. */
    private Timing drive(Stack stack, ClassificationRequest all, int callers) throws InterruptedException {
        List<String> texts = all.texts();
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
                        service.classify(all.withTexts(texts.subList(from, to)), stack);
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

    /** Nearest rank. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(List<Run> runs, ToDoubleFunction<Run> metric) {
        double[] values = runs.stream().mapToDouble(metric).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static Run median(List<Run> runs) {
        return new Run(median(runs, Run::wallSeconds), median(runs, Run::docsPerSecond),
                median(runs, Run::tokensPerSecond), median(runs, Run::p50Ms), median(runs, Run::p99Ms),
                median(runs, Run::modelSeconds), median(runs, Run::modelShare));
    }

    private void print(Stack loaded, int docs, long tokens, List<Result> results, int base) {
        var out = out();
        out.printf(Locale.ROOT, "model: %s%n", model(loaded));
        out.printf(Locale.ROOT, "input: %s: %d docs, %,d tokens; requests of %d doc%s; median of %d run%s%n", in,
                docs, tokens, requestSize, requestSize == 1 ? "" : "s", repeat, repeat == 1 ? "" : "s");
        out.printf(Locale.ROOT, "machine: %d CPUs, Java %s%n%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        out.printf(Locale.ROOT, "%7s %9s %9s %10s %9s %9s %9s %9s %11s%n", "workers", "wall s", "docs/s",
                "tokens/s", "p50 ms", "p99 ms", "speed-up", "model s", "model share");
        for (Result r : results) {
            Run m = r.median();
            out.printf(Locale.ROOT, "%7d %9.3f %9.1f %10.0f %9.1f %9.1f %8.2fx %9.3f %10.1f%%%n", r.workers(),
                    m.wallSeconds(), m.docsPerSecond(), m.tokensPerSecond(), m.p50Ms(), m.p99Ms(), r.speedup(),
                    m.modelSeconds(), 100 * m.modelShare());
        }
        out.printf(Locale.ROOT, "%nspeed-up: docs/s over %d worker%s; model share: time inside ONNX Runtime / "
                + "(wall x workers)%n", base, base == 1 ? "" : "s");
        out.flush();
    }

    private void writeJson(Stack loaded, String hypothesis, List<String> labelNames, int docs, long tokens,
            List<Result> results, int base) {
        ObjectNode root = DocSource.JSON.createObjectNode();
        ObjectNode machine = root.putObject("machine");
        machine.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        machine.put("javaVersion", Runtime.version().toString());
        machine.put("javaVm", System.getProperty("java.vm.name"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        ObjectNode model = root.putObject("model");
        model.put("name", loaded.model().spec().name());
        model.put("kind", loaded.model().kind().name().toLowerCase(Locale.ROOT));
        model.put("maxLength", loaded.model().spec().maxLength());
        root.put("input", in.toString());
        root.put("docs", docs);
        root.put("tokens", tokens);
        labelNames.forEach(root.putArray("labels")::add);
        root.put("template", hypothesis);
        root.put("requestSize", requestSize);
        root.put("repeat", repeat);
        root.put("batchMaxSize", config.batch().maxSize());
        root.put("cacheEnabled", config.cache().enabled());
        root.put("speedupBaseWorkers", base);
        ArrayNode all = root.putArray("results");
        for (Result r : results) {
            ObjectNode node = run(r.median());
            node.put("workers", r.workers());
            node.put("callers", 2 * r.workers());
            node.put("speedup", r.speedup());
            ArrayNode runs = node.putArray("runs");
            r.runs().forEach(run -> runs.add(run(run)));
            all.add(node);
        }
        try {
            DocSource.JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
        } catch (IOException e) {
            throw new CliException(CliException.FAILURE, "--json: cannot write " + json + ": " + e.getMessage());
        }
        note("results written to " + json);
    }

    private static ObjectNode run(Run run) {
        ObjectNode node = DocSource.JSON.createObjectNode();
        node.put("wallSeconds", run.wallSeconds());
        node.put("docsPerSecond", run.docsPerSecond());
        node.put("tokensPerSecond", run.tokensPerSecond());
        node.put("p50Ms", run.p50Ms());
        node.put("p99Ms", run.p99Ms());
        node.put("modelSeconds", run.modelSeconds());
        node.put("modelShare", run.modelShare());
        return node;
    }
}
