package dev.triage.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.triage.config.TriageConfig;
import dev.triage.model.ModelSpec;
import dev.triage.service.Stack;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code triage bench} measured: medians per worker count and the speed-up over the base count. */
final class BenchReport {

    /** One timed run. */
    @RegisterForReflection
    record Run(double wallSeconds, double docsPerSecond, double tokensPerSecond, double p50Ms, double p99Ms,
            double modelSeconds, double modelShare) {
    }

    /** Medians over the runs of one task at one worker count (--json: the medians as its own fields). */
    @RegisterForReflection
    record Result(@JsonUnwrapped Run median, String task, int workers, int callers, double speedup, List<Run> runs) {
    }

    /** What was measured, and how. */
    record Setup(Stack stack, Path input, int docs, long tokens, List<String> labels, String template,
            int requestSize, int repeat, TriageConfig config) {
    }

    private final Setup setup;
    private final List<Result> results;
    private final int base;

    /**
     * @param measured medians per task and worker count; a task's speed-up is computed over its run at 1 worker
     *                 (else at the first count)
     */
    BenchReport(Setup setup, List<Result> measured) {
        this.setup = setup;
        this.base = measured.stream().anyMatch(r -> r.workers() == 1) ? 1 : measured.get(0).workers();
        this.results = measured.stream().map(r -> {
            Result first = measured.stream().filter(b -> b.task().equals(r.task()) && b.workers() == base)
                    .findFirst().orElse(r);
            return new Result(r.median(), r.task(), r.workers(), r.callers(),
                    r.median().docsPerSecond() / first.median().docsPerSecond(), r.runs());
        }).toList();
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

    static Run median(List<Run> runs) {
        return new Run(median(runs, Run::wallSeconds), median(runs, Run::docsPerSecond),
                median(runs, Run::tokensPerSecond), median(runs, Run::p50Ms), median(runs, Run::p99Ms),
                median(runs, Run::modelSeconds), median(runs, Run::modelShare));
    }

    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "model: %s%n", EngineCommand.model(setup.stack()));
        out.printf(Locale.ROOT, "input: %s: %d docs, %,d tokens; requests of %d doc%s; median of %d run%s%n",
                setup.input(), setup.docs(), setup.tokens(), setup.requestSize(), setup.requestSize() == 1 ? "" : "s",
                setup.repeat(), setup.repeat() == 1 ? "" : "s");
        out.printf(Locale.ROOT, "machine: %d CPUs, Java %s%n%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        for (String task : results.stream().map(Result::task).distinct().toList()) {
            printTask(out, task);
        }
        out.printf(Locale.ROOT, "%nspeed-up: docs/s over %d worker%s; model share: time inside ONNX Runtime / "
                + "(wall x workers)%n", base, base == 1 ? "" : "s");
        out.flush();
    }

    /** One table per task; its rows start with the worker count (deploy/tutorial.sh reads them). */
    private void printTask(PrintWriter out, String task) {
        out.printf(Locale.ROOT, "task: %s%n", task);
        out.printf(Locale.ROOT, "%7s %9s %9s %10s %9s %9s %9s %9s %11s%n", "workers", "wall s", "docs/s",
                "tokens/s", "p50 ms", "p99 ms", "speed-up", "model s", "model share");
        for (Result r : results.stream().filter(r -> r.task().equals(task)).toList()) {
            Run m = r.median();
            out.printf(Locale.ROOT, "%7d %9.3f %9.1f %10.0f %9.1f %9.1f %8.2fx %9.3f %10.1f%%%n", r.workers(),
                    m.wallSeconds(), m.docsPerSecond(), m.tokensPerSecond(), m.p50Ms(), m.p99Ms(), r.speedup(),
                    m.modelSeconds(), 100 * m.modelShare());
        }
    }

    /** What --json writes. */
    @RegisterForReflection
    record Json(Machine machine, Model model, String input, int docs, long tokens, List<String> labels,
            String template, int requestSize, int repeat, int batchMaxSize, boolean cacheEnabled,
            int speedupBaseWorkers, List<Result> results) {
    }

    @RegisterForReflection
    record Machine(int availableProcessors, String javaVersion, String javaVm, String os) {
    }

    @RegisterForReflection
    record Model(String name, String kind, int maxLength) {
    }

    void write(Path json) {
        Machine machine = new Machine(Runtime.getRuntime().availableProcessors(), Runtime.version().toString(),
                System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        ModelSpec spec = setup.stack().model().spec();
        Model model = new Model(spec.name(), setup.stack().model().kind().name().toLowerCase(Locale.ROOT),
                spec.maxLength());
        EngineCommand.writeJson(json, new Json(machine, model, setup.input().toString(),
                setup.docs(), setup.tokens(), setup.labels(), setup.template(), setup.requestSize(), setup.repeat(),
                setup.config().batch().maxSize(), setup.config().cache().enabled(), base, results));
    }
}
