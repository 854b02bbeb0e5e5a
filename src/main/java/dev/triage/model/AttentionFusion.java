package dev.triage.model;

import static dev.triage.model.OnnxGraph.floatOf;
import static dev.triage.model.OnnxGraph.input;
import static dev.triage.model.OnnxGraph.intOf;
import static dev.triage.model.OnnxGraph.intsOf;
import static dev.triage.model.OnnxGraph.is;
import static dev.triage.model.OnnxGraph.isContrib;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
        String[] maskSource = { null }; // every block must read the same graph input: there is one cast of it
        for (NodeProto softmax : graph.nodes()) {
            if (is(softmax, "Softmax") && fuse(graph, softmax, fused, maskSource)) {
                fused++;
            }
        }
        return fused;
    }

    private static boolean fuse(OnnxGraph graph, NodeProto softmax, int index, String[] maskSource) {
        Optional<Block> block = match(graph, softmax);
        if (block.isEmpty() || (maskSource[0] != null && !maskSource[0].equals(block.get().mask().input()))) {
            return false;
        }
        rewrite(graph, block.get(), index);
        maskSource[0] = block.get().mask().input();
        return true;
    }

    /** The self-attention block around {@code softmax}, if it has exactly the shape in the class comment. */
    private static Optional<Block> match(OnnxGraph graph, NodeProto softmax) {
        long axis = intOf(softmax, "axis").orElse(-1L);
        NodeProto maskAdd = single(graph, input(softmax, 0), "Add").orElse(null);
        List<NodeProto> readers = graph.consumers(softmax.getOutput(0));
        if ((axis != -1 && axis != 3) || maskAdd == null || readers.size() != 1 || !is(readers.get(0), "MatMul")
                || graph.uses(softmax.getOutput(0)) != 1) {
            return Optional.empty();
        }
        NodeProto context = readers.get(0);
        NodeProto scores = null;
        AttentionMask mask = null;
        for (int i = 0; i < 2 && scores == null; i++) {
            Optional<NodeProto> s = graph.producer(input(maskAdd, i))
                    .filter(n -> isContrib(n, "FusedMatMul") || is(n, "MatMul"));
            Optional<AttentionMask> m = AttentionMask.match(graph, input(maskAdd, 1 - i));
            if (s.isPresent() && m.isPresent() && graph.uses(input(maskAdd, i)) == 1) {
                scores = s.get();
                mask = m.get();
            }
        }
        if (scores == null || !plainProduct(scores) || input(context, 0).equals(input(context, 1))) {
            return Optional.empty();
        }
        Optional<Projection> q = projection(graph, input(scores, 0), new long[] { 0, 2, 1, 3 });
        Optional<Projection> k = projection(graph, input(scores, 1), new long[] { 0, 2, 3, 1 });
        Optional<Projection> v = projection(graph, input(context, 1), new long[] { 0, 2, 1, 3 });
        Optional<NodeProto> merge = onlyReader(graph, context, "Transpose")
                .filter(t -> Arrays.equals(intsOf(t, "perm").orElse(null), new long[] { 0, 2, 1, 3 }));
        Optional<NodeProto> flatten = merge.flatMap(t -> onlyReader(graph, t, "Reshape"));
        if (q.isEmpty() || k.isEmpty() || v.isEmpty() || flatten.isEmpty() || !same(q.get(), k.get(), v.get())) {
            return Optional.empty();
        }
        Optional<long[]> flat = reshapeTarget(graph, flatten.get());
        if (flat.isEmpty() || flat.get().length != 3 || flat.get()[0] != 0 || (flat.get()[1] != 0 && flat.get()[1] != -1)
                || flat.get()[2] != q.get().bias().length) {
            return Optional.empty();
        }
        return Optional.of(new Block(softmax, maskAdd, scores, mask, context, q.get(), k.get(), v.get(), merge.get(),
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
                concat(b.q().bias(), b.k().bias(), b.v().bias())));
        float scale = isContrib(b.scores(), "FusedMatMul") ? floatOf(b.scores(), "alpha").orElse(1f) : 1f;
        NodeProto attention = OnnxGraph.contribNode("Attention", name,
                List.of(input(b.q().matMul(), 0), name + "/qkv_weight", name + "/qkv_bias", MASK_INT32),
                b.flatten().getOutput(0), OnnxGraph.intAttribute("num_heads", b.q().heads()[2]),
                OnnxGraph.floatAttribute("scale", scale), OnnxGraph.floatAttribute("mask_filter_value", b.mask().filter()));
        List<NodeProto> replacement = List.of(attention);
        if (index == 0) {
            // Attention takes the raw [batch, seq] mask as int32; cast it once, before the first block.
            NodeProto cast = OnnxGraph.onnxNode("Cast", MASK_INT32, List.of(b.mask().input()), MASK_INT32,
                    OnnxGraph.intAttribute("to", TensorProto.DataType.INT32_VALUE));
            replacement = List.of(cast, attention);
        }
        for (Projection p : List.of(b.q(), b.k(), b.v())) {
            List.of(p.matMul(), p.add(), p.reshape(), p.transpose()).forEach(graph::remove);
        }
        List.of(b.scores(), b.maskAdd(), b.softmax(), b.context(), b.merge()).forEach(graph::remove);
        graph.replace(b.flatten(), replacement);
    }

    /** No transposes inside the product: only FusedMatMul's alpha is carried over. */
    private static boolean plainProduct(NodeProto scores) {
        if (is(scores, "MatMul")) {
            return true;
        }
        return List.of("transA", "transB", "transBatchA", "transBatchB").stream()
                .allMatch(a -> intOf(scores, a).orElse(0L) == 0);
    }

    /** {@code Transpose[perm](Reshape[0,0,N,h](Add(bias, MatMul(x, W))))}, every value read once. */
    private static Optional<Projection> projection(OnnxGraph graph, String value, long[] perm) {
        Optional<NodeProto> transpose = graph.producer(value).filter(t -> is(t, "Transpose") && graph.uses(value) == 1)
                .filter(t -> Arrays.equals(intsOf(t, "perm").orElse(null), perm));
        Optional<NodeProto> reshape = transpose.flatMap(t -> single(graph, input(t, 0), "Reshape"));
        Optional<NodeProto> add = reshape.flatMap(r -> single(graph, input(r, 0), "Add"));
        if (add.isEmpty() || graph.isRemoved(add.get())) {
            return Optional.empty();
        }
        Optional<long[]> heads = reshapeTarget(graph, reshape.get());
        for (int i = 0; i < 2; i++) {
            Optional<NodeProto> matMul = single(graph, input(add.get(), 1 - i), "MatMul");
            Optional<float[]> bias = graph.initializer(input(add.get(), i)).filter(b -> b.dims().length == 1)
                    .flatMap(OnnxInitializer::floats);
            Optional<OnnxInitializer> weight = matMul.flatMap(m -> graph.initializer(input(m, 1)))
                    .filter(w -> w.dims().length == 2);
            if (matMul.isPresent() && bias.isPresent() && weight.isPresent() && heads.isPresent()
                    && heads.get().length == 4 && heads.get()[0] == 0 && heads.get()[1] == 0
                    && heads.get()[2] * heads.get()[3] == bias.get().length
                    && weight.get().dims()[1] == bias.get().length
                    && graph.initializer(input(matMul.get(), 0)).isEmpty()) {
                Optional<float[]> w = weight.get().floats();
                if (w.isPresent()) {
                    return Optional.of(new Projection(matMul.get(), add.get(), reshape.get(), transpose.get(), w.get(),
                            bias.get(), heads.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** Q, K and V read the same input, with the same widths and head split. */
    private static boolean same(Projection q, Projection k, Projection v) {
        return List.of(k, v).stream().allMatch(p -> input(p.matMul(), 0).equals(input(q.matMul(), 0))
                && p.weight().length == q.weight().length && p.bias().length == q.bias().length
                && Arrays.equals(p.heads(), q.heads()));
    }

    /** The one node reading {@code node}'s one output, if it is of {@code opType}. */
    private static Optional<NodeProto> onlyReader(OnnxGraph graph, NodeProto node, String opType) {
        List<NodeProto> readers = graph.consumers(node.getOutput(0));
        return node.getOutputCount() == 1 && graph.uses(node.getOutput(0)) == 1 && is(readers.get(0), opType)
                ? Optional.of(readers.get(0)) : Optional.empty();
    }

    /** The producer of {@code value}, if it is of {@code opType}, has one output and nothing else reads it. */
    private static Optional<NodeProto> single(OnnxGraph graph, String value, String opType) {
        return graph.producer(value).filter(n -> is(n, opType) && graph.uses(value) == 1 && n.getOutputCount() == 1);
    }

    private static Optional<long[]> reshapeTarget(OnnxGraph graph, NodeProto reshape) {
        if (intOf(reshape, "allowzero").orElse(0L) != 0) {
            return Optional.empty();
        }
        return graph.initializer(input(reshape, 1)).flatMap(OnnxInitializer::int64s);
    }

    /** [rows, hidden] x 3 side by side: row r of the result is q[r] | k[r] | v[r]. */
    private static float[] packColumns(float[] q, float[] k, float[] v, int hidden) {
        int rows = q.length / hidden;
        float[] packed = new float[3 * q.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(q, r * hidden, packed, (3 * r) * hidden, hidden);
            System.arraycopy(k, r * hidden, packed, (3 * r + 1) * hidden, hidden);
            System.arraycopy(v, r * hidden, packed, (3 * r + 2) * hidden, hidden);
        }
        return packed;
    }

    private static float[] concat(float[] a, float[] b, float[] c) {
        float[] all = Arrays.copyOf(a, a.length + b.length + c.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        return all;
    }
}
