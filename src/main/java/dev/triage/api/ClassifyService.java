package dev.triage.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

import dev.triage.Engine;
import dev.triage.TriageMetrics;
import dev.triage.batch.Admission;
import dev.triage.batch.DeadlineExceededException;
import dev.triage.batch.InferenceFailedException;
import dev.triage.config.TriageConfig;
import dev.triage.model.ModelKind;
import dev.triage.pool.PoolSaturatedException;
import dev.triage.scoring.ClassifyCommand;

/** Turns a validated request into scores on the engine, and engine conditions into HTTP answers. */
@ApplicationScoped
public class ClassifyService {

    @Inject
    Engine engine;

    @Inject
    TriageConfig config;

    @Inject
    TriageMetrics metrics;

    private volatile Admission admission;

    public ClassifyResponse classify(ClassifyRequest request) {
        Engine.Loaded loaded = engine.loaded().orElseThrow(() -> ApiException.unavailable(
                engine.failure().map(f -> "model failed to load: " + f).orElse("model is still loading"), 5));
        if (loaded.model().kind() == ModelKind.NLI) {
            long pairs = (long) request.texts().size() * request.labels().size();
            if (pairs > config.limits().maxPairs()) {
                throw ApiException.badRequest("texts", request.texts().size() + " texts x " + request.labels().size()
                        + " labels = " + pairs + " NLI pairs; the limit is " + config.limits().maxPairs());
            }
        }
        String template = request.hypothesisTemplate()
                .or(() -> config.scoring().defaultTemplate())
                .orElse(loaded.scorer().defaultTemplate());
        ClassifyCommand command = new ClassifyCommand(request.texts(), request.labels(), template,
                request.multiLabel(), request.longText());
        long start = System.nanoTime();
        try (Admission.Ticket ticket = admit(loaded, request)) {
            ClassifyResponse response = new ClassifyResponse(loaded.model().spec().name(),
                    loaded.scorer().classify(command), loaded.scorer().notes(command));
            metrics.recordRequest(request.texts().size(), Duration.ofNanos(System.nanoTime() - start));
            return response;
        } catch (PoolSaturatedException e) {
            metrics.recordRejection(e.getMessage().startsWith("shutting down") ? "shutdown" : "queue");
            throw ApiException.unavailable("overloaded: " + e.getMessage(), e.retryAfterSeconds());
        } catch (DeadlineExceededException e) {
            metrics.recordRejection("deadline");
            throw ApiException.unavailable(e.getMessage(), 1);
        } catch (InferenceFailedException e) {
            throw new ApiException(500, null, e.getMessage(), null);
        }
    }

    /** Refuses at once, before tokenizing, what would take in-flight work or memory over the bounds. */
    private Admission.Ticket admit(Engine.Loaded loaded, ClassifyRequest request) {
        try {
            return admission(loaded).admit(AdmissionEstimate.of(request, loaded, config));
        } catch (Admission.RefusedException e) {
            metrics.recordRejection(e.reason());
            throw ApiException.unavailable(e.getMessage(), e.retryAfterSeconds());
        }
    }

    private Admission admission(Engine.Loaded loaded) {
        Admission made = admission;
        if (made == null) {
            synchronized (this) {
                if (admission == null) {
                    admission = AdmissionEstimate.admission(loaded, config);
                }
                made = admission;
            }
        }
        return made;
    }
}
