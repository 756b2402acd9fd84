package dev.kiln.ipc;

/**
 * One observed IPC event (see {@link IpcObserver}): an immutable value.
 *
 * @param nanoTime    when it happened, {@link System#nanoTime()}: for ordering and durations
 * @param epochMillis when it happened, wall clock
 * @param stage       what happened
 * @param direction   which way the traffic goes; {@code null} for a drop not tied to a window
 * @param windowId    the window; {@code null} for a drop not tied to a window
 * @param kind        the wire kind (message, invoke, result, stream item...); {@code null} for a
 *                    system event, a drop, or input refused before its kind was known
 * @param channel     the channel, or the system event's name; {@code null} when unknown (malformed input)
 * @param size        the payload's length in characters of JSON text; 0 for none
 * @param preview     the start of the payload's JSON text, at most {@value #PREVIEW_CHARS} characters
 *                    (then ending with an ellipsis); {@code null} for none
 * @param callId      the call or stream id of a call step; else {@code null}
 * @param code        why it was refused, dropped or a call failed: a Kiln code such as {@code "7004"} or
 *                    an app's own error code; {@code null} for success
 * @param reason      the human-readable reason that goes with {@code code}; else {@code null}
 * @param durationNanos for {@link Stage#CALL_END}, how long the call took; else 0
 */
public record IpcTrace(long nanoTime, long epochMillis, Stage stage, Direction direction, String windowId,
                       MessageKind kind, String channel, long size, String preview, String callId, String code,
                       String reason, long durationNanos) {

    /** The longest payload preview kept. */
    public static final int PREVIEW_CHARS = 200;

    /** Which way the traffic goes. */
    public enum Direction {
        /** From the host (Java or main.ts) to a window's page. */
        TO_WINDOW,
        /** From a window's page (or the window system) to the host. */
        FROM_WINDOW
    }

    /** What happened to a message. */
    public enum Stage {
        /** The host queued a message or call step for a window. */
        SENT,
        /** The window's renderer took a message the host sent. */
        DELIVERED,
        /** The host accepted a message or call step from a page. */
        RECEIVED,
        /** A message was refused (denied channel, malformed, too large, window gone): see code and reason. */
        REFUSED,
        /** An accepted event was lost (backlog or lagging reader overflow): see reason. */
        DROPPED,
        /** A window system event (close, focus, resize...). */
        SYSTEM,
        /** A call began (either direction); ends with {@link #CALL_END} with the same call id. */
        CALL_START,
        /** A call settled: {@code code} is {@code null} when it succeeded; {@code durationNanos} says how long it took. */
        CALL_END
    }

    /** Whether this settles a call with success, or is not a failure of any kind. */
    public boolean ok() {
        return code == null;
    }

    static String preview(String payloadJson) {
        if (payloadJson == null) {
            return null;
        }
        return payloadJson.length() <= PREVIEW_CHARS ? payloadJson : payloadJson.substring(0, PREVIEW_CHARS - 1) + "\u2026";
    }
}
