package dev.triage.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.triage.model.OnnxWire.Field;

/**
 * Rewrites every residual {@code Add -> LayerNormalization} of an ONNX graph into one
 * {@code com.microsoft:SkipLayerNormalization}, the kernel ONNX Runtime's own SkipLayerNormFusion would pick.
 * <p>
 * Why by hand: the exported sentence encoders (opset 11) spell LayerNorm out in primitive ops; ORT fuses
 * them into {@code LayerNormalization}, but its Skip fusion does not fire behind the quantized MatMuls, and
 * in ORT 1.29 for Java the plain LayerNormalization kernel is ~7x slower than SkipLayerNormalization
 * (profiled: 19% of a q8 MiniLM run, 0.26 ms per call). Run on the graph ORT saved after its own
 * optimisations, so the LayerNorms are already fused. Same arithmetic: {@code LN(a + b)}.
 */
final class SkipLayerNormFusion {

    static final String CONTRIB_DOMAIN = "com.microsoft";
    private static final float ONNX_DEFAULT_EPSILON = 1e-5f;

    // ModelProto, GraphProto, NodeProto, AttributeProto, OperatorSetIdProto, ValueInfoProto field numbers.
    static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    static final int GRAPH_NODE = 1;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_I = 3;
    private static final int ATTR_G = 6;
    private static final int ATTR_GRAPHS = 11;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int VALUE_INFO_NAME = 1;

    private record Node(Field field, List<String> inputs, List<String> outputs, String name, String opType,
            String domain, Map<String, Field> attributes, boolean hasSubgraph) {

        boolean is(String type) {
            return opType.equals(type) && (domain.isEmpty() || domain.equals("ai.onnx"));
        }
    }

    private SkipLayerNormFusion() {
    }

    /**
     * Writes the rewritten model to {@code target}.
     *
     * @return how many pairs were fused; 0 means the graph has none and nothing was written
     */
    static int rewrite(ByteBuffer model, Path target) throws IOException {
        List<Field> modelFields = OnnxWire.fields(model);
        Field graph = modelFields.stream().filter(f -> f.number() == MODEL_GRAPH).findFirst()
                .orElseThrow(() -> new ModelException("ONNX model has no graph"));
        List<Field> graphFields = OnnxWire.fields(graph.payload());
        List<Node> nodes = new ArrayList<>();
        Map<String, Integer> uses = new HashMap<>();
        for (Field field : graphFields) {
            if (field.number() == GRAPH_NODE) {
                Node node = node(field);
                if (node.hasSubgraph()) {
                    return 0; // a subgraph may read any outer value: use counts would not be trustworthy
                }
                nodes.add(node);
                node.inputs().forEach(input -> uses.merge(input, 1, Integer::sum));
            } else if (field.number() == GRAPH_OUTPUT) {
                uses.merge(name(field), 1, Integer::sum);
            }
        }
        Map<String, Node> producers = new HashMap<>();
        nodes.forEach(n -> n.outputs().forEach(o -> producers.put(o, n)));

        // By identity: a Field's equals compares its bytes, and an initializer can be megabytes.
        Set<Field> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Field, byte[]> replaced = new IdentityHashMap<>();
        for (Node norm : nodes) {
            Node add = norm.inputs().isEmpty() ? null : producers.get(norm.inputs().get(0));
            if (fusable(norm, add, uses)) {
                dropped.add(add.field());
                replaced.put(norm.field(), fused(add, norm));
            }
        }
        if (replaced.isEmpty()) {
            return 0;
        }

        List<ByteBuffer> graphPieces = new ArrayList<>();
        for (Field field : graphFields) {
            if (dropped.contains(field)) {
                continue;
            }
            byte[] fused = replaced.get(field);
            graphPieces.add(fused != null ? ByteBuffer.wrap(fused) : field.raw());
        }
        long graphLength = graphPieces.stream().mapToLong(ByteBuffer::remaining).sum();
        List<ByteBuffer> pieces = new ArrayList<>();
        for (Field field : modelFields) {
            if (field == graph) {
                pieces.add(ByteBuffer.wrap(OnnxWire.header(MODEL_GRAPH, graphLength)));
                pieces.addAll(graphPieces);
            } else {
                pieces.add(field.raw());
            }
        }
        if (!importsContribOps(modelFields)) {
            byte[] opset = new OnnxWire.Writer().string(OPSET_DOMAIN, CONTRIB_DOMAIN).int64(OPSET_VERSION, 1)
                    .toByteArray();
            pieces.add(ByteBuffer.wrap(new OnnxWire.Writer().bytes(MODEL_OPSET_IMPORT, opset).toByteArray()));
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (ByteBuffer piece : pieces) {
                ByteBuffer bytes = piece.duplicate();
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
            }
        }
        return replaced.size();
    }

