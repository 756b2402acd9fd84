package dev.kiln.ipc;

/**
 * An error a user of Kiln can cause, carrying its {@link ErrorCode}.
 *
 * <p>The message always starts with the numeric code, for example
 * {@code [7002] Window not found: main-window}.
 */
public class KilnException extends IpcError {

    public KilnException(ErrorCode code, String message) {
        this(code, message, (Throwable) null);
    }

    public KilnException(ErrorCode code, String message, Throwable cause) {
        super(code, "[" + code.code() + "] " + message, null, cause);
    }

    /** A Kiln error that came back from the other side of a call, with the data it carried. */
    KilnException(ErrorCode code, String message, com.fasterxml.jackson.databind.JsonNode data) {
        super(code, "[" + code.code() + "] " + message, data, null);
    }

    /** The error code. */
    @Override
    public ErrorCode code() {
        return (ErrorCode) super.code();
    }

    /** The message without its {@code [code] } prefix. */
    String detail() {
        return getMessage().substring(getMessage().indexOf(']') + 2);
    }

    /** The one "window not found" error: {@code [7002] Window not found: <id>}. */
    public static KilnException windowNotFound(String windowId) {
        return new KilnException(ErrorCode.WINDOW_NOT_FOUND, "Window not found: " + windowId);
    }

    /** The same with why, such as {@code it was closed}: {@code [7002] Window not found: <id> (<why>)}. */
    public static KilnException windowNotFound(String windowId, String why) {
        return new KilnException(ErrorCode.WINDOW_NOT_FOUND, "Window not found: " + windowId + " (" + why + ")");
    }

    /** The runtime has shut down (7000): nothing more can be sent, opened or attached. */
    public static KilnException shutDown() {
        return new KilnException(ErrorCode.CHANNEL_SEND, "The runtime has shut down");
    }
}
