package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * An event received from a renderer, or a window system event.
 *
 * @param windowId the window it came from; always stamped by the host, never taken from the page
 * @param channel  its channel; for a system event, the event type's wire name
 * @param payload  its payload as a JSON tree; {@link NullNode} when there was none
 * @param type     the system event type, or {@code null} for a message sent by a page
 * @param payloadJson the payload as the JSON text the page sent, kept so that hosts which need text
 *                 (such as the script host) skip encoding the tree again; {@code null} when the event
 *                 was built from a tree. Read it through {@link #payloadJson()}, which is never null.
 *                 It is not part of {@link #equals}.
 */
public record IpcEvent(String windowId, String channel, JsonNode payload, EventType type, String payloadJson) {

    /** An event built from a payload tree. */
    public IpcEvent(String windowId, String channel, JsonNode payload, EventType type) {
        this(windowId, channel, payload, type, null);
    }

    public IpcEvent {
        Objects.requireNonNull(windowId, "windowId");
        Objects.requireNonNull(channel, "channel");
        payload = payload == null ? NullNode.getInstance() : payload;
        if (type != null && !type.wireName().equals(channel)) {
            throw new IllegalArgumentException("A system event's channel must be its type: " + type.wireName());
        }
    }

    /** A message sent by a page. */
    public static IpcEvent message(String windowId, String channel, JsonNode payload) {
        return new IpcEvent(windowId, channel, payload, null);
    }

    /** A message sent by a page, with the payload's original JSON text. */
    static IpcEvent message(String windowId, String channel, JsonNode payload, String payloadJson) {
        return new IpcEvent(windowId, channel, payload, null, payloadJson);
    }

    /** The payload as JSON text: the text the page sent, or the tree encoded. */
    @Override
    public String payloadJson() {
        return payloadJson != null ? payloadJson : payload.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpcEvent e && windowId.equals(e.windowId) && channel.equals(e.channel)
                && payload.equals(e.payload) && type == e.type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowId, channel, payload, type);
    }

    /** A window system event. */
    public static IpcEvent system(String windowId, EventType type, JsonNode payload) {
        return new IpcEvent(windowId, type.wireName(), payload, type);
    }

    /** Whether this is a window system event (close, focus, blur, resize, move). */
    public boolean isSystemEvent() {
        return type != null;
    }

    /**
     * The payload converted to the given type, such as a record.
     *
     * @throws KilnException with {@link ErrorCode#SERIALIZATION} if the payload does not fit the type
     */
    public <T> T payloadAs(Class<T> type) {
        return PayloadCodec.convert(payload, type);
    }
}
