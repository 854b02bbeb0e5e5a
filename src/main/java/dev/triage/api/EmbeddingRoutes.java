package dev.triage.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.triage.config.TriageConfig;
import dev.triage.service.EmbeddingService;
import dev.triage.service.EmbeddingService.EmbedCommand;
import dev.triage.service.EmbeddingService.Embeddings;
import dev.triage.service.TriageException;
import io.vertx.ext.web.Router;

/**
 * The embedding routes in the shapes existing clients speak: {@code POST /embed} (HF TEI) and
 * {@code POST /v1/embeddings} (OpenAI), each answering errors in its own shape ({@link ErrorShape}).
 */
public class EmbeddingRoutes {

    static final String TEI_PATH = "/embed";
    static final String OPENAI_PATH = "/v1/embeddings";
    /** The served model and limits, as TEI's /info describes its model. */
    static final String INFO_PATH = "/info";

    /**
     * HF Text Embeddings Inference's {@code POST /embed} body. Unlike TEI (whose default is the server's
     * --auto-truncate, off), {@code truncate} defaults to true here; vectors are always unit length.
     */
    record TeiEmbedRequest(JsonNode inputs, Boolean normalize, Boolean truncate,
            @JsonProperty("truncation_direction") String truncationDirection,
            @JsonProperty("prompt_name") String promptName, Integer dimensions) {
    }

    /** OpenAI's body; {@code model} is required (as OpenAI's is) but the served one answers. */
    record OpenAiEmbeddingRequest(JsonNode input, String model,
            @JsonProperty("encoding_format") String encodingFormat, Integer dimensions, String user) {
    }

    /** OpenAI's embedding list; {@code embedding} is a float array, or base64 of little-endian float32s. */
    record OpenAiEmbeddingResponse(String object, List<Item> data, String model, Usage usage) {

        record Item(String object, int index, Object embedding) {
        }

        record Usage(@JsonProperty("prompt_tokens") int promptTokens, @JsonProperty("total_tokens") int totalTokens) {
        }
    }

    @Inject
    EmbeddingService service;

    @Inject
    RequestThreads threads;

    @Inject
    TriageConfig config;

    void install(@Observes Router router) {
        JsonRoute.post(router, TEI_PATH, ErrorShape.TEI, threads.executor(), this::tei);
        JsonRoute.post(router, OPENAI_PATH, ErrorShape.OPENAI, threads.executor(), this::openAi);
        JsonRoute.get(router, INFO_PATH, ErrorShape.TRIAGE, service::info);
    }

    /** TEI: a list of vectors, one per input, even for one string. */
    private Object tei(byte[] body) {
        EmbedInputs.scan(body, "inputs", config.limits().maxTexts());
        TeiEmbedRequest request = EmbedInputs.bind(body, TeiEmbedRequest.class);
        if (Boolean.FALSE.equals(request.normalize())) {
            throw TriageException.badInput("normalize", "`normalize: false` is not supported: the model's graph "
                    + "pools and L2-normalises its vectors");
        }
        if (request.truncationDirection() != null && !request.truncationDirection().equalsIgnoreCase("right")) {
            throw TriageException.badInput("truncation_direction", "only `truncation_direction: \"Right\"` is "
                    + "supported (texts are cut at the end)");
        }
        if (request.promptName() != null) {
            throw TriageException.badInput("prompt_name", "`prompt_name` is not supported: these models have no "
                    + "prompts; put any prefix in the text");
        }
        Embeddings embeddings = service.embed(new EmbedCommand(EmbedInputs.texts(request.inputs(), "inputs"),
                "inputs", !Boolean.FALSE.equals(request.truncate())));
        return dimensions(embeddings.vectors(), request.dimensions());
    }

    /** OpenAI: an embedding list with usage; base64 is the little-endian float32 bytes, as OpenAI sends them. */
    private Object openAi(byte[] body) {
        EmbedInputs.scan(body, "input", config.limits().maxTexts());
        OpenAiEmbeddingRequest request = EmbedInputs.bind(body, OpenAiEmbeddingRequest.class);
        if (request.model() == null || request.model().isBlank()) {
            throw TriageException.badInput("model", "`model` is required (any name: the served model answers)");
        }
        String format = request.encodingFormat() == null ? "float" : request.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw TriageException.badInput("encoding_format", "`encoding_format` must be 'float' or 'base64', not '"
                    + format + "'");
        }
        Embeddings embeddings = service.embed(new EmbedCommand(EmbedInputs.texts(request.input(), "input"),
                "input", true));
        List<float[]> vectors = dimensions(embeddings.vectors(), request.dimensions());
        List<OpenAiEmbeddingResponse.Item> data = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            data.add(new OpenAiEmbeddingResponse.Item("embedding", i,
                    format.equals("base64") ? base64(vectors.get(i)) : vectors.get(i)));
        }
        return new OpenAiEmbeddingResponse("list", data, embeddings.model(),
                new OpenAiEmbeddingResponse.Usage(embeddings.tokens(), embeddings.tokens()));
    }

    /**
     * These models were not trained Matryoshka-style: a prefix of their vector is not a good embedding, so only
     * their full width is accepted rather than silently worse vectors.
     */
    private static List<float[]> dimensions(List<float[]> vectors, Integer dimensions) {
        int width = vectors.getFirst().length;
        if (dimensions != null && dimensions != width) {
            throw TriageException.badInput("dimensions", "`dimensions` must be " + width + " (the model's width) or "
                    + "absent: this model was not trained to be cut to fewer dimensions");
        }
        return vectors;
    }

    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
