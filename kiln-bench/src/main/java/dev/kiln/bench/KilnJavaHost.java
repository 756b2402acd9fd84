package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.IpcInspector;
import dev.kiln.ipc.JsonText;
import dev.kiln.window.AppWindow;
import dev.kiln.window.Desktop;
import dev.kiln.window.DesktopConfig;
import dev.kiln.window.WindowOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Kiln Java host: the bench page in a kiln-window {@link Desktop}, driven through the public
 * API only ({@code sendToWindow} and {@code onChannel}; {@code handle} and {@code invokeWindow} for
 * calls), as an app would. Inspected, it also runs the live {@link IpcInspector} with one reader of
 * its event stream, as {@code kiln run --inspect-ipc} with its page open does.
 *
 * <p>Threading: {@link #send} from any thread; handlers run on the engine's callback executor.
 * A failed send is kept and rethrown by the next {@link #send}, so the bench fails loudly.
 */
final class KilnJavaHost implements BenchHost {
    static final String WINDOW_ID = "bench";

    private final List<Map.Entry<String, Consumer<JsonNode>>> handlers = new ArrayList<>();
    private final List<Map.Entry<String, Function<JsonNode, String>>> callHandlers = new ArrayList<>();
    private final List<Map.Entry<String, Function<JsonNode, Flow.Publisher<?>>>> producers = new ArrayList<>();
    private volatile Throwable sendFailure;
    private final boolean inspected;
    private Desktop desktop;
    private AppWindow window;
    private IpcInspector inspector;

    KilnJavaHost(boolean inspected) {
        this.inspected = inspected;
    }

    @Override
    public void open(Path webRoot) throws Exception {
        desktop = Desktop.start(DesktopConfig.of(webRoot).withExitOnLastWindowClosed(false));
        if (inspected) {
            inspector = IpcInspector.start(desktop.ipc());
            readEvents(inspector.url() + "events");
        }
        for (Map.Entry<String, Consumer<JsonNode>> h : handlers) {
            desktop.ipc().onChannel(h.getKey(), (payload, windowId) -> h.getValue().accept(payload));
        }
        for (Map.Entry<String, Function<JsonNode, String>> h : callHandlers) {
            desktop.ipc().handle(h.getKey(), (payload, context) ->
                    CompletableFuture.completedFuture(new JsonText(h.getValue().apply(payload))));
        }
        for (Map.Entry<String, Function<JsonNode, Flow.Publisher<?>>> p : producers) {
            desktop.ipc().handleStream(p.getKey(), (payload, context) -> p.getValue().apply(payload));
        }
        window = desktop.createWindow(WindowOptions.builder().id(WINDOW_ID).url("app://bench.html")
                .title("Kiln bench").size(800, 600).build()).get(60, TimeUnit.SECONDS);
    }

    @Override
    public void send(String channel, String payloadJson) {
        sendValue(channel, new JsonText(payloadJson));
    }

    @Override
    public boolean hasBinary() {
        return true;
    }

    @Override
    public void sendValue(String channel, Object payload) {
        Throwable failed = sendFailure;
        if (failed != null) {
            throw new IllegalStateException("A Kiln send failed: " + failed, failed);
        }
        desktop.ipc().sendToWindow(WINDOW_ID, channel, payload).whenComplete((ok, e) -> {
            if (e != null && sendFailure == null) {
                sendFailure = e;
            }
        });
    }

    @Override
    public void handleStream(String channel, Function<JsonNode, Flow.Publisher<?>> producer) {
        if (desktop != null) {
            throw new IllegalStateException("Register producers before open()");
        }
        producers.add(Map.entry(channel, producer));
    }

    @Override
    public void on(String channel, Consumer<JsonNode> handler) {
        if (desktop != null) {
            throw new IllegalStateException("Register handlers before open()");
        }
        handlers.add(Map.entry(channel, handler));
    }

    @Override
    public boolean hasCalls() {
        return true;
    }

    @Override
    public void handle(String channel, Function<JsonNode, String> handler) {
        if (desktop != null) {
            throw new IllegalStateException("Register handlers before open()");
        }
        callHandlers.add(Map.entry(channel, handler));
    }

    /** No timeout: the bench's own step timeout catches a call that never ends. */
    @Override
    public CompletableFuture<JsonNode> invoke(String channel, String payloadJson) {
        return desktop.ipc().invokeWindow(WINDOW_ID, channel, new JsonText(payloadJson), null);
    }

    /** A reader of the inspector's server-sent events that keeps up as a browser would: reads and drops each line. */
    private static void readEvents(String url) {
        HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("The inspector answered " + response.statusCode());
                    }
                    response.body().forEach(line -> { });
                });
    }

    @Override
    public void close() {
        if (inspector != null) {
            inspector.close();
        }
        if (desktop != null) {
            desktop.close();
        }
    }
}
