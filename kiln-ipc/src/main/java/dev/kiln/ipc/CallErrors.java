package dev.kiln.ipc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A call's failure on the wire: the payload of a {@link MessageKind#ERROR} step,
 * {@code {"code": ..., "message": ..., "data": ...}}, both ways.
 *
 * <p>Threading: stateless.
 */
final class CallErrors {
    private CallErrors() {
    }

    /** The wire payload for what a call's handler failed with. */
    static String encode(Throwable failure, String channel) {
        return encode(failure, channel, "handler");
    }

    /**
     * The wire payload for what a handler or a stream producer ({@code role}) failed with; binary
     * values in its data cross as binary.
     */
    static String encode(Throwable failure, String channel, String role) {
        Throwable error = unwrap(failure);
        ObjectNode o = PayloadCodec.MAPPER.createObjectNode();
        if (error instanceof KilnException k) {
            o.put("code", k.code().code());
            o.put("message", k.getMessage());
            if (k.data() != null) {
                o.set("data", k.data());
            }
        } else if (error instanceof IpcError e) {
            o.set("code", PayloadCodec.MAPPER.valueToTree(e.code()));
            o.put("message", String.valueOf(e.getMessage()));
            if (e.data() != null) {
                o.set("data", e.data());
            }
        } else {
            KilnException failed = handlerFailed(channel, error, role);
            o.put("code", failed.code().code());
            o.put("message", failed.getMessage());
        }
        try {
            return PayloadCodec.encode(o, Long.MAX_VALUE);
        } catch (KilnException unsendable) {
            return "{\"code\":" + ErrorCode.SERIALIZATION.code() + ",\"message\":" + PayloadCodec.MAPPER.valueToTree(
                    "[7003] The error of the " + role + " for channel '" + channel + "' cannot be sent").toString() + "}";
        }
    }

    /**
     * Logs a handler's or producer's error that carries no code (a bug, not an answer) with its
     * stack, which does not cross to the caller; rate-limited.
     */
    static void reportBug(Throwable failure, String channel, String role, String windowId, WarningLimiter warnings) {
        Throwable error = unwrap(failure);
        if (!(error instanceof IpcError)) {
            warnings.warn(ErrorCode.HANDLER_FAILED.code() + " " + role + " failed", "[" + ErrorCode.HANDLER_FAILED.code()
                    + "] The " + role + " for channel '" + channel + "' failed on a request from window " + windowId, error);
        }
    }

    /** {@link ErrorCode#HANDLER_FAILED} for an error that carries no code of its own. */
    static KilnException handlerFailed(String channel, Throwable error, String role) {
        String message = error.getMessage();
        return new KilnException(ErrorCode.HANDLER_FAILED, "The " + role + " for channel '" + channel + "' failed: "
                + (message == null ? error.getClass().getName() : message));
    }

    /**
     * The error a caller sees for the wire payload: a {@link KilnException} for Kiln's codes, an
     * {@link IpcError} with the thrower's code, message and data otherwise.
     */
    static IpcError decode(String payloadJson, String channel) {
        JsonNode error;
        try {
            error = payloadJson == null ? null : PayloadCodec.readTree(payloadJson);
        } catch (JsonProcessingException e) {
            error = null;
        }
        JsonNode code = error == null ? null : error.get("code");
        if (code == null || !(code.isTextual() || code.isNumber())) {
            return new KilnException(ErrorCode.HANDLER_FAILED,
                    "The handler for channel '" + channel + "' failed with a malformed error");
        }
        JsonNode messageNode = error.get("message");
        String message = messageNode == null || messageNode.isNull() ? "" : messageNode.asText();
        JsonNode data = error.get("data");
        ErrorCode kiln = code.canConvertToInt() && code.isIntegralNumber() ? ErrorCode.of(code.intValue()) : null;
        if (kiln != null) {
            String prefix = "[" + kiln.code() + "] ";
            return new KilnException(kiln, message.startsWith(prefix) ? message.substring(prefix.length()) : message, data);
        }
        Object value = code.isTextual() ? code.textValue()
                : code.canConvertToInt() && code.isIntegralNumber() ? (Object) code.intValue()
                : code.canConvertToLong() && code.isIntegralNumber() ? (Object) code.longValue() : code.numberValue();
        return new IpcError(value, message, data, null);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
