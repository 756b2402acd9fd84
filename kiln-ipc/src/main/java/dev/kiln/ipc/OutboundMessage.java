package dev.kiln.ipc;

/**
 * A message on its way to a renderer.
 *
 * @param channel     the channel the page listens on with {@code window.runtime.on}
 * @param payloadJson the payload as JSON text; {@code "null"} when there is none
 */
public record OutboundMessage(String channel, String payloadJson) {
}
