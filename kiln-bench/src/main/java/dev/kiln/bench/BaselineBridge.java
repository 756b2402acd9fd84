package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The Java object the baseline page calls: the page-to-host half of the hand-written bridge.
 *
 * <p>Public only because WebKit's JavaScript-to-Java calls need a public class. Threading: the page
 * calls it on the FX thread; it parses nothing there and hands each call to the app thread.
 */
public final class BaselineBridge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService app;
    private final Map<String, Consumer<JsonNode>> handlers = new ConcurrentHashMap<>();

    BaselineBridge(ExecutorService app) {
        this.app = app;
    }

    void on(String channel, Consumer<JsonNode> handler) {
        handlers.put(channel, handler);
    }

    /** One message (naive form). */
    public void send(String channel, String json) {
        app.execute(() -> dispatch(channel, parse(json)));
    }

    /** A batch {@code [{"c":..,"p":..}, ...]} (batched form). */
    public void sendBatch(String json) {
        app.execute(() -> {
            for (JsonNode m : parse(json)) {
                dispatch(m.get("c").asText(), m.get("p"));
            }
        });
    }

    private void dispatch(String channel, JsonNode payload) {
        Consumer<JsonNode> h = handlers.get(channel);
        if (h != null) {
            h.accept(payload);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
