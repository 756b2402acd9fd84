package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.function.Consumer;

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

    /** Switches to a named variant ({@code batched}, {@code naive}); hosts with one form ignore it. */
    default void variant(String name) {
    }

    @Override
    void close();
}
