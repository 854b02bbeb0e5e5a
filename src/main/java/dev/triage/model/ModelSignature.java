package dev.triage.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;

/**
 * The inputs and outputs of an ONNX graph, checked against what a scorer needs, so a wrong model fails at
 * load with the file and the mismatch named instead of failing on the first request.
 *
 * @param tokenTypes whether the graph takes token_type_ids
 * @param output the output the scorer reads
 * @param outputRank 3 for token vectors [batch, sequence, hidden], 2 for [batch, width]
 * @param width hidden size or number of logits; -1 where the graph leaves it symbolic
 */
public record ModelSignature(boolean tokenTypes, String output, int outputRank, int width) {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
    static final String LOGITS = "logits";

    /** Outputs that hold one vector per token, in order of preference. */
    static final String[] TOKEN_OUTPUTS = { "last_hidden_state", "token_embeddings" };

    static ModelSignature inspect(Path file, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs,
            Optional<ModelKind> wanted, boolean hasEntailLabel) {
        checkInputs(file, inputs);
        Optional<String> logits = outputs.containsKey(LOGITS) && rank(outputs.get(LOGITS)) == 2
                ? Optional.of(LOGITS)
                : Optional.empty();
        Optional<String> tokens = java.util.Arrays.stream(TOKEN_OUTPUTS)
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
        boolean tokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
        if (kind == ModelKind.NLI) {
            String name = logits.orElseThrow(() -> new ModelException(file + ": an NLI model needs an output "
                    + "'logits' of shape [batch, labels]; it has " + describe(outputs)));
            return new ModelSignature(tokenTypes, name, 2, (int) lastDim(outputs.get(name)));
        }
        String name = tokens.orElseThrow(() -> new ModelException(file + ": an embedding model needs an output "
                + "'last_hidden_state' of shape [batch, sequence, hidden]; it has " + describe(outputs)));
        return new ModelSignature(tokenTypes, name, 3, (int) lastDim(outputs.get(name)));
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

    private static long lastDim(NodeInfo node) {
        long[] shape = ((TensorInfo) node.getInfo()).getShape();
        return shape[shape.length - 1];
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        StringBuilder sb = new StringBuilder("[");
        nodes.forEach((name, node) -> sb.append(sb.length() > 1 ? ", " : "").append(name).append(' ')
                .append(node.getInfo() instanceof TensorInfo info ? java.util.Arrays.toString(info.getShape()) : "?"));
        return sb.append(']').toString();
    }
}
