package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.OutboundMessage;
import dev.kiln.ipc.RendererLink;
import dev.kiln.ipc.RendererTransport;
import dev.kiln.ipc.UploadedBinaries;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.concurrent.Worker;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebEvent;
import netscape.javascript.JSException;
import netscape.javascript.JSObject;

/**
 * The page side of one window: its renderer transport. It carries messages both ways between the
 * engine and the document that holds the window's bridge, and tracks whether that document is
 * ready. Who may hold the bridge is {@link BridgeGrant}'s business.
 *
 * <p>Readiness: the granted document is ready for deliveries once it said so (DOMContentLoaded)
 * until it unloads (its {@code pagehide}: a reload or navigation); then the engine queues again
 * ({@link RendererLink#loading()}) until the next granted document is ready. The load worker's
 * SCHEDULED/RUNNING are not taken as a navigation (see {@link #pageLeaving}).
 *
 * <p>Host to page: {@link #deliver} (on the engine's dispatch thread, or the sender's for a lone
 * send) queues the messages in a {@link DeliveryQueue}, which hands them over in one
 * {@code port.deliver(text)} call per FX task, where the page parses them with {@code JSON.parse}.
 * The sends complete when that call returned. Messages that arrive while the page is not ready wait
 * in that queue; what still waits when the window closes fails with 7002 (and a warning).
 * Page to host: one upcall per burst hands the JSON text to {@link RendererLink#receive}.
 *
 * <p>Large binaries (docs/payloads.md): a message's attachments are offered to this window's page as
 * one-time URLs ({@link OneTimeBlobs}) when its batch is handed over, not when it is queued, so that a
 * URL's 30 s run while the page can fetch it; the page fetches them with the window key it asked for
 * once ({@link PageBridge#blobKey}). The page uploads a large binary of its own to a slot it asks for
 * ({@link PageBridge#upload}); the slot's bytes wait in {@link UploadedBinaries} for the message that
 * names them.
 *
 * <p>Threading: {@link #deliver} runs on whichever thread the engine flushes from, one call at a
 * time; everything else on the FX thread, except {@link #whenPageReady()} and
 * {@link #bridgeCalls()}, which any thread may call.
 */
final class PageConnection {
    /** The method that calls into the page for a delivery; the watchdog recognizes it on the FX thread's stack. */
    static final String DELIVERY_METHOD = "callDeliver";
    /** How long a closing page's stopped loads get to report their failures before it is unloaded (see {@link #close}). */
    static final long SETTLE_BEFORE_UNLOAD_MILLIS = 100;

    private final String id;
    private final Desktop desktop;
    private final RendererLink link;
    private final BridgeGrant grant;
    private final RateLimitedLog log;
    private final PageConsole console;

    // any thread
    private final DeliveryQueue deliveries;
    private volatile boolean closed;
    private volatile boolean closing; // set on the FX thread when close() starts: the page's last sends (pagehide) still count
    private volatile CompletableFuture<Void> pageReady = new CompletableFuture<>();
    private volatile long upcalls; // written on the FX thread only
    private volatile long pageCalls; // written on the FX thread only

    // FX thread only
    private WebEngine engine;
    private PageBridge bridge; // strong reference: WebKit holds it only weakly
    private JSObject port;
    private final CompletableFuture<Void> unloaded = new CompletableFuture<>(); // close() is done
    private int readyGeneration = -1;
    private boolean leaving; // the granted document is unloading; set by its pagehide
    private boolean deliverable;

