package dev.triage.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;

/**
 * Rewrites each BERT self-attention block of an fp32 graph into one {@code com.microsoft:Attention}: the three
 * Q/K/V projections become one GEMM over packed weights, and the reshapes, transposes, scaling and mask add
 * go into the kernel. The block as exported and ORT-optimised:
 * <pre>
 *   q = Transpose[0,2,1,3](Reshape[0,0,N,h](Add(bq, MatMul(x, Wq))))      k: same, Transpose[0,2,3,1]
 *   p = Softmax(Add(FusedMatMul(q, k, alpha), mask))                     v: same as q
 *   out = Reshape[0,0,N*h](Transpose[0,2,1,3](MatMul(p, v)))
 *   mask = Mul(Sub(1, Cast(Unsqueeze[1](Unsqueeze[2](attention_mask)))), filter)   (one per graph)
 * </pre>
 * Why: fp32 MiniLM is GEMM-bound (deploy/engine-ceiling.sh); what is left to win is the non-GEMM ~16% of a
 * run, and this block holds about a third of it. Nothing else is matched: quantized graphs, other mask forms
 * or any intermediate read twice leave the block as it is.
 */
final class AttentionFusion {

    private static final String MASK_INT32 = "triage/attention_mask_int32";

    /** @param heads the head split's Reshape target, {@code [0, 0, N, h]} */
    private record Projection(OnnxNode matMul, OnnxNode add, OnnxNode reshape, OnnxNode transpose, float[] weight,
            float[] bias, long[] heads) {
    }

    /** The additive mask {@code (1 - mask) * filter}, built from the graph input {@code input}. */
    private record Mask(float filter, String input) {
    }

    private AttentionFusion() {
    }

    /** @return how many blocks were fused */
    static int apply(OnnxGraph graph) {
        int fused = 0;
        String[] maskSource = { null }; // every block must read the same graph input: there is one cast of it
        for (OnnxNode softmax : graph.nodes()) {
            if (softmax.is("Softmax") && fuse(graph, softmax, fused, maskSource)) {
                fused++;
            }
        }
        return fused;
    }

    private static boolean fuse(OnnxGraph graph, OnnxNode softmax, int index, String[] maskSource) {
        long axis = softmax.intAttribute("axis").orElse(-1L);
        OnnxNode maskAdd = single(graph, softmax.input(0), "Add").orElse(null);
        List<OnnxNode> readers = graph.consumers(softmax.outputs().get(0));
        if ((axis != -1 && axis != 3) || maskAdd == null || readers.size() != 1 || !readers.get(0).is("MatMul")
                || graph.uses(softmax.outputs().get(0)) != 1) {
            return false;
        }
        OnnxNode context = readers.get(0);
        OnnxNode scores = null;
        Mask mask = null;
        for (int i = 0; i < 2 && scores == null; i++) {
            Optional<OnnxNode> s = graph.producer(maskAdd.input(i))
                    .filter(n -> n.isContrib("FusedMatMul") || n.is("MatMul"));
            Optional<Mask> m = mask(graph, maskAdd.input(1 - i));
            if (s.isPresent() && m.isPresent() && graph.uses(maskAdd.input(i)) == 1) {
                scores = s.get();
                mask = m.get();
            }
        }
        if (scores == null || !plainProduct(scores) || context.input(0).equals(context.input(1))) {
            return false;
        }
        Optional<Projection> q = projection(graph, scores.input(0), new long[] { 0, 2, 1, 3 });
        Optional<Projection> k = projection(graph, scores.input(1), new long[] { 0, 2, 3, 1 });
        Optional<Projection> v = projection(graph, context.input(1), new long[] { 0, 2, 1, 3 });
        Optional<OnnxNode> merge = onlyReader(graph, context, "Transpose")
                .filter(t -> Arrays.equals(t.intsAttribute("perm").orElse(null), new long[] { 0, 2, 1, 3 }));
        Optional<OnnxNode> flatten = merge.flatMap(t -> onlyReader(graph, t, "Reshape"));
        if (q.isEmpty() || k.isEmpty() || v.isEmpty() || flatten.isEmpty() || !same(q.get(), k.get(), v.get())) {
            return false;
        }
        long[] heads = q.get().heads();
        int hidden = q.get().bias().length;
        Optional<long[]> flat = reshapeTarget(graph, flatten.get());
        if ((maskSource[0] != null && !maskSource[0].equals(mask.input())) || flat.isEmpty() || flat.get().length != 3
                || flat.get()[0] != 0 || (flat.get()[1] != 0 && flat.get()[1] != -1) || flat.get()[2] != hidden) {
            return false;
        }

        String name = "triage/attention_" + index;
        long rows = q.get().weight().length / hidden;
        float[] packed = packColumns(q.get().weight(), k.get().weight(), v.get().weight(), hidden);
        graph.add(OnnxGraph.floatInitializer(name + "/qkv_weight", new long[] { rows, 3L * hidden }, packed));
        graph.add(OnnxGraph.floatInitializer(name + "/qkv_bias", new long[] { 3L * hidden },
                concat(q.get().bias(), k.get().bias(), v.get().bias())));
        float scale = scores.isContrib("FusedMatMul") ? scores.floatAttribute("alpha").orElse(1f) : 1f;
        NodeProto attention = OnnxGraph.contribNode("Attention", name,
                List.of(q.get().matMul().input(0), name + "/qkv_weight", name + "/qkv_bias", MASK_INT32),
                flatten.get().outputs().get(0), OnnxGraph.intAttribute("num_heads", heads[2]),
                OnnxGraph.floatAttribute("scale", scale), OnnxGraph.floatAttribute("mask_filter_value", mask.filter()));
        List<NodeProto> replacement = List.of(attention);
        if (index == 0) {
            // Attention takes the raw [batch, seq] mask as int32; cast it once, before the first block.
            maskSource[0] = mask.input();
            NodeProto cast = OnnxGraph.onnxNode("Cast", MASK_INT32, List.of(mask.input()), MASK_INT32,
                    OnnxGraph.intAttribute("to", TensorProto.DataType.INT32_VALUE));
            replacement = List.of(cast, attention);
        }
        for (Projection p : List.of(q.get(), k.get(), v.get())) {
            List.of(p.matMul(), p.add(), p.reshape(), p.transpose()).forEach(graph::remove);
        }
        List.of(scores, maskAdd, softmax, context, merge.get()).forEach(graph::remove);
        graph.replace(flatten.get(), replacement);
        return true;
    }

