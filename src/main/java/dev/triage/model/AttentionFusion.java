package dev.triage.model;

import static dev.triage.model.OnnxGraph.floatAttribute;
import static dev.triage.model.OnnxGraph.floatOf;
import static dev.triage.model.OnnxGraph.input;
import static dev.triage.model.OnnxGraph.intAttribute;
import static dev.triage.model.OnnxGraph.intOf;
import static dev.triage.model.OnnxGraph.intsOf;
import static dev.triage.model.OnnxGraph.is;
import static dev.triage.model.OnnxGraph.isContrib;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Rewrites each BERT self-attention block of an fp32 graph into one {@code com.microsoft:Attention} (one GEMM over
 * packed Q/K/V weights; reshapes, transposes, scaling and mask add inside the kernel). The block as ORT leaves it:
 * <pre>
 *   q = Transpose[0,2,1,3](Reshape[0,0,N,h](Add(bq, MatMul(x, Wq))))      k: same, Transpose[0,2,3,1]
 *   p = Softmax(Add(FusedMatMul(q, k, alpha), mask))                     v: same as q
 *   out = Reshape[0,0,N*h](Transpose[0,2,1,3](MatMul(p, v)))
 *   mask = Mul(Sub(1, Cast(Unsqueeze[1](Unsqueeze[2](attention_mask)))), filter)   (one per graph)
 * </pre>
 * Nothing else is matched: quantized graphs, other mask forms or an intermediate read twice are left as they are.
 */
final class AttentionFusion {

    private static final String MASK_INT32 = "triage/attention_mask_int32";

    /** @param heads the head split's Reshape target, {@code [0, 0, N, h]} */
    private record Projection(NodeProto matMul, NodeProto add, NodeProto reshape, NodeProto transpose, float[] weight,
            float[] bias, long[] heads) {
    }

    /** A matched block: its nodes, the Q/K/V projections and the mask it adds. */
    private record Block(NodeProto softmax, NodeProto maskAdd, NodeProto scores, AttentionMask mask, NodeProto context,
            Projection q, Projection k, Projection v, NodeProto merge, NodeProto flatten) {
    }

    private AttentionFusion() {
    }

    /** @return how many blocks were fused */
    static int apply(OnnxGraph graph) {
        int fused = 0;
        String maskSource = null; // every block must read the same graph input: there is one cast of it
        for (NodeProto softmax : graph.nodes()) {
            Optional<Block> block = is(softmax, "Softmax") ? match(graph, softmax) : Optional.empty();
            if (block.isPresent() && (maskSource == null || maskSource.equals(block.get().mask().input()))) {
                rewrite(graph, block.get(), fused++);
                maskSource = block.get().mask().input();
            }
        }
        return fused;
    }

    /** The self-attention block around {@code softmax}, if it has exactly the shape in the class comment. */
    private static Optional<Block> match(OnnxGraph graph, NodeProto softmax) {
        long axis = intOf(softmax, "axis").orElse(-1L);
        Optional<NodeProto> maskAdd = graph.single(input(softmax, 0), "Add");
        Optional<NodeProto> context = graph.onlyReader(softmax, "MatMul");
        if ((axis != -1 && axis != 3) || maskAdd.isEmpty() || context.isEmpty()
                || input(context.get(), 0).equals(input(context.get(), 1))) {
            return Optional.empty();
        }
        for (int i = 0; i < 2; i++) {
            String product = input(maskAdd.get(), i);
            Optional<NodeProto> scores = graph.producer(product).filter(n -> graph.uses(product) == 1)
                    .filter(AttentionFusion::plainProduct);
            Optional<AttentionMask> mask = AttentionMask.match(graph, input(maskAdd.get(), 1 - i));
            if (scores.isPresent() && mask.isPresent()) {
                return match(graph, softmax, maskAdd.get(), scores.get(), mask.get(), context.get());
            }
        }
        return Optional.empty();
    }

    /** The rest of the block: the Q/K/V projections the scores and context read, and the heads' merge. */
    private static Optional<Block> match(OnnxGraph graph, NodeProto softmax, NodeProto maskAdd, NodeProto scores,
            AttentionMask mask, NodeProto context) {
        Optional<Projection> q = projection(graph, input(scores, 0), new long[] { 0, 2, 1, 3 });
        Optional<Projection> k = projection(graph, input(scores, 1), new long[] { 0, 2, 3, 1 });
        Optional<Projection> v = projection(graph, input(context, 1), new long[] { 0, 2, 1, 3 });
        Optional<NodeProto> merge = graph.onlyReader(context, "Transpose").filter(t -> hasPerm(t, 0, 2, 1, 3));
        Optional<NodeProto> flatten = merge.flatMap(t -> graph.onlyReader(t, "Reshape"));
        if (q.isEmpty() || k.isEmpty() || v.isEmpty() || flatten.isEmpty() || !same(q.get(), k.get(), v.get())) {
            return Optional.empty();
        }
        int hidden = q.get().bias().length;
        return reshapeTarget(graph, flatten.get())
                .filter(f -> f.length == 3 && f[0] == 0 && (f[1] == 0 || f[1] == -1) && f[2] == hidden)
                .map(f -> new Block(softmax, maskAdd, scores, mask, context, q.get(), k.get(), v.get(), merge.get(),
                        flatten.get()));
    }

