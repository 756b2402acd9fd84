package dev.kiln.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebView;
import javafx.stage.Stage;
import netscape.javascript.JSObject;

/**
 * The baseline: a hand-written JavaFX WebView bridge, the best a developer could do by hand.
 *
 * <p>Page to host: one injected Java object ({@link BaselineBridge}), injected from the page's
 * first script through the alert-marker recipe and strongly referenced here. Host to page:
 * {@code executeScript} once per message ({@code naive}), or a queue drained by one
 * {@code runLater} into one {@code JSObject.call} with the batch as JSON text ({@code batched}).
 *
 * <p>Threading: {@link #send} from any thread; handlers run on one app thread, in order.
 */
final class BaselineHost implements BenchHost {
    static final String INJECT_MARKER = "kiln-bench-baseline-inject";

    private final ExecutorService app = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "baseline-app");
        t.setDaemon(true);
        return t;
    });
    private final BaselineBridge bridge = new BaselineBridge(app); // strong reference: setMember holds it weakly
    private final ConcurrentLinkedQueue<String> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean naive;
    // FX thread only
    private Stage stage;
    private WebEngine engine;
    private JSObject window;

    @Override
    public void open(Path webRoot) throws Exception {
        FxToolkit.start();
        CompletableFuture<Void> shown = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                WebView view = new WebView();
                engine = view.getEngine();
                engine.setOnAlert(e -> {
                    if (INJECT_MARKER.equals(e.getData())) {
                        window = (JSObject) engine.executeScript("window");
                        window.setMember("__blJava", bridge);
                    }
                });
                stage = new Stage();
                stage.setTitle("Baseline bench");
                stage.setScene(new Scene(view, 800, 600));
                stage.show();
                engine.load(webRoot.resolve("baseline.html").toUri().toString());
                shown.complete(null);
            } catch (RuntimeException e) {
                shown.completeExceptionally(e);
            }
        });
        shown.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void send(String channel, String payloadJson) {
        if (naive) {
            String script = "__blRecvOne(" + quote(channel) + "," + payloadJson + ")";
            Platform.runLater(() -> engine.executeScript(script));
            return;
        }
        outbox.add("{\"c\":" + quote(channel) + ",\"p\":" + payloadJson + "}");
        if (drainScheduled.compareAndSet(false, true)) {
            Platform.runLater(this::drain);
        }
    }

    /** FX thread: everything queued so far goes to the page in one call. */
    private void drain() {
        drainScheduled.set(false);
        StringBuilder batch = new StringBuilder().append('[');
        String m;
        boolean first = true;
        while ((m = outbox.poll()) != null) {
            if (!first) {
                batch.append(',');
            }
            batch.append(m);
            first = false;
        }
        if (!first) {
            window.call("__blRecvBatch", batch.append(']').toString());
        }
    }

    @Override
    public void on(String channel, Consumer<JsonNode> handler) {
        bridge.on(channel, handler);
    }

    @Override
    public void variant(String name) {
        boolean toNaive = name.equals("naive");
        CompletableFuture<Object> set = new CompletableFuture<>();
        Platform.runLater(() -> set.complete(engine.executeScript("window.__blMode = '" + name + "'")));
        set.join();
        naive = toNaive;
    }

    @Override
    public void close() {
        Platform.runLater(() -> {
            if (stage != null) {
                stage.close();
            }
        });
        app.shutdown();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
