package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.enums.V8ValueReferenceType;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.V8Runtime;
import com.caoccao.javet.values.V8Value;
import com.caoccao.javet.values.reference.V8ValueTypedArray;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bytes crossing between V8 and the platform modules without a text encoding: a worker
 * {@linkplain #park parks} a result and resolves the script's promise with its ticket; the
 * bootstrap then {@linkplain #take takes} it as a {@code Uint8Array} (one copy into V8's memory).
 * Bytes going the other way are copied out of the script's typed array on the loop ({@link #bytes}).
 *
 * <p>Threading: {@link #park} any thread; the ops on the loop thread.
 */
final class BytesOps {
    static final String OP_TAKE_BYTES = "takeBytes";

    private final V8Runtime v8;
    private final Map<Integer, byte[]> parked = new ConcurrentHashMap<>();
    private final AtomicInteger tickets = new AtomicInteger();

    BytesOps(V8Runtime v8) {
        this.v8 = v8;
    }

    /** Keeps {@code bytes} for the script to take; the ticket to resolve its promise with. */
    int park(byte[] bytes) {
        int ticket = tickets.incrementAndGet();
        parked.put(ticket, bytes);
        return ticket;
    }

    @V8Function(name = OP_TAKE_BYTES)
    public V8Value take(int ticket) throws JavetException {
        byte[] bytes = parked.remove(ticket);
        if (bytes == null) {
            throw new IllegalStateException("no parked bytes for ticket " + ticket);
        }
        V8ValueTypedArray array = v8.createV8ValueTypedArray(V8ValueReferenceType.Uint8Array, bytes.length);
        if (bytes.length > 0) {
            array.fromBytes(bytes);
        }
        return array;
    }

    /**
     * The bytes of a {@code Uint8Array} (or another typed array, or an ArrayBuffer view) argument.
     *
     * @throws KilnException {@link ErrorCode#INVALID_ARGUMENT} for anything else
     */
    static byte[] bytes(V8Value value, String what) throws JavetException {
        if (value instanceof V8ValueTypedArray typed) {
            return typed.toBytes();
        }
        if (value instanceof com.caoccao.javet.values.reference.V8ValueArrayBuffer buffer) {
            return buffer.toBytes();
        }
        throw new KilnException(ErrorCode.INVALID_ARGUMENT, what + " must be a Uint8Array, got " + value);
    }
}
