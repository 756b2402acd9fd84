package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.OutboundMessage;
import dev.kiln.ipc.RendererLink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.concurrent.Worker;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebEvent;
import netscape.javascript.JSException;
import netscape.javascript.JSObject;

/**
 * The page side of one window: grants the bridge to the window's documents, tracks whether the
 * current one is ready, and carries messages both ways. It is the window's renderer transport.
 *
 * <p>Grant: the app's HTML carries the bridge script as its first script (see {@link AssetServer});
 * it calls {@code alert(marker)}, and {@link #onAlert} gives that document a fresh
 * {@link PageBridge} if its location is under the app's origin, once per document. The page is
 * ready for deliveries once it said so (DOMContentLoaded) and no navigation is under way; a reload
 * or navigation makes the engine queue again ({@link RendererLink#loading()}) until the next
 * document is ready.
 *
 * <p>Host to page: {@link #deliver} (on the engine's dispatch thread, or the sender's for a lone
 * send) turns a batch into JSON text and queues it; one FX task ({@link Fx#post}) drains everything
 * queued into one {@code port.deliver(text)} call, where the page parses it with {@code JSON.parse}.
 * Batches that arrive while the page is not ready wait in that queue; batches queued when the
 * window closes are dropped with it. Page to host: one upcall per burst hands the JSON text to
 * {@link RendererLink#receive}.
 *
 * <p>Threading: {@link #deliver} runs on whichever thread the engine flushes from, one call at a
 * time; everything else on the FX thread, except {@link #whenPageReady()} and
 * {@link #bridgeCalls()}, which any thread may call.
 */
final class PageConnection {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final String MESSAGE_START = "{" + BridgeProtocol.quote(RendererLink.CHANNEL_KEY) + ":";
    private static final String MESSAGE_PAYLOAD = "," + BridgeProtocol.quote(RendererLink.PAYLOAD_KEY) + ":";

    private final String id;
    private final Desktop desktop;
    private final RendererLink link;
    private final String documentToken = BridgeProtocol.randomToken(9);
    private final PageConsole console;

    // any thread
    private final ConcurrentLinkedQueue<String> deliveries = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;
    private volatile CompletableFuture<Void> pageReady = new CompletableFuture<>();
    private volatile long upcalls; // written on the FX thread only
    private volatile long pageCalls; // written on the FX thread only

    // FX thread only
    private WebEngine engine;
    private PageBridge bridge; // strong reference: WebKit holds it only weakly
    private JSObject port;
    private int grantedDocument;
    private int readyDocument = -1;
    private boolean navigating;
    private boolean deliverable;

    /** Attaches the window to the engine. */
    PageConnection(String id, Desktop desktop, List<String> channels) {
        this.id = id;
        this.desktop = desktop;
        this.link = desktop.ipc().attach(id, this::deliver, channels);
        this.console = new PageConsole(id, desktop);
    }

    RendererLink link() {
        return link;
    }

    /** Starts watching the window's engine and loads the page. FX thread. */
    void load(WebEngine engine, String url) {
        this.engine = engine;
        engine.setOnAlert(this::onAlert);
        engine.getLoadWorker().stateProperty().addListener((obs, old, state) -> onLoadState(state));
        engine.load(desktop.assets().resolve(url));
    }

    /** Completes when the current document's bridge is ready; fails if the window closes first. */
    CompletableFuture<Void> whenPageReady() {
        return pageReady.copy();
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

    /** The window closed: drop the page and what waits for it, and detach from the engine. FX thread. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        console.close();
        if (engine != null) {
            engine.setOnAlert(null);
            engine.load("about:blank"); // drops the page, its timers and its listeners now
        }
        bridge = null;
        port = null;
        deliverable = false;
        deliveries.clear();
        link.detach();
        pageReady.completeExceptionally(
                new KilnException(ErrorCode.WINDOW_NOT_FOUND, "Window not found: " + id + " (it was closed)"));
    }

    // ---- Host to page ----

    /** The engine's flushing thread: one batch as JSON text, queued for the FX thread. */
    void deliver(List<OutboundMessage> batch) {
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
            Fx.post(this::drain);
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
        pageCalls++;
        try {
            port.call("deliver", text);
        } catch (JSException e) {
            // Seen once in a long run: the handle to the port went stale ("Invalid function reference")
            // while the page, which keeps its port on window, was fine. Take the port again and retry
            // once; a failure inside the page's own deliver() is not retried (no double delivery).
            JSObject fresh = String.valueOf(e.getMessage()).contains("Invalid function reference") ? portOfPage() : null;
            try {
                if (fresh == null) {
                    throw e;
                }
                port = fresh;
                port.call("deliver", text);
            } catch (JSException again) {
                LOG.log(System.Logger.Level.WARNING, "[" + ErrorCode.CHANNEL_SEND.code() + "] Window " + id
                        + " could not take a batch of messages: " + again.getMessage());
            }
        }
    }

    /** The port the current document keeps on its window, if it holds the bridge. FX thread. */
    private JSObject portOfPage() {
        if (!currentDocumentHoldsBridge()) {
            return null;
        }
        Object p = ((JSObject) engine.executeScript("window")).getMember(desktop.protocol().portMember());
        return p instanceof JSObject js ? js : null;
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

    void pageConsole(int document, Object level, Object text, Object where) {
        if (accepts(document, "console")) {
            console.accept(level, text, where);
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
            desktop.alerted(id, text);
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
}