    /** Attaches the window to the engine. */
    PageConnection(String id, Desktop desktop, List<String> channels) {
        this.id = id;
        this.desktop = desktop;
        this.grant = new BridgeGrant(desktop.protocol(), desktop.assets());
        this.log = new RateLimitedLog(id);
        this.deliveries = new DeliveryQueue(id, log, new DeliveryQueue.Page() {
            @Override
            public boolean takesMessages() {
                return readyToTake();
            }

            @Override
            public boolean take(String batchText) {
                return callDeliver(batchText);
            }

            @Override
            public List<String> offer(List<ByteBuffer> attachments) {
                return offerToPage(attachments);
            }
        });
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
                System.getLogger("dev.kiln.window").log(System.Logger.Level.DEBUG,
                        "Window " + id + " could not flush: " + e.getMessage());
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

    /**
     * The window closed: stop the page's loads, unload it a moment later (its pagehide handlers may
     * still send; those messages reach the engine), drop what waits for it with a warning, and
     * detach from the engine. FX thread; the future completes there once the page is unloaded.
     *
     * <p>Why not unload at once: JavaFX 21's WebKit spins the FX thread forever (in its timer) when a
     * document is unloaded while a module script awaits, at top level, a fetch that the unload
     * cancels. {@code window.stop()} cancels those loads while the document still lives; their
     * failures reach the page a few WebKit timer turns later, and only then may the document go.
     *
     * @param hostLoad runs the unload as a load of the host's own, which the navigation policy lets through
     */
    CompletableFuture<Void> close(Consumer<Runnable> hostLoad) {
        if (closed || closing) {
            return unloaded;
        }
        closing = true;
        console.close();
        dropUndelivered();
        if (engine == null) {
            finishClose();
            return unloaded;
        }
        engine.setOnAlert(null);
        try {
            engine.executeScript("window.stop()");
        } catch (JSException e) {
            System.getLogger("dev.kiln.window").log(System.Logger.Level.DEBUG,
                    "Window " + id + " could not stop its loads: " + e.getMessage());
        }
        PauseTransition settle = new PauseTransition(javafx.util.Duration.millis(SETTLE_BEFORE_UNLOAD_MILLIS));
        settle.setOnFinished(e -> {
            // unloads the page now: pagehide runs, timers and listeners go
            try {
                hostLoad.accept(() -> engine.load("about:blank"));
            } finally {
                finishClose();
            }
        });
        settle.play();
        return unloaded;
    }

    private void dropUndelivered() {
        int undelivered = deliveries.close(KilnException.windowNotFound(id, "closed before its page took the message"));
        if (undelivered > 0) {
            log.warn("closed", "[" + ErrorCode.WINDOW_NOT_FOUND.code() + "] Window " + id + " closed before its page took "
                    + undelivered + " message(s); their sends fail with this code");
        }
    }

    private void finishClose() {
        closed = true;
        bridge = null;
        port = null;
        deliverable = false;
        grant.revoke();
        dropUndelivered(); // what arrived while the page settled
        log.flush();
        link.detach();
        pageReady.completeExceptionally(
                KilnException.windowNotFound(id, "it was closed"));
        unloaded.complete(null);
    }

    // ---- Host to page ----

    /**
     * The engine's flushing thread: the batch's messages, queued for the FX thread. The stage
     * completes when the page took them (see {@link DeliveryQueue}).
     */
    CompletionStage<RendererTransport.Receipt> deliver(List<OutboundMessage> batch) {
        if (closed || closing) {
            throw KilnException.windowNotFound(id, "it was closed");
        }
        return deliveries.add(batch);
    }

    /** Whether the page takes messages now. FX thread, before each drain. */
    private boolean readyToTake() {
        if (!deliverable || closed || closing) { // closing: the window is gone for the host, the page only unloads
            return false;
        }
        if (!grant.holdsBridge(engine)) {
            // the document went away without a pagehide we saw: wait for the next one
            leaving = true;
            updateDeliverable();
            return false;
        }
        return true;
    }

    /**
     * One {@code port.deliver(text)}; false when the page could not parse the text (nothing delivered).
     *
     * @throws KilnException {@link ErrorCode#CHANNEL_SEND} if the page's deliver failed
     */
    private boolean callDeliver(String text) {
        FxWatchdog.entered(id, FxActivity.Kind.DELIVERY);
        pageCalls++;
        Object parsed = null;
        try {
            parsed = port.call("deliver", text);
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
                parsed = port.call("deliver", text);
            } catch (JSException again) {
                String why = "Window " + id + " could not take a batch of messages: " + RateLimitedLog.clean(again.getMessage());
                log.warn("deliver-failed", "[" + ErrorCode.CHANNEL_SEND.code() + "] " + why);
                throw new KilnException(ErrorCode.CHANNEL_SEND, why, again);
            }
        }
        return !Boolean.FALSE.equals(parsed);
    }

    /** The port the current document keeps on its window, if it holds the bridge. FX thread. */
    private JSObject portOfPage() {
        if (!grant.holdsBridge(engine)) {
            return null;
        }
        Object p = ((JSObject) engine.executeScript("window")).getMember(desktop.protocol().portMember());
        return p instanceof JSObject js ? js : null;
    }

