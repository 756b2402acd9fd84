package dev.kiln.script;

import dev.kiln.ipc.IpcEvent;

/**
 * The events the engine handed to the script's callbacks since the bootstrap was last called, kept
 * to cross into V8 in one call: JSON text of a flat array of pairs, a subscription id followed by
 * the spec's event object ({@code onEvent}) or {@code [windowId, payload]} ({@code onChannel}).
 *
 * <p>Threading: loop thread only.
 */
final class InboundEvents {
    private static final int KEEP_CAPACITY = 1 << 16;

    private StringBuilder json = new StringBuilder(1024);
    private int count;

    void event(int subscriptionId, IpcEvent event) {
        json.append(',').append(subscriptionId).append(',');
        Json.appendEvent(json, event);
        count++;
    }

    void channel(int subscriptionId, String windowId, String payloadJson) {
        json.append(',').append(subscriptionId).append(",[");
        Json.quote(json, windowId);
        json.append(',').append(payloadJson).append(']');
        count++;
    }

    int size() {
        return count;
    }

    /** The array's text; empties this. */
    String drain() {
        json.setCharAt(0, '[');
        String text = json.append(']').toString();
        // A batch of large payloads should not pin its buffer for the rest of the app's life.
        json = json.capacity() > KEEP_CAPACITY ? new StringBuilder(1024) : json.delete(0, json.length());
        count = 0;
        return text;
    }
}
