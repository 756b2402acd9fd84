package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.enums.V8ValueReferenceType;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.reference.V8ValueArrayBuffer;
import com.caoccao.javet.values.reference.V8ValueTypedArray;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bytes and large texts crossing from the platform modules into V8 without a JSON round trip: a
 * worker {@linkplain #park parks} a result and resolves the script's promise with its ticket; the
 * bootstrap then {@linkplain #take takes} it, a {@code byte[]} as a {@code Uint8Array} (one copy into
 * V8's memory), a {@code String} as a string. Bytes going the other way are copied out of the
 * script's typed array on the loop ({@link #bytes}).
 *
 * <p>Threading: {@link #park} any thread; the op on the loop thread.
 */
final class BytesOps {
    static final String OP_TAKE = "takeParked";

    private final V8Runtime v8;
    private final Map<Integer, Object> parked = new ConcurrentHashMap<>();
    private final AtomicInteger tickets = new AtomicInteger();

    BytesOps(V8Runtime v8) {
        this.v8 = v8;
    }

    /** Keeps {@code value} (a {@code byte[]} or a {@code String}) for the script to take; its ticket. */
    int park(Object value) {
        int ticket = tickets.incrementAndGet();
        parked.put(ticket, value);
        return ticket;
    }

    @V8Function(name = OP_TAKE)
    public Object take(int ticket) throws JavetException {
        Object value = parked.remove(ticket);
        if (value instanceof byte[] bytes) {
            return array(bytes);
        }
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalStateException("nothing parked under ticket " + ticket);
    }

    /** A new {@code Uint8Array} holding {@code bytes}, for an op to return; loop thread. */
    V8ValueTypedArray array(byte[] bytes) throws JavetException {
        V8ValueTypedArray array = v8.createV8ValueTypedArray(V8ValueReferenceType.Uint8Array, bytes.length);
        if (bytes.length > 0) {
            // One bulk copy into V8's memory: Javet's fromBytes is about 100 times slower (1 s per 100 MiB).
            try (V8ValueArrayBuffer buffer = array.getBuffer()) {
                buffer.getByteBuffer().put(0, bytes);
            }
        }
        return array;
    }

    /**
     * The bytes of a typed array or {@code ArrayBuffer} argument (copied; the bootstrap passes other
     * views as a {@code Uint8Array} over the same bytes).
     *
     * @throws KilnException {@link ErrorCode#INVALID_ARGUMENT} for anything else
     */
    static byte[] bytes(V8Value value, String what) throws JavetException {
        if (value instanceof V8ValueTypedArray typed) {
            // The view's own bytes (Javet's toBytes gives its whole buffer, ignoring a subarray's offset).
            byte[] out = new byte[typed.getByteLength()];
            try (V8ValueArrayBuffer buffer = typed.getBuffer()) {
                buffer.getByteBuffer().get(typed.getByteOffset(), out);
            }
            return out;
        }
        if (value instanceof V8ValueArrayBuffer buffer) {
            byte[] out = new byte[buffer.getByteLength()];
            buffer.getByteBuffer().get(0, out);
            return out;
        }
        throw new KilnException(ErrorCode.INVALID_ARGUMENT, what + " must be a Uint8Array, got " + value);
    }
}
