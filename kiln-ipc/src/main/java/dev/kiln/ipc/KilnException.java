package dev.kiln.ipc;

/**
 * An error a user of Kiln can cause, carrying its {@link ErrorCode}.
 *
 * <p>The message always starts with the numeric code, for example
 * {@code [7002] Window not found: main-window}.
 */
public class KilnException extends RuntimeException {
    private final ErrorCode code;

    public KilnException(ErrorCode code, String message) {
        super("[" + code.code() + "] " + message);
        this.code = code;
    }

    public KilnException(ErrorCode code, String message, Throwable cause) {
        super("[" + code.code() + "] " + message, cause);
        this.code = code;
    }

    /** The error code. */
    public ErrorCode code() {
        return code;
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
