package dev.kiln.ipc;

import com.fasterxml.jackson.databind.JsonNode;

/** A handler for one channel: receives the payload and the id of the window that sent it. */
@FunctionalInterface
public interface ChannelCallback {
    void onMessage(JsonNode payload, String windowId);
}
