package dev.triage.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.config.TriageConfig;
import dev.triage.scoring.Classification;
import dev.triage.service.ClassificationRequest;
import dev.triage.service.ClassificationService;
import dev.triage.service.ClassifyResponse;
import dev.triage.service.TriageException;
import io.vertx.ext.web.Router;

/**
 * {@code POST /zero-shot}: HF's zero-shot pipeline / Inference API request and reply shapes, on its own route so
 * that {@code /classify} keeps its shape and its strict field checks (a body there with {@code inputs} is still
 * an error naming the field). HF clients take the endpoint URL, so the path is theirs to point at.
 */
public class HfZeroShotRoute {

    static final String PATH = "/zero-shot";
    /** JSON values besides the texts: the labels and a few options. */
    private static final int OPTION_VALUES = 16;

    /** HF Inference API's zero-shot body: {@code inputs} a string or a list, the labels under {@code parameters}. */
    record HfZeroShotRequest(JsonNode inputs, Parameters parameters) {

        record Parameters(@JsonProperty("candidate_labels") List<String> candidateLabels,
                @JsonProperty("multi_label") Boolean multiLabel,
                @JsonProperty("hypothesis_template") String hypothesisTemplate) {
        }
    }

    /** HF's answer per text: labels ranked by score. */
    @JsonPropertyOrder({ "sequence", "labels", "scores" })
    record Answer(String sequence, List<String> labels, List<Double> scores) {
    }

    @Inject
    ClassificationService service;

    @Inject
    RequestThreads threads;

    @Inject
    TriageConfig config;

    void install(@Observes Router router) {
        JsonRoute.post(router, PATH, ErrorShape.TRIAGE, threads.executor(), this::answer);
    }

    private Object answer(byte[] body) {
        EmbedInputs.scan(body, "inputs", config.limits().maxTexts(), config.limits().maxLabels() + OPTION_VALUES);
        HfZeroShotRequest request = EmbedInputs.bind(body, HfZeroShotRequest.class);
        List<String> texts = EmbedInputs.texts(request.inputs(), "inputs");
        HfZeroShotRequest.Parameters parameters = request.parameters();
        if (parameters == null || parameters.candidateLabels() == null) {
            throw TriageException.badInput("parameters.candidate_labels",
                    "`parameters.candidate_labels` is required: the labels to choose from");
        }
        ClassificationRequest classify = ClassificationRequest.of(texts, parameters.candidateLabels(),
                Optional.ofNullable(parameters.hypothesisTemplate()), Boolean.TRUE.equals(parameters.multiLabel()));
        ClassifyResponse response;
        try {
            response = service.classify(classify);
        } catch (TriageException e) {
            throw renamed(e);
        }
        List<Answer> answers = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Classification result = response.results().get(i);
            answers.add(new Answer(texts.get(i), result.labels(), result.scores()));
        }
        return request.inputs().isTextual() ? answers.getFirst() : answers;
    }

    /** The service names Triage's fields (texts, labels, hypothesisTemplate); this route's client sent HF's. */
    private static TriageException renamed(TriageException e) {
        Optional<String> field = e.field().map(f -> f.startsWith("texts") ? "inputs" + f.substring(5)
                : f.startsWith("labels") ? "parameters.candidate_labels" + f.substring(6)
                : f.equals("hypothesisTemplate") ? "parameters.hypothesis_template" : f);
        return new TriageException(e.kind(), field.orElse(null), e.getMessage(), e.retryAfterSeconds().orElse(null));
    }
}
