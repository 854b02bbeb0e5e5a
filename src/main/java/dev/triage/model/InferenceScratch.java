package dev.triage.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * One worker's reusable native buffers for ORT inputs and outputs, so no inference allocates large
 * buffers. They only grow (to the largest micro-batch seen), and are owned by exactly one thread.
 * Each accessor returns a view of exactly {@code size} elements.
 */
public final class InferenceScratch {

    private ByteBuffer ids;
    private ByteBuffer mask;
    private ByteBuffer types;
    private ByteBuffer output;

    LongBuffer ids(int size) {
        ids = grown(ids, size * Long.BYTES);
        return ids.asLongBuffer().slice(0, size);
    }

    LongBuffer mask(int size) {
        mask = grown(mask, size * Long.BYTES);
        return mask.asLongBuffer().slice(0, size);
    }

    LongBuffer types(int size) {
        types = grown(types, size * Long.BYTES);
        return types.asLongBuffer().slice(0, size);
    }

    FloatBuffer output(int size) {
        output = grown(output, size * Float.BYTES);
        return output.asFloatBuffer().slice(0, size);
    }

    private static ByteBuffer grown(ByteBuffer buffer, int bytes) {
        if (buffer != null && buffer.capacity() >= bytes) {
            return buffer;
        }
        return ByteBuffer.allocateDirect(Math.max(bytes, Long.BYTES)).order(ByteOrder.nativeOrder());
    }
}
