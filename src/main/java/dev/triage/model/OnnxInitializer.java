package dev.triage.model;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;

/** A constant tensor of the graph. */
record OnnxInitializer(TensorProto proto) {

    long[] dims() {
        return proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    int dataType() {
        return proto.getDataType();
    }

    long elements() {
        return Arrays.stream(dims()).reduce(1, (a, b) -> a * b);
    }

    /** The values of a float tensor, or empty if it is not one or is stored externally. */
    Optional<float[]> floats() {
        if (dataType() != DataType.FLOAT_VALUE || elements() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        float[] values = new float[(int) elements()];
        if (proto.hasRawData()) {
            if (proto.getRawData().size() != 4L * values.length) {
                return Optional.empty();
            }
            proto.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return Optional.of(values);
        }
        if (proto.getFloatDataCount() != values.length) {
            return Optional.empty();
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = proto.getFloatData(i);
        }
        return Optional.of(values);
    }

    /** The values of an int64 tensor, or empty if it is not one. */
    Optional<long[]> int64s() {
        if (dataType() != DataType.INT64_VALUE || elements() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        long[] values = new long[(int) elements()];
        if (proto.hasRawData()) {
            if (proto.getRawData().size() != 8L * values.length) {
                return Optional.empty();
            }
            proto.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
            return Optional.of(values);
        }
        return proto.getInt64DataCount() == values.length
                ? Optional.of(proto.getInt64DataList().stream().mapToLong(Long::longValue).toArray())
                : Optional.empty();
    }

    /** A float scalar (any shape with one element). */
    Optional<Float> scalar() {
        return floats().filter(v -> v.length == 1).map(v -> v[0]);
    }
}
