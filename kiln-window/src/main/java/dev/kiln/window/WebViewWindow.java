package dev.kiln.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.OutboundMessage;
import dev.kiln.ipc.RendererLink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.concurrent.Worker;
import javafx.scene.Scene;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebEvent;
import javafx.scene.web.WebView;
import javafx.stage.Stage;
import netscape.javascript.JSException;
import netscape.javascript.JSObject;

/**
 * A native window: a JavaFX {@link Stage} with a {@link WebView}, attached to the engine as a renderer.
 *
 * <p>Bridge: the app's HTML carries the bridge script as its first script (see {@link AssetServer});
 * it calls {@code alert(marker)}, and {@link #onAlert} grants that document a fresh
 * {@link PageBridge} if its location is under the app's origin. The page is ready for deliveries
 * once it said so (DOMContentLoaded) and no navigation is under way; a reload or navigation makes
 * the engine queue again ({@link RendererLink#loading()}) until the next document is ready.
 *
 * <p>Host to page: {@link #deliver} (engine dispatch thread) turns a batch into JSON text and
 * queues it; one {@code runLater} drains everything queued into one {@code port.deliver(text)}
 * call, where the page parses it with {@code JSON.parse}. Batches that arrive while the page is not
 * ready wait in that queue. Page to host: one upcall per burst hands the JSON text to
 * {@link RendererLink#receive}, which decodes it on the dispatch thread.
 *
 * <p>System events: focus and blur from the Stage's focus, resize and move coalesced to one event
 * per FX pulse (a {@code setSize} changes width and height in one task: one event), close on the
 * user's close request or {@link #close()}.
 *
 * <p>Threading: public methods may be called from any thread and never block; they update the
 * cached state at once and apply the change on the FX thread in call order. Fields below are
 * grouped by the threads that touch them.
 */
final class WebViewWindow implements AppWindow {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String MESSAGE_START = "{" + BridgeProtocol.quote(RendererLink.CHANNEL_KEY) + ":";
    private static final String MESSAGE_PAYLOAD = "," + BridgeProtocol.quote(RendererLink.PAYLOAD_KEY) + ":";

    private final String id;
    private final Desktop desktop;
    private final WindowOptions options;
    private final RendererLink link;
    private final String documentToken;

    // any thread
    private final ConcurrentLinkedQueue<String> deliveries = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile String title;
    private volatile int width;
    private volatile int height;
    private volatile int x;
    private volatile int y;
    private volatile boolean visible;
    private volatile boolean focused;
    private volatile boolean closed;
    private volatile CompletableFuture<Void> pageReady = new CompletableFuture<>();
    private volatile long upcalls; // written on the FX thread only
    private volatile long pageCalls; // written on the FX thread only

    // FX thread only
    private Stage stage;
    private WebView view;
    private WebEngine engine;
    private PageBridge bridge; // strong reference: WebKit holds it only weakly
    private JSObject port;
    private int grantedDocument;
    private int readyDocument = -1;
    private boolean navigating;
    private boolean deliverable;
    private boolean live;
    private boolean resizePending;
    private boolean movePending;
    private int lastWidth;
    private int lastHeight;
    private int lastX;
    private int lastY;

    /** Creates and attaches the window; call on the FX thread, then {@link #open()}. */
    WebViewWindow(String id, Desktop desktop, WindowOptions options) {
        this.id = id;
        this.desktop = desktop;
        this.options = options;
        this.title = options.title();
        this.width = options.width();
        this.height = options.height();
        this.visible = options.visible();
        this.documentToken = BridgeProtocol.randomToken(9);
        this.link = desktop.ipc().attach(id, this::deliver, options.channels());
    }

