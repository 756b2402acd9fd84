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
    private final JsonArrayText json = new JsonArrayText(1024);

    void event(int subscriptionId, IpcEvent event) {
        Json.appendEvent(json.next().append(subscriptionId).append(','), event);
    }

    void channel(int subscriptionId, String windowId, String payloadJson) {
        StringBuilder element = json.next().append(subscriptionId).append(",[");
        Json.quote(element, windowId);
        element.append(',').append(payloadJson).append(']');
    }

    int size() {
        return json.size();
    }

    /** The array's text; empties this. */
    String drain() {
        return json.drain();
    }
}
