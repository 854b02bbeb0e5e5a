package dev.triage.model;

import static dev.triage.model.OnnxGraph.floatAttribute;
import static dev.triage.model.OnnxGraph.floatOf;
import static dev.triage.model.OnnxGraph.input;
import static dev.triage.model.OnnxGraph.intOf;
import static dev.triage.model.OnnxGraph.is;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Rewrites every residual {@code Add -> LayerNormalization} into one {@code com.microsoft:SkipLayerNormalization},
 * folding a dense layer's bias {@code Add(bias, MatMul(..))} into the kernel's bias input: same arithmetic,
 * {@code LN(a + b + bias)}. By hand because ORT's own Skip fusion does not fire behind quantized MatMuls, and the
 * plain kernel is much slower (deploy/PERFORMANCE.md). Runs on the graph ORT saved after its own optimisations.
 */
final class SkipLayerNormFusion {

    private static final float ONNX_DEFAULT_EPSILON = 1e-5f;

    /** What one pass did. */
    record Result(int fused, int biasesFolded) {
    }

    private SkipLayerNormFusion() {
    }

    static Result apply(OnnxGraph graph) {
        int fused = 0;
        int folded = 0;
        for (NodeProto norm : graph.nodes()) {
            Optional<NodeProto> add = graph.producer(input(norm, 0));
            if (add.isEmpty() || !fusable(graph, norm, add.get())) {
                continue;
            }
            List<String> terms = new ArrayList<>(add.get().getInputList());
            Optional<NodeProto> bias = terms.stream().flatMap(term -> graph.producer(term).stream())
                    .filter(b -> isDenseBias(graph, b, norm)).findFirst();
            bias.ifPresent(b -> terms.set(terms.indexOf(b.getOutput(0)), matMulOf(graph, b)));
            // SkipLayerNormalization(input, skip, gamma, beta[, bias]): the sum's terms, LN's scale and bias.
            List<String> inputs = new ArrayList<>(List.of(terms.get(0), terms.get(1), input(norm, 1), input(norm, 2)));
            bias.ifPresent(b -> inputs.add(biasOf(graph, b)));
            float epsilon = floatOf(norm, "epsilon").orElse(ONNX_DEFAULT_EPSILON);
            graph.remove(add.get());
            bias.ifPresent(graph::remove);
            graph.replace(norm, List.of(OnnxGraph.contribNode("SkipLayerNormalization",
                    norm.getName() + "/SkipLayerNorm", inputs, norm.getOutput(0), floatAttribute("epsilon", epsilon))));
            fused++;
            folded += bias.isPresent() ? 1 : 0;
        }
        return new Result(fused, folded);
    }

    /** LN over the last axis with scale and bias, fed only by a two-input Add whose sum nothing else reads. */
    private static boolean fusable(OnnxGraph graph, NodeProto norm, NodeProto add) {
        if (!is(norm, "LayerNormalization") || !is(add, "Add") || graph.isRemoved(add)) {
            return false;
        }
        boolean onlyOutput = norm.getOutputCount() == 1
                || norm.getOutputList().subList(1, norm.getOutputCount()).stream().allMatch(String::isEmpty);
        return intOf(norm, "axis").orElse(-1L) == -1 && norm.getInputCount() == 3
                && norm.getInputList().stream().noneMatch(String::isEmpty) && onlyOutput && add.getInputCount() == 2
                && add.getOutputCount() == 1 && graph.uses(add.getOutput(0)) == 1;
    }

    /** {@code Add(bias, MatMul(x, W))} in either order, read only by the residual sum, bias 1-D as wide as LN. */
    private static boolean isDenseBias(OnnxGraph graph, NodeProto add, NodeProto norm) {
        if (!is(add, "Add") || add.getInputCount() != 2 || graph.uses(add.getOutput(0)) != 1
                || graph.isRemoved(add)) {
            return false;
        }
        long[] gamma = graph.initializer(input(norm, 1)).map(OnnxInitializer::dims).orElse(new long[0]);
        return gamma.length == 1 && matMulOf(graph, add) != null
                && Optional.ofNullable(biasOf(graph, add)).flatMap(graph::initializer)
                        .filter(b -> b.dataType() == TensorProto.DataType.FLOAT_VALUE)
                        .filter(b -> b.dims().length == 1 && b.dims()[0] == gamma[0]).isPresent();
    }

    private static String biasOf(OnnxGraph graph, NodeProto add) {
        return add.getInputList().stream().filter(i -> graph.initializer(i).isPresent()).findFirst().orElse(null);
    }

    private static String matMulOf(OnnxGraph graph, NodeProto add) {
        return add.getInputList().stream().filter(i -> graph.single(i, "MatMul").isPresent()).findFirst().orElse(null);
    }
}
