package dev.triage.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * The additive attention mask {@code (1 - mask) * filter} of an exported BERT graph, built from the graph input
 * {@code input}; {@link AttentionFusion} hands the raw input to the fused kernel instead.
 */
record AttentionMask(float filter, String input) {

    /** {@code Mul(Sub(1, Cast<float>(Unsqueeze chain of a graph input to [B,1,1,S])), filter)}, either order. */
    static Optional<AttentionMask> match(OnnxGraph graph, String value) {
        Optional<OnnxNode> mul = graph.producer(value).filter(n -> n.is("Mul"));
        if (mul.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < 2; i++) {
            Optional<Float> filter = graph.initializer(mul.get().input(i)).flatMap(OnnxInitializer::scalar);
            Optional<OnnxNode> sub = graph.producer(mul.get().input(1 - i)).filter(n -> n.is("Sub"));
            if (filter.isEmpty() || filter.get() > -1e4f || sub.isEmpty() || graph.initializer(sub.get().input(0))
                    .flatMap(OnnxInitializer::scalar).filter(one -> one == 1f).isEmpty()) {
                continue;
            }
            Optional<String> input = expandedMask(graph, sub.get().input(1));
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
            Optional<OnnxNode> node = graph.producer(current);
            if (node.isEmpty()) {
                return Optional.empty();
            }
            if (node.get().is("Cast")) {
                castToFloat |= node.get().intAttribute("to").orElse(0L) == TensorProto.DataType.FLOAT_VALUE;
            } else if (node.get().is("Unsqueeze")) {
                Optional<long[]> axes = node.get().intsAttribute("axes")
                        .or(() -> graph.initializer(node.get().input(1)).flatMap(OnnxInitializer::int64s));
                if (axes.isEmpty()) {
                    return Optional.empty();
                }
                for (int a = axes.get().length - 1; a >= 0; a--) {
                    inserted.add(0, axes.get()[a]);
                }
            } else {
                return Optional.empty();
            }
            current = node.get().input(0);
        }
        boolean toBatchHeadsQuerySeq = inserted.equals(List.of(1L, 2L));
        return graph.isGraphInput(current) && castToFloat && toBatchHeadsQuerySeq ? Optional.of(current)
                : Optional.empty();
    }
}
