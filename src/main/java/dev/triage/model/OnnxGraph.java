package dev.triage.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.triage.model.OnnxWire.Field;

/**
 * The node list, initializers and inputs of an ONNX graph, read with {@link OnnxWire}, plus the edits a fusion
 * makes to it: nodes removed or replaced, fields added. {@link #write} copies every untouched field through
 * byte for byte. Fusions see the graph as read; each must only remove nodes whose outputs it replaces.
 */
final class OnnxGraph {

    static final String CONTRIB_DOMAIN = "com.microsoft";

    // ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, OperatorSetIdProto fields.
    static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    static final int GRAPH_NODE = 1;
    static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    static final int NODE_ATTRIBUTE = 5;
    static final int NODE_DOMAIN = 7;
    static final int ATTR_NAME = 1;
    static final int ATTR_F = 2;
    static final int ATTR_I = 3;
    static final int ATTR_G = 6;
    static final int ATTR_INTS = 8;
    static final int ATTR_GRAPHS = 11;
    static final int ATTR_TYPE = 20;
    static final int ATTR_TYPE_FLOAT = 1;
    static final int ATTR_TYPE_INT = 2;
    static final int TENSOR_DIMS = 1;
    static final int TENSOR_DATA_TYPE = 2;
    static final int TENSOR_FLOAT_DATA = 4;
    static final int TENSOR_INT64_DATA = 7;
    static final int TENSOR_NAME = 8;
    static final int TENSOR_RAW_DATA = 9;
    static final int TENSOR_FLOAT = 1;
    static final int TENSOR_INT32 = 6;
    static final int TENSOR_INT64 = 7;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int VALUE_INFO_NAME = 1;

    private final List<Field> modelFields;
    private final Field graph;
    private final List<Field> graphFields;
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> graphInputs = new HashSet<>();
    private final Map<String, Field> initializerFields = new HashMap<>();
    private final boolean hasSubgraphs;
    // By identity: a Field's equals compares its bytes, and an initializer can be megabytes.
    private final Set<Field> removed = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Field, byte[]> replaced = new IdentityHashMap<>();
    private final List<byte[]> added = new ArrayList<>();
    private boolean needsContribOpset;

