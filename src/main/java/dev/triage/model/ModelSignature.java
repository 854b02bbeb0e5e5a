package dev.triage.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

/**
 * The inputs and outputs of an ONNX graph, checked against what a scorer needs, so a wrong model fails at
 * load with the file and the mismatch named instead of failing on the first request.
 *
 * @param tokenTypes whether the graph takes token_type_ids
 * @param output the output the scorer reads
 * @param kind NLI reads logits [batch, width], EMBEDDING token vectors [batch, sequence, width]
 * @param width hidden size or number of logits; -1 where the graph leaves it symbolic
 */
public record ModelSignature(boolean tokenTypes, String output, ModelKind kind, int width) {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
    static final String LOGITS = "logits";

    /** Outputs that hold one vector per token, in order of preference. */
    static final List<String> TOKEN_OUTPUTS = List.of("last_hidden_state", "token_embeddings");

    static ModelSignature inspect(Path file, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs,
            Optional<ModelKind> wanted, boolean hasEntailLabel) {
        checkInputs(file, inputs);
        Optional<String> logits = outputs.containsKey(LOGITS) && rank(outputs.get(LOGITS)) == 2
                ? Optional.of(LOGITS)
                : Optional.empty();
        Optional<String> tokens = TOKEN_OUTPUTS.stream()
                .filter(name -> outputs.containsKey(name) && rank(outputs.get(name)) == 3)
                .findFirst();
        ModelKind kind = wanted.orElseGet(() -> {
            if (logits.isPresent() && hasEntailLabel) {
                return ModelKind.NLI;
            }
            if (tokens.isPresent()) {
                return ModelKind.EMBEDDING;
            }
            if (logits.isPresent()) {
                throw new ModelException(file + ": a classifier with output 'logits', but config.json id2label "
                        + "has no label starting with 'entail', so it is not an NLI model (set "
                        + "triage.model.kind=nli to use the last logit as entailment, as HF does)");
            }
            throw new ModelException(file + ": outputs " + new TreeSet<>(outputs.keySet()) + " are neither "
                    + "'last_hidden_state' [batch, sequence, hidden] (embedding) nor 'logits' [batch, labels] (NLI)");
        });
        String needs = kind == ModelKind.NLI ? "an NLI model needs an output 'logits' of shape [batch, labels]"
                : "an embedding model needs an output 'last_hidden_state' of shape [batch, sequence, hidden]";
        String name = (kind == ModelKind.NLI ? logits : tokens)
                .orElseThrow(() -> new ModelException(file + ": " + needs + "; it has " + describe(outputs)));
        return new ModelSignature(inputs.containsKey(TOKEN_TYPE_IDS), name, kind, lastDim(outputs.get(name)));
    }

    private static void checkInputs(Path file, Map<String, NodeInfo> inputs) {
        for (String required : new String[] { INPUT_IDS, ATTENTION_MASK }) {
            if (!inputs.containsKey(required)) {
                throw new ModelException(file + ": input '" + required + "' is missing; inputs are "
                        + describe(inputs));
            }
        }
        for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
            if (!KNOWN_INPUTS.contains(input.getKey())) {
                throw new ModelException(file + ": unexpected input '" + input.getKey() + "' (Triage feeds only "
                        + new TreeSet<>(KNOWN_INPUTS) + ")");
            }
            if (!(input.getValue().getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.INT64
                    || info.getShape().length != 2) {
                throw new ModelException(file + ": input '" + input.getKey() + "' must be an int64 tensor "
                        + "[batch, sequence], it is " + input.getValue().getInfo());
            }
        }
    }

    private static int rank(NodeInfo node) {
        return node.getInfo() instanceof TensorInfo info ? info.getShape().length : -1;
    }

    private static int lastDim(NodeInfo node) {
        long[] shape = ((TensorInfo) node.getInfo()).getShape();
        return (int) shape[shape.length - 1];
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        return nodes.entrySet().stream()
                .map(e -> e.getKey() + " " + (e.getValue().getInfo() instanceof TensorInfo info
                        ? Arrays.toString(info.getShape()) : "?"))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