    /** No transposes inside the product: only FusedMatMul's alpha is carried over. */
    private static boolean plainProduct(OnnxNode scores) {
        if (scores.is("MatMul")) {
            return true;
        }
        return List.of("transA", "transB", "transBatchA", "transBatchB").stream()
                .allMatch(a -> scores.intAttribute(a).orElse(0L) == 0);
    }

    /** {@code Transpose[perm](Reshape[0,0,N,h](Add(bias, MatMul(x, W))))}, every value read once. */
    private static Optional<Projection> projection(OnnxGraph graph, String value, long[] perm) {
        Optional<OnnxNode> transpose = graph.producer(value).filter(t -> t.is("Transpose") && graph.uses(value) == 1)
                .filter(t -> Arrays.equals(t.intsAttribute("perm").orElse(null), perm));
        Optional<OnnxNode> reshape = transpose.flatMap(t -> single(graph, t.input(0), "Reshape"));
        Optional<OnnxNode> add = reshape.flatMap(r -> single(graph, r.input(0), "Add"));
        if (add.isEmpty() || graph.isRemoved(add.get())) {
            return Optional.empty();
        }
        Optional<long[]> heads = reshapeTarget(graph, reshape.get());
        for (int i = 0; i < 2; i++) {
            Optional<OnnxNode> matMul = single(graph, add.get().input(1 - i), "MatMul");
            Optional<float[]> bias = graph.initializer(add.get().input(i)).filter(b -> b.dims().length == 1)
                    .flatMap(OnnxInitializer::floats);
            Optional<OnnxInitializer> weight = matMul.flatMap(m -> graph.initializer(m.input(1)))
                    .filter(w -> w.dims().length == 2);
            if (matMul.isPresent() && bias.isPresent() && weight.isPresent() && heads.isPresent()
                    && heads.get().length == 4 && heads.get()[0] == 0 && heads.get()[1] == 0
                    && heads.get()[2] * heads.get()[3] == bias.get().length
                    && weight.get().dims()[1] == bias.get().length
                    && graph.initializer(matMul.get().input(0)).isEmpty()) {
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
        return List.of(k, v).stream().allMatch(p -> p.matMul().input(0).equals(q.matMul().input(0))
                && p.weight().length == q.weight().length && p.bias().length == q.bias().length
                && Arrays.equals(p.heads(), q.heads()));
    }

    /** {@code Mul(Sub(1, Cast<float>(Unsqueeze chain of a graph input to [B,1,1,S])), filter)}, either order. */
    private static Optional<Mask> mask(OnnxGraph graph, String value) {
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
                return Optional.of(new Mask(filter.get(), input.get()));
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

    /** The one node reading {@code node}'s one output, if it is of {@code opType}. */
    private static Optional<OnnxNode> onlyReader(OnnxGraph graph, OnnxNode node, String opType) {
        List<OnnxNode> readers = graph.consumers(node.outputs().get(0));
        return node.outputs().size() == 1 && graph.uses(node.outputs().get(0)) == 1 && readers.get(0).is(opType)
                ? Optional.of(readers.get(0)) : Optional.empty();
    }

    /** The producer of {@code value}, if it is of {@code opType}, has one output and nothing else reads it. */
    private static Optional<OnnxNode> single(OnnxGraph graph, String value, String opType) {
        return graph.producer(value).filter(n -> n.is(opType) && graph.uses(value) == 1 && n.outputs().size() == 1);
    }

    private static Optional<long[]> reshapeTarget(OnnxGraph graph, OnnxNode reshape) {
        if (reshape.intAttribute("allowzero").orElse(0L) != 0) {
            return Optional.empty();
        }
        return graph.initializer(reshape.input(1)).flatMap(OnnxInitializer::int64s);
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
