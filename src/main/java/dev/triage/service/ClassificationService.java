package dev.triage.service;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.triage.batch.Admission;
import dev.triage.batch.DeadlineExceededException;
import dev.triage.batch.InferenceFailedException;
import dev.triage.config.TriageConfig;
import dev.triage.pool.PoolSaturatedException;
import dev.triage.scoring.Classification;
import dev.triage.scoring.ClassifyCommand;

/**
 * The one way to classify, for HTTP, CloudEvents and the command line: request rules and limits, the default
 * template, admission (served requests), metrics, and what the batch and pool failures mean to a caller.
 */
@ApplicationScoped
public class ClassificationService {

    /**
     * Texts per streamed chunk, per worker: the first lines come after about this many texts' work, and the
     * workers idle only at each chunk's last micro-batches.
     */
    static final int STREAM_CHUNK_PER_WORKER = 16;

    @Inject
    Engine engine;

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    private Admission admission;

    /**
     * On the serving stack, for requests that arrive concurrently (HTTP, CloudEvents): admitted only while what
     * all of them hold stays within the bounds. {@link TriageException.Kind#NOT_READY} until it is loaded.
     */
    public ClassifyResponse classify(ClassificationRequest request) {
        Stack stack = servingAfterLoad();
        ClassifyCommand command = command(request, stack);
        try (Admission.Ticket ticket = admit(stack, command)) {
            return score(command, stack);
        }
    }

    /** On the given stack, unbounded (the command line paces itself; bench runs pools of other sizes). */
    public ClassifyResponse classify(ClassificationRequest request, Stack stack) {
        return score(command(request, stack), stack);
    }

    /** Told each chunk's results, in input order, as soon as the chunk is done. */
    @FunctionalInterface
    public interface ResultSink {
        void accept(List<Classification> results) throws Exception;
    }

    /**
     * Chunk after chunk ({@code chunks} gives the next, in input order, and null at the end): each chunk's results
     * go to {@code sink} as soon as that chunk, and so every text before it, is done. The command line's
     * {@code classify} (chunks of a file) and NDJSON streaming (chunks of a request) both come through here; it
     * counts as one request in the metrics.
     *
     * @return how many texts were classified
     */
    public long classifyInOrder(ClassificationRequest request, Stack stack, Callable<List<String>> chunks,
            ResultSink sink) throws Exception {
        long start = System.nanoTime();
        long count = 0;
        List<String> texts;
        while ((texts = chunks.call()) != null) {
            ClassifyCommand command = command(request.withTexts(texts), stack);
            sink.accept(onPool(() -> stack.scorer().classify(command)));
            count += texts.size();
        }
        metrics.recordRequest(count, Duration.ofNanos(System.nanoTime() - start));
        return count;
    }

    /**
     * {@link #classifyInOrder} for a served request: the rules, limits and admission of {@link #classify} for the
     * whole request, then its texts in chunks of {@link #STREAM_CHUNK_PER_WORKER} per worker.
     */
    public void classifyStreaming(ClassificationRequest request, ResultSink sink) throws Exception {
        Stack stack = servingAfterLoad();
        ClassifyCommand whole = command(request, stack);
        int chunkSize = STREAM_CHUNK_PER_WORKER * stack.pool().size();
        List<String> texts = request.texts();
        Iterator<List<String>> chunks = IntStream.iterate(0, from -> from < texts.size(), from -> from + chunkSize)
                .mapToObj(from -> texts.subList(from, Math.min(texts.size(), from + chunkSize))).iterator();
        try (Admission.Ticket ticket = admit(stack, whole)) {
            classifyInOrder(request, stack, () -> chunks.hasNext() ? chunks.next() : null, sink);
        }
    }

    private ClassifyResponse score(ClassifyCommand command, Stack stack) {
        long start = System.nanoTime();
        ClassifyResponse response = onPool(() -> new ClassifyResponse(stack.model().spec().name(),
                stack.scorer().classify(command), stack.scorer().notes(command)));
        metrics.recordRequest(command.texts().size(), Duration.ofNanos(System.nanoTime() - start));
        return response;
    }

    /**
     * How strongly each real label (the catch-all left out) matches each text, under the same rules as
     * {@link #classify}: what {@code triage calibrate} fits a catch-all threshold on.
     */
    public double[][] strengths(ClassificationRequest request, Stack stack) {
        ClassifyCommand command = command(request, stack);
        return onPool(() -> stack.scorer().strengths(command));
    }

    /** The loaded stack, waiting up to {@code triage.model.ready-wait} while the model is loading. */
    Stack servingAfterLoad() {
        return engine.serving(config.model().readyWait());
    }

    /** Runs work on the pool; what its failures mean to a caller, for every operation alike. */
    <T> T onPool(Supplier<T> work) {
        try {
            return work.get();
        } catch (PoolSaturatedException e) {
            metrics.recordRejection(e.reason());
            throw new TriageException(TriageException.Kind.OVERLOADED, null, "overloaded: " + e.getMessage(),
                    e.retryAfterSeconds());
        } catch (DeadlineExceededException e) {
            if (!Thread.currentThread().isInterrupted()) {
                metrics.recordRejection("deadline"); // interrupted: the caller is gone (a closed connection, a signal)
            }
            throw new TriageException(TriageException.Kind.DEADLINE, null, e.getMessage(), 1);
        } catch (InferenceFailedException e) {
            throw new TriageException(TriageException.Kind.MODEL_FAILURE, null, e.getMessage(), null);
        }
    }

    /** Refuses at once, before tokenizing, what would take in-flight work or memory over the bounds. */
    private Admission.Ticket admit(Stack stack, ClassifyCommand command) {
        try {
            return admission(stack).admit(AdmissionEstimate.of(command, stack, config));
        } catch (PoolSaturatedException e) {
            metrics.recordRejection(e.reason());
            throw new TriageException(TriageException.Kind.OVERLOADED, null, e.getMessage(), e.retryAfterSeconds());
        }
    }

    /** Made from the serving stack on first use (its bounds depend on the pool's size). */
    private synchronized Admission admission(Stack stack) {
        if (admission == null) {
            admission = AdmissionEstimate.admission(stack, config);
        }
        return admission;
    }

    /** The rules, for checking a request's labels and template before a model is loaded. */
    public RequestRules rules() {
        return new RequestRules(config.limits());
    }

    /** The request's templates or, when it gives none, the configured default, else the model kind's. */
    public List<String> templates(ClassificationRequest request, Stack stack) {
        if (!request.hypothesisTemplates().isEmpty()) {
            return request.hypothesisTemplates();
        }
        return List.of(config.scoring().defaultTemplate().orElse(stack.scorer().defaultTemplate()));
    }

    private ClassifyCommand command(ClassificationRequest request, Stack stack) {
        RequestRules rules = rules();
        rules.check(request);
        if (stack.nli()) {
            rules.pairs(request.texts().size(), request.labels().size());
            if (request.hypothesisTemplates().size() > 1) {
                throw TriageException.badInput("hypothesisTemplates", "template ensembles need an embedding model; "
                        + "an NLI model reads one hypothesis per label");
            }
        }
        ClassificationRequest cut = rules.cut(request);
        return new ClassifyCommand(cut.texts(), cut.labels(), templates(request, stack), cut.multiLabel(),
                cut.longText());
    }
}
