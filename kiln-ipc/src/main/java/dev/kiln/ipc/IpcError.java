package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An error that crosses IPC whole: a call's handler throws one to reject its caller with the same
 * {@code code}, message and {@code data}, and a failed call is one.
 *
 * <p>An app's own code is a string or a whole number, chosen by the app. Kiln's own errors are
 * {@link KilnException}s, whose {@link KilnException#code() code} is an {@link ErrorCode}. Stacks
 * do not cross: the caller sees the message, not where it was thrown.
 */
public class IpcError extends RuntimeException {
    private final Object code;
    private final transient JsonNode data;

    /**
     * An app error.
     *
     * @param code    a string or a number (whole numbers are usual)
     * @param data    anything Jackson can serialize, or {@code null} for none; it arrives as a tree
     */
    public IpcError(Object code, String message, Object data) {
        this(checkCode(code), message, data == null ? null : PayloadCodec.MAPPER.valueToTree(data), null);
    }

    public IpcError(Object code, String message) {
        this(code, message, null);
    }

    IpcError(Object code, String message, JsonNode data, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.data = data;
    }

    /** The code: a {@link String} or {@link Number} for app errors, an {@link ErrorCode} for Kiln's. */
    public Object code() {
        return code;
    }

    /** The data the thrower attached, or {@code null} for none. */
    public JsonNode data() {
        return data;
    }

    private static Object checkCode(Object code) {
        if (code instanceof String || code instanceof Number) {
            return code;
        }
        throw new IllegalArgumentException("An IpcError code must be a String or a Number, got "
                + (code == null ? "null" : code.getClass().getName()));
    }
}