    /** Builds the stage, starts loading the page and shows the window. FX thread. */
    void open() {
        stage = new Stage();
        view = new WebView();
        engine = view.getEngine();
        engine.setOnAlert(this::onAlert);
        engine.getLoadWorker().stateProperty().addListener((obs, old, state) -> onLoadState(state));
        stage.setTitle(options.title());
        stage.setScene(new Scene(view));
        stage.setWidth(options.width());
        stage.setHeight(options.height());
        if (options.x() != null) {
            stage.setX(options.x());
        }
        if (options.y() != null) {
            stage.setY(options.y());
        }
        stage.setResizable(options.resizable());
        stage.setAlwaysOnTop(options.alwaysOnTop());
        if (options.minWidth() != null) {
            stage.setMinWidth(options.minWidth());
        }
        if (options.minHeight() != null) {
            stage.setMinHeight(options.minHeight());
        }
        if (options.maxWidth() != null) {
            stage.setMaxWidth(options.maxWidth());
        }
        if (options.maxHeight() != null) {
            stage.setMaxHeight(options.maxHeight());
        }
        stage.setOnCloseRequest(e -> {
            e.consume(); // the window closes through closeOnFx, which emits the close event first
            closeOnFx();
        });
        stage.focusedProperty().addListener((obs, old, now) -> onFocus(now));
        stage.widthProperty().addListener((obs, old, now) -> onResize());
        stage.heightProperty().addListener((obs, old, now) -> onResize());
        stage.xProperty().addListener((obs, old, now) -> onMove());
        stage.yProperty().addListener((obs, old, now) -> onMove());
        stage.showingProperty().addListener((obs, old, now) -> visible = now);
        engine.load(desktop.assets().resolve(options.url()));
        if (options.visible()) {
            stage.show();
        }
        lastWidth = width = round(stage.getWidth());
        lastHeight = height = round(stage.getHeight());
        lastX = x = round(stage.getX());
        lastY = y = round(stage.getY());
        live = true;
    }

    // ---- AppWindow ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public void close() {
        Fx.later(this::closeOnFx);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void setTitle(String title) {
        String t = title == null ? "" : title;
        this.title = t;
        onFx(() -> stage.setTitle(t));
    }

    @Override
    public String getTitle() {
        return title;
    }

    @Override
    public void setSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("Window size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        // JavaFX 21 resizes the X window only when both are set in the same task.
        onFx(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
    }

    @Override
    public Size getSize() {
        return new Size(width, height);
    }

    @Override
    public void setPosition(int x, int y) {
        this.x = x;
        this.y = y;
        onFx(() -> {
            stage.setX(x);
            stage.setY(y);
        });
    }

    @Override
    public Position getPosition() {
        return new Position(x, y);
    }

    @Override
    public void focus() {
        onFx(() -> {
            stage.toFront();
            stage.requestFocus();
        });
    }

    @Override
    public void show() {
        visible = true;
        onFx(stage::show);
    }

    @Override
    public void hide() {
        visible = false;
        onFx(stage::hide);
    }

    @Override
    public boolean isVisible() {
        return visible && !closed;
    }

    @Override
    public boolean isFocused() {
        return focused && !closed;
    }

    @Override
    public EventStream events() {
        return new WindowEventStream(closed ? null : desktop.ipc().windowEventsFor(id));
    }

    @Override
    public String toString() {
        return "AppWindow[" + id + (closed ? ", closed]" : "]");
    }

    // ---- For Automation and Desktop ----

    /** Completes when the current document's bridge is ready; fails if the window closes first. */
    CompletableFuture<Void> whenPageReady() {
        return pageReady.copy();
    }

    /** FX thread only. */
    Stage stage() {
        return stage;
    }

    /** FX thread only. */
    WebView view() {
        return view;
    }

    /** FX thread only. */
    WebEngine engine() {
        return engine;
    }

    /**
     * Sends what the page queued during a script the host ran in it, now rather than at WebKit's
     * next microtask checkpoint (up to a frame later). FX thread.
     */
    void flushPage() {
        if (deliverable && port != null) {
            try {
                port.call("flush");
            } catch (JSException e) {
                LOG.log(System.Logger.Level.DEBUG, "Window " + id + " could not flush: " + e.getMessage());
            }
        }
    }

    /** The current document's host object, or {@code null}; lets tests make raw calls into it. FX thread. */
    PageBridge currentBridge() {
        return bridge;
    }

    /** How many batches the page handed to the host, and the host to the page; for tests and numbers. */
    long[] bridgeCalls() {
        return new long[] {upcalls, pageCalls};
    }

    /** Closes the window now. FX thread. Idempotent. */
    void closeOnFx() {
        if (closed) {
            return;
        }
        closed = true;
        live = false;
        link.systemEvent(EventType.CLOSE, NullNode.getInstance());
        stage.hide();
        engine.setOnAlert(null);
        engine.load("about:blank"); // drops the page, its timers and its listeners now
        bridge = null;
        port = null;
        deliverable = false;
        deliveries.clear();
        link.detach();
        pageReady.completeExceptionally(
                new KilnException(ErrorCode.WINDOW_NOT_FOUND, "Window not found: " + id + " (it was closed)"));
        desktop.windowClosed(this);
    }

    // ---- Host to page ----

    /** Engine dispatch thread: one batch as JSON text, queued for the FX thread. */
    private void deliver(List<OutboundMessage> batch) {
        if (closed) {
            throw new KilnException(ErrorCode.WINDOW_NOT_FOUND, "Window not found: " + id);
        }
        int size = 2;
        for (OutboundMessage m : batch) {
            size += m.channel().length() + m.payloadJson().length() + 16;
        }
        StringBuilder text = new StringBuilder(size).append('[');
        for (int i = 0; i < batch.size(); i++) {
            OutboundMessage m = batch.get(i);
            if (i > 0) {
                text.append(',');
            }
            text.append(MESSAGE_START).append(BridgeProtocol.quote(m.channel()))
                    .append(MESSAGE_PAYLOAD).append(m.payloadJson()).append('}');
        }
        deliveries.add(text.append(']').toString());
        scheduleDrain();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            Fx.later(this::drain);
        }
    }

