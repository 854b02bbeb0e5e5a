package dev.triage.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.triage.model.OnnxWire.Field;

import static dev.triage.model.OnnxGraph.*;

/** A constant tensor. {@code data} holds its raw little-endian bytes, or is empty if stored otherwise. */
record OnnxInitializer(Field field, String name, long[] dims, int dataType, Optional<ByteBuffer> data,
        List<Field> typedData) {

    long elements() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The values of a float tensor, or empty if it is not one or is stored externally. */
    Optional<float[]> floats() {
        if (dataType != TENSOR_FLOAT || elements() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        float[] values = new float[(int) elements()];
        if (data.isPresent()) {
            if (data.get().remaining() != 4L * values.length) {
                return Optional.empty();
            }
            data.get().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return Optional.of(values);
        }
        List<Float> typed = new ArrayList<>();
        for (Field f : typedData) {
            if (f.number() != TENSOR_FLOAT_DATA) {
                continue;
            }
            if (f.wireType() == OnnxWire.LENGTH_DELIMITED) {
                var floats = f.payload().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                while (floats.hasRemaining()) {
                    typed.add(floats.get());
                }
            } else {
                typed.add(f.floatValue());
            }
        }
        if (typed.size() != values.length) {
            return Optional.empty();
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = typed.get(i);
        }
        return Optional.of(values);
    }

    /** The values of an int64 tensor, or empty if it is not one. */
    Optional<long[]> int64s() {
        if (dataType != TENSOR_INT64) {
            return Optional.empty();
        }
        if (data.isPresent()) {
            long[] values = new long[(int) elements()];
            if (data.get().remaining() != 8L * values.length) {
                return Optional.empty();
            }
            data.get().duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
            return Optional.of(values);
        }
        List<Long> values = new ArrayList<>();
        typedData.stream().filter(f -> f.number() == TENSOR_INT64_DATA)
                .forEach(f -> values.addAll(f.varints()));
        return values.size() == elements() ? Optional.of(values.stream().mapToLong(Long::longValue).toArray())
                : Optional.empty();
    }

    /** A float scalar (any shape with one element). */
    Optional<Float> scalar() {
        return floats().filter(v -> v.length == 1).map(v -> v[0]);
    }

    static OnnxInitializer read(Field field) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        Optional<ByteBuffer> raw = Optional.empty();
        List<Field> typed = new ArrayList<>();
        for (Field f : OnnxWire.fields(field.payload())) {
            switch (f.number()) {
                case TENSOR_DIMS -> dims.addAll(f.varints());
                case TENSOR_DATA_TYPE -> dataType = (int) f.value();
                case TENSOR_NAME -> name = f.string();
                case TENSOR_RAW_DATA -> raw = Optional.of(f.payload());
                default -> typed.add(f);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return new OnnxInitializer(field, name, shape, dataType, raw, typed);
    }
}
