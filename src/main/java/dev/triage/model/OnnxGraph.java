package dev.triage.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.google.protobuf.ByteString;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;

/**
 * The main graph of an ONNX model plus a fusion's edits (nodes removed or replaced, initializers added); whatever
 * the edits do not touch is written back as read. Fusions see the graph as read, so each may only remove nodes
 * whose outputs it replaces.
 */
final class OnnxGraph {

    static final String CONTRIB_DOMAIN = "com.microsoft";

    private final ModelProto model;
    private final List<NodeProto> nodes;
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Set<String> graphInputs = new HashSet<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();
    // By identity: an edit refers to this very node of the graph as read; a removed node is replaced by none.
    private final Map<NodeProto, List<NodeProto>> replaced = new IdentityHashMap<>();
    private final List<TensorProto> added = new ArrayList<>();
    private final Map<String, String> metadata = new HashMap<>();

    private OnnxGraph(ModelProto model) {
        this.model = model;
        GraphProto graph = model.getGraph();
        nodes = graph.getNodeList();
        for (NodeProto node : nodes) {
            node.getOutputList().forEach(o -> producers.put(o, node));
            node.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(node));
        }
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        graph.getInputList().stream().map(ValueInfoProto::getName).forEach(graphInputs::add);
        graph.getOutputList().stream().map(ValueInfoProto::getName).forEach(graphOutputs::add);
    }

    /** Models here are at most a few hundred MB: one array, well under protobuf's 2 GB message limit. */
    static OnnxGraph read(Path file) throws IOException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        if (!model.hasGraph()) {
            throw new ModelException("ONNX model " + file + " has no graph");
        }
        return new OnnxGraph(model);
    }

    /** A subgraph (If, Loop, Scan) may read any outer value: use counts would not be trustworthy. */
    boolean hasSubgraphs() {
        return nodes.stream().flatMap(node -> node.getAttributeList().stream())
                .anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
    }

    List<NodeProto> nodes() {
        return nodes;
    }

    Optional<NodeProto> producer(String value) {
        return Optional.ofNullable(producers.get(value));
    }

    List<NodeProto> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    /** Readers of a value, the graph's outputs counted as readers. */
    int uses(String value) {
        return consumers(value).size() + (graphOutputs.contains(value) ? 1 : 0);
    }

    /** The producer of {@code value}, if it is of {@code opType}, has one output and nothing else reads it. */
    Optional<NodeProto> single(String value, String opType) {
        return producer(value).filter(n -> is(n, opType) && uses(value) == 1 && n.getOutputCount() == 1);
    }

    /** The one node reading {@code node}'s one output, if it is of {@code opType}. */
    Optional<NodeProto> onlyReader(NodeProto node, String opType) {
        List<NodeProto> readers = consumers(node.getOutput(0));
        return node.getOutputCount() == 1 && readers.size() == 1 && uses(node.getOutput(0)) == 1
                && is(readers.get(0), opType) ? Optional.of(readers.get(0)) : Optional.empty();
    }

    boolean isGraphInput(String value) {
        return graphInputs.contains(value) && !initializers.containsKey(value);
    }

    Optional<OnnxInitializer> initializer(String name) {
        return Optional.ofNullable(initializers.get(name)).map(OnnxInitializer::new);
    }

    void remove(NodeProto node) {
        replaced.put(node, List.of());
    }

    boolean isRemoved(NodeProto node) {
        return replaced.containsKey(node);
    }

    /** Puts {@code replacement} where {@code node} was, keeping the node order topological. */
    void replace(NodeProto node, List<NodeProto> replacement) {
        replaced.put(node, replacement);
    }

    /** Adds an initializer (their order does not matter). */
    void add(TensorProto initializer) {
        added.add(initializer);
    }

    boolean edited() {
        return !replaced.isEmpty() || !added.isEmpty();
    }

    /** A model metadata entry, written with the graph (what made it, for whoever reads the file later). */
    void stamp(String key, String value) {
        metadata.put(key, value);
    }

    void write(Path target) throws IOException {
        GraphProto.Builder graph = model.getGraph().toBuilder().clearNode();
        nodes.forEach(node -> graph.addAllNode(replaced.getOrDefault(node, List.of(node))));
        graph.addAllInitializer(added);
        dropUnread(graph);
        ModelProto.Builder out = model.toBuilder().setGraph(graph);
        boolean importsContribOps = model.getOpsetImportList().stream()
                .anyMatch(opset -> opset.getDomain().equals(CONTRIB_DOMAIN));
        boolean addsNodes = replaced.values().stream().anyMatch(replacement -> !replacement.isEmpty());
        if (addsNodes && !importsContribOps) {
            out.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(CONTRIB_DOMAIN).setVersion(1));
        }
        metadata.forEach((key, value) -> out.addMetadataProps(
                StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            out.build().writeTo(file);
        }
    }

    /** Weights only the replaced nodes read (the fp32 Q/K/V projections, now packed) would bloat the file. */
    private void dropUnread(GraphProto.Builder graph) {
        if (hasSubgraphs()) {
            return; // a subgraph may read them
        }
        Set<String> read = new HashSet<>(graphOutputs);
        graph.getNodeList().forEach(node -> read.addAll(node.getInputList()));
        List<TensorProto> kept = graph.getInitializerList().stream().filter(t -> read.contains(t.getName())).toList();
        graph.clearInitializer().addAllInitializer(kept);
    }

    static boolean is(NodeProto node, String opType) {
        return node.getOpType().equals(opType) && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"));
    }

    static boolean isContrib(NodeProto node, String opType) {
        return node.getOpType().equals(opType) && node.getDomain().equals(CONTRIB_DOMAIN);
    }

    /** The input at {@code index}, or "" (ONNX's "not given") past the last. */
    static String input(NodeProto node, int index) {
        return index < node.getInputCount() ? node.getInput(index) : "";
    }

    /** An int attribute of a node. */
    static Optional<Long> intOf(NodeProto node, String name) {
        return attribute(node, name).filter(AttributeProto::hasI).map(AttributeProto::getI);
    }

    static Optional<Float> floatOf(NodeProto node, String name) {
        return attribute(node, name).filter(AttributeProto::hasF).map(AttributeProto::getF);
    }

    static Optional<long[]> intsOf(NodeProto node, String name) {
        return attribute(node, name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray());
    }

    private static Optional<AttributeProto> attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }

    static NodeProto contribNode(String opType, String name, List<String> inputs, String output,
            AttributeProto... attributes) {
        return onnxNode(opType, name, inputs, output, attributes).toBuilder().setDomain(CONTRIB_DOMAIN).build();
    }

    static NodeProto onnxNode(String opType, String name, List<String> inputs, String output,
            AttributeProto... attributes) {
        return NodeProto.newBuilder().addAllInput(inputs).addOutput(output).setName(name).setOpType(opType)
                .addAllAttribute(List.of(attributes)).build();
    }

    static AttributeProto floatAttribute(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setF(value).setType(AttributeType.FLOAT).build();
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setI(value).setType(AttributeType.INT).build();
    }

    /** A float tensor of the given shape, stored as raw little-endian data. */
    static TensorProto floatInitializer(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(raw)).build();
    }
}