    /** One Attention node (and, before the first, the mask's cast to int32) in place of the matched block. */
    private static void rewrite(OnnxGraph graph, Block b, int index) {
        String name = "triage/attention_" + index;
        int hidden = b.q().bias().length;
        long rows = b.q().weight().length / hidden;
        float[] packed = packColumns(b.q().weight(), b.k().weight(), b.v().weight(), hidden);
        graph.add(OnnxGraph.floatInitializer(name + "/qkv_weight", new long[] { rows, 3L * hidden }, packed));
        graph.add(OnnxGraph.floatInitializer(name + "/qkv_bias", new long[] { 3L * hidden },
                packColumns(b.q().bias(), b.k().bias(), b.v().bias(), hidden)));
        float scale = isContrib(b.scores(), "FusedMatMul") ? floatOf(b.scores(), "alpha").orElse(1f) : 1f;
        NodeProto attention = OnnxGraph.contribNode("Attention", name,
                List.of(input(b.q().matMul(), 0), name + "/qkv_weight", name + "/qkv_bias", MASK_INT32),
                b.flatten().getOutput(0), intAttribute("num_heads", b.q().heads()[2]), floatAttribute("scale", scale),
                floatAttribute("mask_filter_value", b.mask().filter()));
        List<NodeProto> replacement = List.of(attention);
        if (index == 0) {
            // Attention takes the raw [batch, seq] mask as int32; cast it once, before the first block.
            NodeProto cast = OnnxGraph.onnxNode("Cast", MASK_INT32, List.of(b.mask().input()), MASK_INT32,
                    intAttribute("to", TensorProto.DataType.INT32_VALUE));
            replacement = List.of(cast, attention);
        }
        for (Projection p : List.of(b.q(), b.k(), b.v())) {
            List.of(p.matMul(), p.add(), p.reshape(), p.transpose()).forEach(graph::remove);
        }
        List.of(b.scores(), b.maskAdd(), b.softmax(), b.context(), b.merge()).forEach(graph::remove);
        graph.replace(b.flatten(), replacement);
    }

    /** MatMul, or FusedMatMul without transposes inside the product: only its alpha is carried over. */
    private static boolean plainProduct(NodeProto scores) {
        return is(scores, "MatMul") || isContrib(scores, "FusedMatMul")
                && Stream.of("transA", "transB", "transBatchA", "transBatchB")
                        .allMatch(a -> intOf(scores, a).orElse(0L) == 0);
    }

    /** {@code Transpose[perm](Reshape[0,0,N,h](Add(bias, MatMul(x, W))))}, every value read once. */
    private static Optional<Projection> projection(OnnxGraph graph, String value, long... perm) {
        Optional<NodeProto> transpose = graph.single(value, "Transpose").filter(t -> hasPerm(t, perm));
        Optional<NodeProto> reshape = transpose.flatMap(t -> graph.single(input(t, 0), "Reshape"));
        Optional<NodeProto> add = reshape.flatMap(r -> graph.single(input(r, 0), "Add"))
                .filter(a -> !graph.isRemoved(a));
        Optional<long[]> heads = reshape.flatMap(r -> reshapeTarget(graph, r))
                .filter(h -> h.length == 4 && h[0] == 0 && h[1] == 0);
        if (add.isEmpty() || heads.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i < 2; i++) {
            Optional<NodeProto> matMul = graph.single(input(add.get(), 1 - i), "MatMul")
                    .filter(m -> graph.initializer(input(m, 0)).isEmpty());
            Optional<float[]> bias = graph.initializer(input(add.get(), i)).filter(b -> b.dims().length == 1)
                    .flatMap(OnnxInitializer::floats).filter(b -> heads.get()[2] * heads.get()[3] == b.length);
            Optional<float[]> weight = matMul.flatMap(m -> graph.initializer(input(m, 1)))
                    .filter(w -> bias.isPresent() && w.dims().length == 2 && w.dims()[1] == bias.get().length)
                    .flatMap(OnnxInitializer::floats);
            if (weight.isPresent()) {
                return Optional.of(new Projection(matMul.get(), add.get(), reshape.get(), transpose.get(),
                        weight.get(), bias.get(), heads.get()));
            }
        }
        return Optional.empty();
    }

    private static boolean hasPerm(NodeProto transpose, long... perm) {
        return Arrays.equals(intsOf(transpose, "perm").orElse(null), perm);
    }

    /** Q, K and V read the same input, with the same widths and head split. */
    private static boolean same(Projection q, Projection k, Projection v) {
        return Stream.of(k, v).allMatch(p -> input(p.matMul(), 0).equals(input(q.matMul(), 0))
                && p.weight().length == q.weight().length && p.bias().length == q.bias().length
                && Arrays.equals(p.heads(), q.heads()));
    }

    private static Optional<long[]> reshapeTarget(OnnxGraph graph, NodeProto reshape) {
        if (intOf(reshape, "allowzero").orElse(0L) != 0) {
            return Optional.empty();
        }
        return graph.initializer(input(reshape, 1)).flatMap(OnnxInitializer::int64s);
    }

    /** [rows, width] x 3 side by side: row r of the result is q[r] | k[r] | v[r]. */
    private static float[] packColumns(float[] q, float[] k, float[] v, int width) {
        FloatBuffer packed = FloatBuffer.allocate(3 * q.length);
        for (int row = 0; row < q.length; row += width) {
            packed.put(q, row, width).put(k, row, width).put(v, row, width);
        }
        return packed.array();
    }
}
