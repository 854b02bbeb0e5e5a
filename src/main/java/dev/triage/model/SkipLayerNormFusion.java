package dev.triage.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        for (OnnxNode norm : graph.nodes()) {
            Optional<OnnxNode> add = graph.producer(norm.input(0));
            if (add.isEmpty() || !fusable(graph, norm, add.get())) {
                continue;
            }
            List<String> terms = new ArrayList<>(add.get().inputs());
            Optional<OnnxNode> bias = Optional.empty();
            for (int i = 0; i < 2 && bias.isEmpty(); i++) {
                bias = graph.producer(terms.get(i)).filter(b -> isDenseBias(graph, b, norm));
                if (bias.isPresent()) {
                    terms.set(i, matMulOf(graph, bias.get()));
                }
            }
            // SkipLayerNormalization(input, skip, gamma, beta[, bias]): the sum's terms, LN's scale and bias.
            List<String> inputs = new ArrayList<>(List.of(terms.get(0), terms.get(1), norm.input(1), norm.input(2)));
            bias.ifPresent(b -> inputs.add(biasOf(graph, b)));
            float epsilon = norm.floatAttribute("epsilon").orElse(ONNX_DEFAULT_EPSILON);
            graph.remove(add.get());
            bias.ifPresent(graph::remove);
            graph.replace(norm, List.of(OnnxGraph.contribNode("SkipLayerNormalization",
                    norm.name() + "/SkipLayerNorm", inputs, norm.outputs().get(0),
                    OnnxGraph.floatAttribute("epsilon", epsilon))));
            fused++;
            folded += bias.isPresent() ? 1 : 0;
        }
        return new Result(fused, folded);
    }

    /** LN over the last axis with scale and bias, fed only by a two-input Add whose sum nothing else reads. */
    private static boolean fusable(OnnxGraph graph, OnnxNode norm, OnnxNode add) {
        if (!norm.is("LayerNormalization") || !add.is("Add") || graph.isRemoved(add)) {
            return false;
        }
        boolean onlyOutput = norm.outputs().size() == 1
                || norm.outputs().subList(1, norm.outputs().size()).stream().allMatch(String::isEmpty);
        return norm.intAttribute("axis").orElse(-1L) == -1 && norm.inputs().size() == 3
                && norm.inputs().stream().noneMatch(String::isEmpty) && onlyOutput && add.inputs().size() == 2
                && add.outputs().size() == 1 && graph.uses(add.outputs().get(0)) == 1;
    }

    /** {@code Add(bias, MatMul(x, W))} in either order, read only by the residual sum, bias 1-D as wide as LN. */
    private static boolean isDenseBias(OnnxGraph graph, OnnxNode add, OnnxNode norm) {
        if (!add.is("Add") || add.inputs().size() != 2 || graph.uses(add.outputs().get(0)) != 1
                || graph.isRemoved(add)) {
            return false;
        }
        long[] gamma = graph.initializer(norm.input(1)).map(OnnxInitializer::dims).orElse(null);
        String bias = biasOf(graph, add);
        String matMul = matMulOf(graph, add);
        return gamma != null && gamma.length == 1 && bias != null && matMul != null
                && graph.initializer(bias).filter(b -> b.dataType() == TensorProto.DataType.FLOAT_VALUE)
                        .filter(b -> b.dims().length == 1 && b.dims()[0] == gamma[0]).isPresent();
    }

    private static String biasOf(OnnxGraph graph, OnnxNode add) {
        for (String input : add.inputs()) {
            if (graph.initializer(input).isPresent()) {
                return input;
            }
        }
        return null;
    }

    private static String matMulOf(OnnxGraph graph, OnnxNode add) {
        for (String input : add.inputs()) {
            if (graph.producer(input).filter(p -> p.is("MatMul") && graph.uses(input) == 1).isPresent()) {
                return input;
            }
        }
        return null;
    }
}
