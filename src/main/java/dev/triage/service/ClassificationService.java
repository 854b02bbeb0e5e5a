package dev.triage.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.triage.batch.DeadlineExceededException;
import dev.triage.batch.InferenceFailedException;
import dev.triage.config.TriageConfig;
import dev.triage.pool.PoolSaturatedException;
import dev.triage.scoring.ClassifyCommand;

/**
 * The one way to classify, for HTTP, CloudEvents and the command line: request rules and limits, the default
 * template, metrics, and what the batch and pool failures mean to a caller.
 */
@ApplicationScoped
public class ClassificationService {

    /** Seconds a caller is told to wait while the model loads. */
    static final int LOADING_RETRY_AFTER = 5;

    @Inject
    Engine engine;

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    /** On the serving stack; {@link TriageException.Kind#NOT_READY} until it is loaded. */
    public ClassifyResponse classify(ClassificationRequest request) {
        Stack stack = engine.loaded().orElseThrow(() -> new TriageException(TriageException.Kind.NOT_READY, null,
                engine.failure().map(f -> "model failed to load: " + f).orElse("model is still loading"),
                LOADING_RETRY_AFTER));
        return classify(request, stack);
    }

    /** On the given stack (bench runs pools of other sizes on the serving model). */
    public ClassifyResponse classify(ClassificationRequest request, Stack stack) {
        ClassifyCommand command = command(request, stack);
        long start = System.nanoTime();
        try {
            ClassifyResponse response = new ClassifyResponse(stack.model().spec().name(),
                    stack.scorer().classify(command), stack.scorer().notes(command));
            metrics.recordRequest(command.texts().size(), Duration.ofNanos(System.nanoTime() - start));
            return response;
        } catch (PoolSaturatedException e) {
            throw new TriageException(TriageException.Kind.OVERLOADED, null, "overloaded: " + e.getMessage(),
                    e.retryAfterSeconds());
        } catch (DeadlineExceededException e) {
            throw new TriageException(TriageException.Kind.DEADLINE, null, e.getMessage(), 1);
        } catch (InferenceFailedException e) {
            throw new TriageException(TriageException.Kind.MODEL_FAILURE, null, e.getMessage(), null);
        }
    }

    /** The rules, for checking a request's labels and template before a model is loaded. */
    public RequestRules rules() {
        return new RequestRules(config.limits());
    }

    /** The template used when a request gives none: the configured default, else the model kind's. */
    public String template(ClassificationRequest request, Stack stack) {
        return request.hypothesisTemplate().or(() -> config.scoring().defaultTemplate())
                .orElse(stack.scorer().defaultTemplate());
    }

    private ClassifyCommand command(ClassificationRequest request, Stack stack) {
        RequestRules rules = rules();
        rules.check(request);
        if (stack.nli()) {
            rules.pairs(request.texts().size(), request.labels().size());
        }
        ClassificationRequest cut = rules.cut(request);
        return new ClassifyCommand(cut.texts(), cut.labels(), template(request, stack), cut.multiLabel(),
                cut.longText());
    }
}
