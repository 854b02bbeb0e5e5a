package dev.triage.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * One worker's reusable native buffers for ORT inputs and outputs, so no inference allocates large
 * buffers. They only grow (to the largest micro-batch seen), and are owned by exactly one thread.
 */
public final class InferenceScratch {

    private LongBuffer ids = longs(0);
    private LongBuffer mask = longs(0);
    private LongBuffer types = longs(0);
    private FloatBuffer output = floats(0);

    LongBuffer ids(int size) {
        if (ids.capacity() < size) {
            ids = longs(size);
        }
        return ids;
    }

    LongBuffer mask(int size) {
        if (mask.capacity() < size) {
            mask = longs(size);
        }
        return mask;
    }

    LongBuffer types(int size) {
        if (types.capacity() < size) {
            types = longs(size);
        }
        return types;
    }

    FloatBuffer output(int size) {
        if (output.capacity() < size) {
            output = floats(size);
        }
        return output;
    }

    private static LongBuffer longs(int size) {
        return ByteBuffer.allocateDirect(Math.max(size, 1) * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    private static FloatBuffer floats(int size) {
        return ByteBuffer.allocateDirect(Math.max(size, 1) * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }
}