    /** LN over the last axis with scale and bias, fed only by a two-input Add whose sum nothing else reads. */
    private static boolean fusable(Node norm, Node add, Map<String, Integer> uses) {
        if (add == null || !norm.is("LayerNormalization") || !add.is("Add")) {
            return false;
        }
        long axis = norm.attributes().containsKey("axis") ? norm.attributes().get("axis").value() : -1;
        boolean onlyOutput = norm.outputs().size() == 1
                || norm.outputs().subList(1, norm.outputs().size()).stream().allMatch(String::isEmpty);
        return axis == -1 && norm.inputs().size() == 3 && norm.inputs().stream().noneMatch(String::isEmpty)
                && onlyOutput && add.inputs().size() == 2 && add.outputs().size() == 1
                && uses.getOrDefault(add.outputs().get(0), 0) == 1;
    }

    private static byte[] fused(Node add, Node norm) {
        Field epsilon = norm.attributes().get("epsilon");
        byte[] attribute = new OnnxWire.Writer().string(ATTR_NAME, "epsilon")
                .float32(ATTR_F, epsilon != null ? epsilon.floatValue() : ONNX_DEFAULT_EPSILON)
                .int64(ATTR_TYPE, ATTR_TYPE_FLOAT).toByteArray();
        OnnxWire.Writer node = new OnnxWire.Writer();
        // SkipLayerNormalization(input, skip, gamma, beta): the sum's two terms, then LN's scale and bias.
        for (String input : List.of(add.inputs().get(0), add.inputs().get(1), norm.inputs().get(1),
                norm.inputs().get(2))) {
            node.string(NODE_INPUT, input);
        }
        node.string(NODE_OUTPUT, norm.outputs().get(0))
                .string(NODE_NAME, norm.name() + "/SkipLayerNorm")
                .string(NODE_OP_TYPE, "SkipLayerNormalization")
                .bytes(NODE_ATTRIBUTE, attribute)
                .string(NODE_DOMAIN, CONTRIB_DOMAIN);
        return new OnnxWire.Writer().bytes(GRAPH_NODE, node.toByteArray()).toByteArray();
    }

    private static Node node(Field field) {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Field> attributes = new HashMap<>();
        String name = "";
        String opType = "";
        String domain = "";
        boolean subgraph = false;
        for (Field f : OnnxWire.fields(field.payload())) {
            switch (f.number()) {
                case NODE_INPUT -> inputs.add(f.string());
                case NODE_OUTPUT -> outputs.add(f.string());
                case NODE_NAME -> name = f.string();
                case NODE_OP_TYPE -> opType = f.string();
                case NODE_DOMAIN -> domain = f.string();
                case NODE_ATTRIBUTE -> {
                    String attributeName = "";
                    Field value = null;
                    for (Field a : OnnxWire.fields(f.payload())) {
                        if (a.number() == ATTR_NAME) {
                            attributeName = a.string();
                        } else if (a.number() == ATTR_F || a.number() == ATTR_I) {
                            value = a;
                        } else if (a.number() == ATTR_G || a.number() == ATTR_GRAPHS) {
                            subgraph = true;
                        }
                    }
                    if (value != null) {
                        attributes.put(attributeName, value);
                    }
                }
                default -> {
                }
            }
        }
        return new Node(field, inputs, outputs, name, opType, domain, attributes, subgraph);
    }

    private static String name(Field valueInfo) {
        return OnnxWire.fields(valueInfo.payload()).stream().filter(f -> f.number() == VALUE_INFO_NAME)
                .map(Field::string).findFirst().orElse("");
    }

    private static boolean importsContribOps(List<Field> modelFields) {
        return modelFields.stream().filter(f -> f.number() == MODEL_OPSET_IMPORT)
                .flatMap(f -> OnnxWire.fields(f.payload()).stream())
                .anyMatch(f -> f.number() == OPSET_DOMAIN && CONTRIB_DOMAIN.equals(f.string()));
    }
}
