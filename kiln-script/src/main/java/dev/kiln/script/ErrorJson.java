package dev.kiln.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.IpcError;
import dev.kiln.ipc.KilnException;
import java.util.concurrent.CompletionException;

/**
 * A call's or stream's error as the bootstrap passes it: JSON text of {@code {code, message, data}},
 * the form the page and the engine use on the wire. Stateless.
 */
final class ErrorJson {
    private ErrorJson() {
    }

    /** What the script's handler or producer threw, for the engine. */
    static IpcError read(String json) {
        JsonNode e = Json.read(json);
        JsonNode code = e.get("code");
        Object value = code.isTextual() ? code.textValue() : code.numberValue();
        return new IpcError(value, e.path("message").asText(), e.get("data"));
    }

    /**
     * A call or stream read the engine had accepted and that failed because its window closed or the
     * runtime shut down says what it lost, ending with one of ScriptProtocol's suffixes, so that an app
     * ending normally does not count it as a failure (RejectionTracker). Other failures pass as they are.
     */
    static Throwable cutShort(Throwable failure, String whatWasLost) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof KilnException k && (k.code() == ErrorCode.WINDOW_NOT_FOUND
                || k.getMessage().equals(ScriptProtocol.SHUT_DOWN_MESSAGE))) {
            String message = k.getMessage().substring(k.getMessage().indexOf(']') + 2);
            return new KilnException(k.code(), message + ": " + whatWasLost, k);
        }
        return failure;
    }

    /** Why a call or stream failed, for the script: Kiln's code, or the other side's own code and data. */
    static String write(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        ObjectNode o = Json.MAPPER.createObjectNode();
        if (e instanceof KilnException k) {
            o.put("code", k.code().code());
        } else if (e instanceof IpcError i) {
            o.set("code", Json.MAPPER.valueToTree(i.code()));
        } else {
            o.put("code", ErrorCode.CHANNEL_SEND.code());
        }
        o.put("message", String.valueOf(e.getMessage()));
        if (e instanceof IpcError i && i.data() != null) {
            o.set("data", i.data());
        }
        return o.toString();
    }
}
