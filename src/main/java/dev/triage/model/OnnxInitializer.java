package dev.triage.model;

import java.nio.ByteBuffer;
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

    /** The values of a float tensor, or empty if it is not one or is stored externally. */
    Optional<float[]> floats() {
        return length(DataType.FLOAT_VALUE, Float.BYTES, proto.getFloatDataCount()).map(n -> {
            float[] values = new float[n];
            if (proto.hasRawData()) {
                raw().asFloatBuffer().get(values);
            } else {
                for (int i = 0; i < n; i++) {
                    values[i] = proto.getFloatData(i);
                }
            }
            return values;
        });
    }

    /** The values of an int64 tensor, or empty if it is not one. */
    Optional<long[]> int64s() {
        return length(DataType.INT64_VALUE, Long.BYTES, proto.getInt64DataCount()).map(n -> {
            if (!proto.hasRawData()) {
                return proto.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
            }
            long[] values = new long[n];
            raw().asLongBuffer().get(values);
            return values;
        });
    }

    /** A float scalar (any shape with one element). */
    Optional<Float> scalar() {
        return floats().filter(v -> v.length == 1).map(v -> v[0]);
    }

    /** The element count, if the tensor is of {@code type} and holds them all inline (raw or in its typed list). */
    private Optional<Integer> length(int type, int bytes, int listed) {
        long elements = Arrays.stream(dims()).reduce(1, (a, b) -> a * b);
        boolean complete = proto.hasRawData() ? proto.getRawData().size() == bytes * elements : listed == elements;
        return dataType() == type && elements <= Integer.MAX_VALUE && complete
                ? Optional.of((int) elements) : Optional.empty();
    }

    private ByteBuffer raw() {
        return proto.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }
}