    /** FX thread: everything queued becomes one call into the page. */
    private void drain() {
        drainScheduled.set(false);
        if (!deliverable || closed) {
            return; // kept until the page is ready
        }
        String text = deliveries.poll();
        if (text == null) {
            return;
        }
        String next = deliveries.poll();
        if (next != null) {
            StringBuilder merged = new StringBuilder(text.length() * 2).append(text, 0, text.length() - 1);
            do {
                merged.append(',').append(next, 1, next.length() - 1);
            } while ((next = deliveries.poll()) != null);
            text = merged.append(']').toString();
        }
        try {
            pageCalls++;
            port.call("deliver", text);
        } catch (JSException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.CHANNEL_SEND.code() + "] Window " + id
                    + " could not take a batch of messages: " + e.getMessage());
        }
    }

    // ---- Page to host (FX thread, called by PageBridge) ----

    void pagePosted(int document, Object batch) {
        if (!accepts(document, "send")) {
            return;
        }
        if (!(batch instanceof String text)) {
            LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.CHANNEL_RECV.code() + "] Refused a malformed call"
                    + " from the page in window " + id + ": post() takes JSON text, got "
                    + (batch == null ? "null" : batch.getClass().getSimpleName()));
            return;
        }
        upcalls++;
        link.receive(text);
    }

    void pageReady(int document) {
        if (accepts(document, "ready")) {
            readyDocument = document;
            updateDeliverable();
        }
    }

    void pageReported(int document, Object text) {
        if (accepts(document, "report")) {
            LOG.log(System.Logger.Level.WARNING, "Window " + id + ": " + text);
        }
    }

    /** Whether an upcall comes from the live, granted document of the app's own origin. */
    private boolean accepts(int document, String what) {
        if (closed) {
            return false;
        }
        String location = engine.getLocation();
        if (document != grantedDocument || !desktop.assets().isAppDocument(location)) {
            LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused " + what
                    + " from a document that does not hold the bridge in window " + id + " (at " + location + ")");
            return false;
        }
        return true;
    }

    // ---- Page lifecycle (FX thread) ----

    private void onAlert(WebEvent<String> event) {
        String text = event.getData();
        if (desktop.protocol().marker().equals(text)) {
            grant();
        } else {
            LOG.log(System.Logger.Level.INFO, "Window " + id + " alert: " + text);
            desktop.alerted(this, text);
        }
    }

    private void grant() {
        if (closed) {
            return;
        }
        String location = engine.getLocation();
        if (!desktop.assets().isAppDocument(location)) {
            LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused the bridge to"
                    + " a document at " + location + " in window " + id + ": only the app's own pages get window.runtime");
            return;
        }
        if (currentDocumentHoldsBridge()) {
            // the document has its bridge already: a second request (a page script replaying the
            // handshake) must not take it over or revoke it
            LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused a second"
                    + " bridge request from the same document in window " + id);
            return;
        }
        JSObject global = (JSObject) engine.executeScript("window");
        Object pagePort = global.getMember(desktop.protocol().portMember());
        if (!(pagePort instanceof JSObject)) {
            // not the main frame's first script (an app page in a frame): the main document keeps its bridge
            LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused the bridge"
                    + " to a frame in window " + id + ": only the top document gets window.runtime");
            return;
        }
        grantedDocument++;
        bridge = new PageBridge(this, grantedDocument);
        port = (JSObject) pagePort;
        global.setMember(desktop.protocol().hostMember(), bridge);
        ((JSObject) engine.executeScript("document")).setMember(desktop.protocol().hostMember(),
                documentToken + grantedDocument);
        navigating = false;
        updateDeliverable();
    }

    private void onLoadState(Worker.State state) {
        if (closed) {
            return;
        }
        switch (state) {
            case SCHEDULED, RUNNING -> navigating = true;
            case SUCCEEDED, FAILED, CANCELLED -> {
                navigating = false;
                if (!currentDocumentHoldsBridge()) {
                    port = null;
                    bridge = null;
                    readyDocument = -1;
                }
                if (state == Worker.State.FAILED) {
                    LOG.log(System.Logger.Level.WARNING, "Window " + id + " could not load " + engine.getLocation()
                            + ": " + engine.getLoadWorker().getException());
                }
            }
            default -> { }
        }
        updateDeliverable();
    }

    /** Whether the document now shown is the one granted last (a same-document navigation keeps it). */
    private boolean currentDocumentHoldsBridge() {
        if (port == null) {
            return false;
        }
        try {
            Object mark = ((JSObject) engine.executeScript("document")).getMember(desktop.protocol().hostMember());
            return (documentToken + grantedDocument).equals(mark);
        } catch (JSException | ClassCastException e) {
            return false;
        }
    }

    private void updateDeliverable() {
        boolean now = !closed && !navigating && port != null && readyDocument == grantedDocument;
        if (now == deliverable) {
            return;
        }
        deliverable = now;
        if (now) {
            link.ready();
            pageReady.complete(null);
            if (!deliveries.isEmpty()) {
                scheduleDrain();
            }
        } else {
            link.loading();
            if (pageReady.isDone()) {
                pageReady = new CompletableFuture<>();
            }
        }
    }

    // ---- System events (FX thread) ----

    private void onFocus(boolean now) {
        focused = now;
        if (live && !closed) {
            link.systemEvent(now ? EventType.FOCUS : EventType.BLUR, NullNode.getInstance());
        }
    }

    private void onResize() {
        width = round(stage.getWidth());
        height = round(stage.getHeight());
        if (!resizePending) {
            resizePending = true;
            Fx.later(this::emitResize); // after this pulse: width and height changes become one event
        }
    }

    private void emitResize() {
        resizePending = false;
        int w = round(stage.getWidth());
        int h = round(stage.getHeight());
        if (live && !closed && (w != lastWidth || h != lastHeight)) {
            lastWidth = w;
            lastHeight = h;
            ObjectNode payload = JSON.objectNode().put("width", w).put("height", h);
            link.systemEvent(EventType.RESIZE, payload);
        }
    }

    private void onMove() {
        x = round(stage.getX());
        y = round(stage.getY());
        if (!movePending) {
            movePending = true;
            Fx.later(this::emitMove);
        }
    }

    private void emitMove() {
        movePending = false;
        int nx = round(stage.getX());
        int ny = round(stage.getY());
        if (live && !closed && (nx != lastX || ny != lastY)) {
            lastX = nx;
            lastY = ny;
            JsonNode payload = JSON.objectNode().put("x", nx).put("y", ny);
            link.systemEvent(EventType.MOVE, payload);
        }
    }

    private void onFx(Runnable change) {
        Fx.later(() -> {
            if (!closed) {
                change.run();
            }
        });
    }

    private static int round(double v) {
        return Double.isNaN(v) ? 0 : (int) Math.round(v);
    }
}
