package dev.kiln.ipc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * An event received from a renderer, or a window system event: an immutable value.
 *
 * <p>A page's payload arrives as JSON text, already checked to be valid JSON. It is kept as that
 * text ({@link #payloadJson()}) and turned into a tree only when someone asks for
 * {@link #payload()}, once, on the asking thread: a host that passes payloads on as text (the script
 * host hands them to V8) never pays for the tree, and a large payload is never parsed on the
 * engine's dispatch thread or a UI thread. Thread-safe.
 */
public final class IpcEvent {
    private final String windowId;
    private final String channel;
    private final EventType type;
    private final String payloadJson; // null when built from a tree
    private volatile JsonNode payload; // null until first asked for, when built from text

    /**
     * An event built from a payload tree.
     *
     * @param windowId the window it came from; always stamped by the host, never taken from the page
     * @param channel  its channel; for a system event, the event type's wire name
     * @param payload  its payload; {@code null} for none ({@link NullNode})
     * @param type     the system event type, or {@code null} for a message sent by a page
     */
    public IpcEvent(String windowId, String channel, JsonNode payload, EventType type) {
        this(windowId, channel, type, null, payload == null ? NullNode.getInstance() : payload);
    }

    private IpcEvent(String windowId, String channel, EventType type, String payloadJson, JsonNode payload) {
        this.windowId = Objects.requireNonNull(windowId, "windowId");
        this.channel = Objects.requireNonNull(channel, "channel");
        if (type != null && !type.wireName().equals(channel)) {
            throw new IllegalArgumentException("A system event's channel must be its type: " + type.wireName());
        }
        this.type = type;
        this.payloadJson = payloadJson;
        this.payload = payload;
    }

    /** A message sent by a page. */
    public static IpcEvent message(String windowId, String channel, JsonNode payload) {
        return new IpcEvent(windowId, channel, payload, null);
    }

    /** A message sent by a page, as the valid JSON text it sent. */
    static IpcEvent message(String windowId, String channel, String payloadJson) {
        return new IpcEvent(windowId, channel, null, Objects.requireNonNull(payloadJson, "payloadJson"), null);
    }

    /** A window system event. */
    public static IpcEvent system(String windowId, EventType type, JsonNode payload) {
        return new IpcEvent(windowId, type.wireName(), payload, type);
    }

    /** The window it came from; always stamped by the host, never taken from the page. */
    public String windowId() {
        return windowId;
    }

    /** Its channel; for a system event, the event type's wire name. */
    public String channel() {
        return channel;
    }

    /** The system event type, or {@code null} for a message sent by a page. */
    public EventType type() {
        return type;
    }

    /** The payload as a JSON tree; {@link NullNode} when there was none. Do not modify it. */
    public JsonNode payload() {
        JsonNode tree = payload;
        if (tree == null) {
            // Parsed once, under the lock: a large binary's bytes are taken from UploadedBinaries by the
            // parse, once, so two subscribers asking at the same time must not both parse.
            synchronized (this) {
                tree = payload;
                if (tree == null) {
                    try {
                        tree = PayloadCodec.readTree(payloadJson);
                    } catch (JsonProcessingException e) {
                        // The decoder checked the text; this would be a Kiln bug, not bad input.
                        throw new IllegalStateException("A checked payload failed to parse: " + e.getOriginalMessage(), e);
                    }
                    payload = tree;
                }
            }
        }
        return tree;
    }

    /** The payload as JSON text: the text the page sent, or the tree encoded. */
    public String payloadJson() {
        return payloadJson != null ? payloadJson : payload.toString();
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
        return PayloadCodec.convert(payload(), type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpcEvent e && windowId.equals(e.windowId) && channel.equals(e.channel)
                && type == e.type && payload().equals(e.payload());
    }

    @Override
    public int hashCode() {
        return Objects.hash(windowId, channel, payload(), type);
    }

    @Override
    public String toString() {
        return "IpcEvent[windowId=" + windowId + ", channel=" + channel + ", payload=" + payloadJson()
                + (type == null ? "" : ", type=" + type.wireName()) + "]";
    }
}
