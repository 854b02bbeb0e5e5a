package dev.triage.model;

import static dev.triage.model.OnnxGraph.intOf;
import static dev.triage.model.OnnxGraph.intsOf;
import static dev.triage.model.OnnxGraph.is;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * The additive attention mask {@code (1 - mask) * filter} of an exported BERT graph, built from the graph input
 * {@code input}; {@link AttentionFusion} hands the raw input to the fused kernel instead.
 */
record AttentionMask(float filter, String input) {

    /** {@code Mul(Sub(1, Cast<float>(Unsqueeze chain of a graph input to [B,1,1,S])), filter)}, either order. */
    static Optional<AttentionMask> match(OnnxGraph graph, String value) {
        Optional<NodeProto> mul = graph.producer(value).filter(n -> is(n, "Mul"));
        if (mul.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < 2; i++) {
            Optional<Float> filter = graph.initializer(OnnxGraph.input(mul.get(), i)).flatMap(OnnxInitializer::scalar);
            Optional<NodeProto> sub = graph.producer(OnnxGraph.input(mul.get(), 1 - i)).filter(n -> is(n, "Sub"));
            if (filter.isEmpty() || filter.get() > -1e4f || sub.isEmpty()
                    || graph.initializer(OnnxGraph.input(sub.get(), 0)).flatMap(OnnxInitializer::scalar)
                            .filter(one -> one == 1f).isEmpty()) {
                continue;
            }
            Optional<String> input = expandedMask(graph, OnnxGraph.input(sub.get(), 1));
            if (input.isPresent()) {
                return Optional.of(new AttentionMask(filter.get(), input.get()));
            }
        }
        return Optional.empty();
    }

    /** Walks Cast-to-float and Unsqueeze back to a graph input, checking they make [B, S] into [B, 1, 1, S]. */
    private static Optional<String> expandedMask(OnnxGraph graph, String value) {
        List<Long> inserted = new ArrayList<>();
        boolean castToFloat = false;
        String current = value;
        for (int depth = 0; depth < 6 && !graph.isGraphInput(current); depth++) {
            Optional<NodeProto> node = graph.producer(current);
            if (node.isEmpty()) {
                return Optional.empty();
            }
            if (is(node.get(), "Cast")) {
                castToFloat |= intOf(node.get(), "to").orElse(0L) == TensorProto.DataType.FLOAT_VALUE;
            } else if (is(node.get(), "Unsqueeze")) {
                Optional<long[]> axes = intsOf(node.get(), "axes")
                        .or(() -> graph.initializer(OnnxGraph.input(node.get(), 1)).flatMap(OnnxInitializer::int64s));
                if (axes.isEmpty()) {
                    return Optional.empty();
                }
                inserted.addAll(0, Arrays.stream(axes.get()).boxed().toList());
            } else {
                return Optional.empty();
            }
            current = OnnxGraph.input(node.get(), 0);
        }
        boolean toBatchHeadsQuerySeq = inserted.equals(List.of(1L, 2L));
        return graph.isGraphInput(current) && castToFloat && toBatchHeadsQuerySeq ? Optional.of(current)
                : Optional.empty();
    }
}
