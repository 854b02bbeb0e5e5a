package dev.triage.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the protobuf wire format to read and rewrite the node list of an ONNX graph without a
 * protobuf runtime or generated classes: every field is kept as the exact bytes it was read from, so what
 * the rewrite does not touch (initializers, metadata, unknown fields) is copied through unchanged.
 */
final class OnnxWire {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    /**
     * One field of a message.
     *
     * @param raw the whole field, tag included, as it stands in the message
     * @param value a varint's value, or a fixed32/fixed64's bits
     * @param payload a length-delimited field's content (a string, bytes or an embedded message)
     */
    record Field(int number, int wireType, long value, ByteBuffer payload, ByteBuffer raw) {

        String string() {
            return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
        }

        float floatValue() {
            return Float.intBitsToFloat((int) value);
        }

        /** The values one occurrence of a repeated int64 field holds: packed (protobuf 3) or a single varint. */
        List<Long> varints() {
            return wireType == LENGTH_DELIMITED ? packedVarints(payload) : List.of(value);
        }
    }

    private OnnxWire() {
    }

    /** The fields of the message held by {@code message} (position to limit), in order. */
    static List<Field> fields(ByteBuffer message) {
        ByteBuffer in = message.slice().order(ByteOrder.LITTLE_ENDIAN);
        List<Field> fields = new ArrayList<>();
        while (in.hasRemaining()) {
            int start = in.position();
            long tag = readVarint(in);
            int number = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            long value = 0;
            ByteBuffer payload = null;
            switch (wireType) {
                case VARINT -> value = readVarint(in);
                case FIXED64 -> value = in.getLong();
                case FIXED32 -> value = in.getInt() & 0xFFFFFFFFL;
                case LENGTH_DELIMITED -> {
                    long length = readVarint(in);
                    if (length < 0 || length > in.remaining()) {
                        throw new ModelException("ONNX protobuf: field " + number + " claims " + length
                                + " bytes, " + in.remaining() + " remain");
                    }
                    payload = in.slice(in.position(), (int) length);
                    in.position(in.position() + (int) length);
                }
                default -> throw new ModelException("ONNX protobuf: unsupported wire type " + wireType + " in field "
                        + number + " at byte " + start);
            }
            fields.add(new Field(number, wireType, value, payload, in.slice(start, in.position() - start)));
        }
        return fields;
    }

    private static List<Long> packedVarints(ByteBuffer payload) {
        ByteBuffer in = payload.slice();
        List<Long> values = new ArrayList<>();
        while (in.hasRemaining()) {
            values.add(readVarint(in));
        }
        return values;
    }

    private static long readVarint(ByteBuffer in) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (!in.hasRemaining()) {
                throw new ModelException("ONNX protobuf: truncated varint");
            }
            byte b = in.get();
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new ModelException("ONNX protobuf: varint longer than 10 bytes");
    }

    /** Builds a message field by field. */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer string(int number, String value) {
            return bytes(number, value.getBytes(StandardCharsets.UTF_8));
        }

        Writer bytes(int number, byte[] value) {
            tag(number, LENGTH_DELIMITED);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        Writer int64(int number, long value) {
            tag(number, VARINT);
            varint(value);
            return this;
        }

        Writer float32(int number, float value) {
            tag(number, FIXED32);
            int bits = Float.floatToRawIntBits(value);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int number, int wireType) {
            varint(((long) number << 3) | wireType);
        }

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }

    /** The tag and length that start a length-delimited field of {@code length} bytes. */
    static byte[] header(int number, long length) {
        Writer header = new Writer();
        header.tag(number, LENGTH_DELIMITED);
        header.varint(length);
        return header.toByteArray();
    }
}