    /** One-time tokens for a message's attachments, for this window's page. FX thread. */
    private List<String> offerToPage(List<ByteBuffer> attachments) {
        List<String> tokens = new ArrayList<>(attachments.size());
        for (ByteBuffer bytes : attachments) {
            tokens.add(OneTimeBlobs.tokenOf(desktop.assets().blobs().offer(id, bytes.duplicate())));
        }
        return tokens;
    }

    // ---- Page to host (FX thread, called by PageBridge) ----

    String pageBlobKey(int generation) {
        return accepts(generation, "blobKey") ? desktop.assets().blobs().windowKey(id) : null;
    }

    String pageUpload(int generation, Object size) {
        if (!accepts(generation, "upload")) {
            return "[" + ErrorCode.PERMISSION_DENIED.code() + "] This document may not upload";
        }
        long max = desktop.ipc().config().maxBinaryBytes();
        if (!(size instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() != Math.floor(n.doubleValue())) {
            return "[" + ErrorCode.CHANNEL_RECV.code() + "] upload() takes a size in bytes";
        }
        long bytes = n.longValue();
        if (bytes > max) {
            String why = "[" + ErrorCode.BINARY_TOO_LARGE.code() + "] A binary of " + bytes
                    + " bytes is larger than the limit of " + max + " bytes";
            log.warn("binary-too-large", "Window " + id + ": " + why);
            return why;
        }
        // One slot per piece (OneTimeBlobs.UPLOAD_PIECE_BYTES); they wait 30 s and 1 s more per MiB of
        // the whole, since the page posts a few at a time. The bytes are put together once the last arrived.
        int pieces = (int) Math.max(1, (bytes + OneTimeBlobs.UPLOAD_PIECE_BYTES - 1) / OneTimeBlobs.UPLOAD_PIECE_BYTES);
        java.time.Duration ttl = OneTimeBlobs.DEFAULT_TTL.plusSeconds(bytes >> 20);
        // Every piece is read into the one array. Each piece's future completes before the page hears
        // that piece is in, and the piece that counts down to none completes the whole: so once the page
        // heard of every piece (and sends the message), the whole is complete.
        byte[] whole;
        try {
            whole = new byte[(int) bytes];
        } catch (OutOfMemoryError e) {
            return "[" + ErrorCode.CHANNEL_RECV.code() + "] The host has no memory for a binary of " + bytes + " bytes";
        }
        java.util.concurrent.CompletableFuture<byte[]> all = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(pieces);
        List<String> tokens = new ArrayList<>(pieces);
        for (int i = 0; i < pieces; i++) {
            int at = i * OneTimeBlobs.UPLOAD_PIECE_BYTES;
            int piece = (int) Math.min(OneTimeBlobs.UPLOAD_PIECE_BYTES, bytes - at);
            OneTimeBlobs.Upload slot = desktop.assets().blobs().expectInto(id, whole, at, piece, ttl);
            tokens.add(OneTimeBlobs.tokenOf(slot.url()));
            slot.received().whenComplete((b, failure) -> {
                if (failure != null) {
                    all.completeExceptionally(failure);
                } else if (left.decrementAndGet() == 0) {
                    all.complete(whole);
                }
            });
        }
        String token = String.join(",", tokens);
        UploadedBinaries.expect(token, all);
        return token;
    }

    void pagePosted(int generation, Object batch) {
        if (!accepts(generation, "send")) {
            return;
        }
        FxWatchdog.entered(id, FxActivity.Kind.PAGE_TASK);
        if (!(batch instanceof String text)) {
            log.warn("malformed-call", "[" + ErrorCode.CHANNEL_RECV.code() + "] Refused a malformed call"
                    + " from the page in window " + id + ": post() takes JSON text, got "
                    + (batch == null ? "null" : batch.getClass().getSimpleName()));
            return;
        }
        upcalls++;
        link.receive(text);
    }

    void pageReady(int generation) {
        if (accepts(generation, "ready")) {
            readyGeneration = generation;
            updateDeliverable();
        }
    }

    /**
     * The granted document is being unloaded (its {@code pagehide}): a real navigation or reload.
     * Deliveries wait for the next document from now on.
     *
     * <p>Why not the load worker: on a page with module scripts WebKit reports the main resource's
     * load finished (SUCCEEDED) before the document is available (DOMContentLoaded); when
     * DOCUMENT_AVAILABLE then comes while the worker is not RUNNING, JavaFX's worker treats it as an
     * "empty load" and synthesizes a PAGE_STARTED (SCHEDULED, RUNNING) for the same document, which
     * never finishes. So SCHEDULED/RUNNING do not mean that the shown document is going away.
     */
    void pageLeaving(int generation) {
        if (accepts(generation, "leaving")) {
            leaving = true;
            updateDeliverable();
        }
    }

    void pageDropped(int generation, Object count, Object lastChannel) {
        if (accepts(generation, "dropped")) {
            log.warn("held-overflow", "[" + ErrorCode.CHANNEL_RECV.code() + "] Window " + id + ": the page dropped "
                    + (count instanceof Number n ? n.longValue() : 0) + " message(s) nobody listened to (the oldest;"
                    + " it holds at most " + BridgeProtocol.HELD_MAX_MESSAGES + " messages or " + BridgeProtocol.HELD_MAX_BYTES
                    + " bytes for channels with no listener), the last on channel '" + RateLimitedLog.clean(lastChannel) + "'");
        }
    }

    void pageReported(int generation, Object text) {
        if (accepts(generation, "report")) {
            log.warn("page-report", "Window " + id + ": " + RateLimitedLog.clean(text));
        }
    }

    void pageConsole(int generation, Object level, Object text, Object where) {
        if (accepts(generation, "console")) {
            console.accept(level, text, where);
        }
    }

    /** Whether an upcall comes from the live, granted document. */
    private boolean accepts(int generation, String what) {
        if (closed) {
            if (what.equals("send")) {
                log.warn("send-after-close", "[" + ErrorCode.WINDOW_NOT_FOUND.code() + "] Window " + id
                        + " is closed: dropped a send from its page");
            }
            return false;
        }
        if (!grant.accepts(generation, engine)) {
            log.warn("refused-call", "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused " + what
                    + " from a document that does not hold the bridge in window " + id + " (at "
                    + RateLimitedLog.clean(engine.getLocation()) + ")");
            return false;
        }
        return true;
    }

    // ---- Page lifecycle (FX thread) ----

    private void onAlert(WebEvent<String> event) {
        String text = event.getData();
        if (desktop.protocol().marker().equals(text)) {
            onHandshake();
        } else {
            log.info("alert", "Window " + id + " alert: " + RateLimitedLog.clean(text));
            desktop.alerted(id, text);
        }
    }

    private void onHandshake() {
        if (closed || closing) {
            return;
        }
        JSObject global = (JSObject) engine.executeScript("window");
        Object pagePort = global.getMember(desktop.protocol().portMember());
        BridgeGrant.Verdict verdict = pagePort instanceof JSObject ? grant.request(engine) : BridgeGrant.Verdict.NOT_BRIDGE_SCRIPT;
        if (verdict != BridgeGrant.Verdict.GRANT) {
            log.warn("refused-bridge", "[" + ErrorCode.PERMISSION_DENIED.code() + "] Refused the bridge to a document at "
                    + RateLimitedLog.clean(engine.getLocation()) + " in window " + id + ": " + verdict.reason());
            return;
        }
        bridge = new PageBridge(this, grant.generation());
        port = (JSObject) pagePort;
        global.setMember(desktop.protocol().hostMember(), bridge);
        leaving = false;
        updateDeliverable();
    }

    private void onLoadState(Worker.State state) {
        if (closed || closing) {
            return;
        }
        // SCHEDULED, RUNNING: not a sign of a navigation (see pageLeaving); the document's pagehide is.
        if (state == Worker.State.SUCCEEDED || state == Worker.State.FAILED || state == Worker.State.CANCELLED) {
            if (!grant.holdsBridge(engine)) {
                port = null;
                bridge = null;
                readyGeneration = -1;
                grant.revoke();
            }
            if (state == Worker.State.FAILED) {
                log.warn("load-failed", "Window " + id + " could not load " + RateLimitedLog.clean(engine.getLocation())
                        + ": " + engine.getLoadWorker().getException());
            }
            updateDeliverable();
        }
    }

    private void updateDeliverable() {
        boolean now = !closed && !leaving && port != null && readyGeneration == grant.generation();
        if (now == deliverable) {
            return;
        }
        deliverable = now;
        if (now) {
            link.ready();
            pageReady.complete(null);
            if (!deliveries.isEmpty()) {
                deliveries.drainSoon();
            }
        } else {
            link.loading();
            if (pageReady.isDone()) {
                pageReady = new CompletableFuture<>();
            }
        }
    }
}
