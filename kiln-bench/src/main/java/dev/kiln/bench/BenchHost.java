package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The app side of one bench window: opens it, sends to its page and handles what the page sends.
 *
 * <p>Threading: {@link #send} may be called from any thread and does not block; handlers run off
 * the UI thread, one at a time per channel.
 */
interface BenchHost extends AutoCloseable {
    /** Opens the bench window on the page of the given web folder; returns once it is shown. */
    void open(Path webRoot) throws Exception;

    /** Sends a message with a payload given as JSON text. */
    void send(String channel, String payloadJson);

    /** Handles every message on a channel from now on. Register before the page can send on it. */
    void on(String channel, Consumer<JsonNode> handler);

    /** Whether this host has calls (invoke/handle); the baseline's hand-written bridge has none. */
    default boolean hasCalls() {
        return false;
    }

    /**
     * Answers the page's {@code window.runtime.invoke} on a channel with the JSON text the function
     * gives for the payload. Register before {@link #open}. Only for hosts that {@link #hasCalls()}.
     */
    default void handle(String channel, Function<JsonNode, String> handler) {
        throw new UnsupportedOperationException("This host has no calls");
    }

    /**
     * Calls the page's {@code window.runtime.handle} handler of a channel with a payload given as
     * JSON text; the result completes off the UI thread. Only for hosts that {@link #hasCalls()}.
     */
    default CompletableFuture<JsonNode> invoke(String channel, String payloadJson) {
        throw new UnsupportedOperationException("This host has no calls");
    }

    /** Whether this host moves binary payloads and streams; the baseline's hand-written bridge does neither. */
    default boolean hasBinary() {
        return false;
    }

    /**
     * Sends a message whose payload is an object tree that may hold {@code byte[]} values (a
     * Uint8Array in the page). Only for hosts that {@link #hasBinary()}.
     */
    default void sendValue(String channel, Object payload) {
        throw new UnsupportedOperationException("This host has no binary payloads");
    }

    /**
     * Fills the streams the page opens on a channel ({@code window.runtime.stream}) with the values of
     * the publisher made for each request's payload. Register before {@link #open}. Only for hosts
     * that {@link #hasBinary()}.
     */
    default void handleStream(String channel, Function<JsonNode, Flow.Publisher<?>> producer) {
        throw new UnsupportedOperationException("This host has no streams");
    }

    /** Switches to a named variant ({@code batched}, {@code naive}); hosts with one form ignore it. */
    default void variant(String name) {
    }

    @Override
    void close();
}