    private OnnxGraph(List<Field> modelFields, Field graph) {
        this.modelFields = modelFields;
        this.graph = graph;
        this.graphFields = OnnxWire.fields(graph.payload());
        boolean subgraphs = false;
        for (Field field : graphFields) {
            switch (field.number()) {
                case GRAPH_NODE -> {
                    OnnxNode node = OnnxNode.read(field);
                    subgraphs |= node.hasSubgraph();
                    nodes.add(node);
                    node.outputs().forEach(o -> producers.put(o, node));
                    node.inputs().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(node));
                }
                case GRAPH_INITIALIZER -> initializerFields.put(tensorName(field), field);
                case GRAPH_INPUT -> graphInputs.add(valueInfoName(field));
                case GRAPH_OUTPUT -> graphOutputs.add(valueInfoName(field));
                default -> {
                }
            }
        }
        this.hasSubgraphs = subgraphs;
    }

    static OnnxGraph read(ByteBuffer model) {
        List<Field> fields = OnnxWire.fields(model);
        Field graph = fields.stream().filter(f -> f.number() == MODEL_GRAPH).findFirst()
                .orElseThrow(() -> new ModelException("ONNX model has no graph"));
        return new OnnxGraph(fields, graph);
    }

    /** A subgraph (If, Loop, Scan) may read any outer value: use counts would not be trustworthy. */
    boolean hasSubgraphs() {
        return hasSubgraphs;
    }

    List<OnnxNode> nodes() {
        return nodes;
    }

    Optional<OnnxNode> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    List<OnnxNode> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** Readers of a value, the graph's outputs counted as readers. */
    int uses(String value) {
        return consumers(value).size() + (graphOutputs.contains(value) ? 1 : 0);
    }

    boolean isGraphInput(String value) {
        return graphInputs.contains(value) && !initializerFields.containsKey(value);
    }

    Optional<OnnxInitializer> initializer(String name) {
        Field field = initializerFields.get(name);
        return field == null ? Optional.empty() : Optional.of(OnnxInitializer.read(field));
    }

    void remove(OnnxNode node) {
        removed.add(node.field());
    }

    boolean isRemoved(OnnxNode node) {
        return removed.contains(node.field()) || replaced.containsKey(node.field());
    }

    /** Puts whole graph fields (nodes, usually) where {@code node} was, keeping the node order topological. */
    void replace(OnnxNode node, byte[] graphFields) {
        replaced.put(node.field(), graphFields);
        needsContribOpset = true;
    }

    /** Adds a graph field at the end (an initializer: their order does not matter). */
    void add(byte[] graphField) {
        added.add(graphField);
    }

    boolean edited() {
        return !removed.isEmpty() || !replaced.isEmpty() || !added.isEmpty();
    }

    void write(Path target) throws IOException {
        List<ByteBuffer> graphPieces = new ArrayList<>();
        for (Field field : graphFields) {
            if (removed.contains(field)) {
                continue;
            }
            byte[] replacement = replaced.get(field);
            graphPieces.add(replacement != null ? ByteBuffer.wrap(replacement) : field.raw());
        }
        added.forEach(bytes -> graphPieces.add(ByteBuffer.wrap(bytes)));
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
        if (needsContribOpset && !importsContribOps()) {
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
    }

    /** A GraphProto node field of the contrib domain: {@code inputs} in order, one output, attributes encoded. */
    static byte[] contribNode(String opType, String name, List<String> inputs, String output, byte[]... attributes) {
        return node(CONTRIB_DOMAIN, opType, name, inputs, output, attributes);
    }

    /** The same for a standard ONNX operator. */
    static byte[] onnxNode(String opType, String name, List<String> inputs, String output, byte[]... attributes) {
        return node("", opType, name, inputs, output, attributes);
    }

    private static byte[] node(String domain, String opType, String name, List<String> inputs, String output,
            byte[]... attributes) {
        OnnxWire.Writer node = new OnnxWire.Writer();
        inputs.forEach(input -> node.string(NODE_INPUT, input));
        node.string(NODE_OUTPUT, output).string(NODE_NAME, name).string(NODE_OP_TYPE, opType);
        for (byte[] attribute : attributes) {
            node.bytes(NODE_ATTRIBUTE, attribute);
        }
        if (!domain.isEmpty()) {
            node.string(NODE_DOMAIN, domain);
        }
        return new OnnxWire.Writer().bytes(GRAPH_NODE, node.toByteArray()).toByteArray();
    }

    static byte[] floatAttribute(String name, float value) {
        return new OnnxWire.Writer().string(ATTR_NAME, name).float32(ATTR_F, value).int64(ATTR_TYPE, ATTR_TYPE_FLOAT)
                .toByteArray();
    }

    static byte[] intAttribute(String name, long value) {
        return new OnnxWire.Writer().string(ATTR_NAME, name).int64(ATTR_I, value).int64(ATTR_TYPE, ATTR_TYPE_INT)
                .toByteArray();
    }

    /** A GraphProto initializer field: a float tensor of the given shape, stored as raw data. */
    static byte[] floatInitializer(String name, long[] dims, float[] values) {
        OnnxWire.Writer tensor = new OnnxWire.Writer();
        for (long d : dims) {
            tensor.int64(TENSOR_DIMS, d);
        }
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        tensor.int64(TENSOR_DATA_TYPE, TENSOR_FLOAT).string(TENSOR_NAME, name).bytes(TENSOR_RAW_DATA, raw.array());
        return new OnnxWire.Writer().bytes(GRAPH_INITIALIZER, tensor.toByteArray()).toByteArray();
    }

    private boolean importsContribOps() {
        return modelFields.stream().filter(f -> f.number() == MODEL_OPSET_IMPORT)
                .flatMap(f -> OnnxWire.fields(f.payload()).stream())
                .anyMatch(f -> f.number() == OPSET_DOMAIN && CONTRIB_DOMAIN.equals(f.string()));
    }

    private static String tensorName(Field tensor) {
        return OnnxWire.fields(tensor.payload()).stream().filter(f -> f.number() == TENSOR_NAME).map(Field::string)
                .findFirst().orElse("");
    }

    private static String valueInfoName(Field valueInfo) {
        return OnnxWire.fields(valueInfo.payload()).stream().filter(f -> f.number() == VALUE_INFO_NAME)
                .map(Field::string).findFirst().orElse("");
    }
}
