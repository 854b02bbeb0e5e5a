package dev.triage.model;

import java.util.List;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;

/** One node of a graph as read. Compared by identity: the graph's edits refer to this very node. */
final class OnnxNode {

    private final NodeProto proto;

    OnnxNode(NodeProto proto) {
        this.proto = proto;
    }

    NodeProto proto() {
        return proto;
    }

    List<String> inputs() {
        return proto.getInputList();
    }

    List<String> outputs() {
        return proto.getOutputList();
    }

    String name() {
        return proto.getName();
    }

    String opType() {
        return proto.getOpType();
    }

    boolean is(String type) {
        return opType().equals(type) && (proto.getDomain().isEmpty() || proto.getDomain().equals("ai.onnx"));
    }

    boolean isContrib(String type) {
        return opType().equals(type) && proto.getDomain().equals(OnnxGraph.CONTRIB_DOMAIN);
    }

    /** A subgraph (If, Loop, Scan) may read any outer value. */
    boolean hasSubgraph() {
        return proto.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
    }

    String input(int index) {
        return index < proto.getInputCount() ? proto.getInput(index) : "";
    }

    Optional<Long> intAttribute(String name) {
        return attribute(name).filter(AttributeProto::hasI).map(AttributeProto::getI);
    }

    Optional<Float> floatAttribute(String name) {
        return attribute(name).filter(AttributeProto::hasF).map(AttributeProto::getF);
    }

    Optional<long[]> intsAttribute(String name) {
        return attribute(name).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray());
    }

    private Optional<AttributeProto> attribute(String name) {
        return proto.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst();
    }
}
