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
 */
public record IpcEvent(String windowId, String channel, JsonNode payload, EventType type) {

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
