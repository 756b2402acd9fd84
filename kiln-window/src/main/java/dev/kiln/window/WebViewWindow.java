package dev.kiln.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.KilnException;
import dev.kiln.ipc.RendererLink;
import dev.kiln.ipc.Subscription;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.animation.PauseTransition;
import javafx.beans.value.ChangeListener;
import javafx.concurrent.Worker;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.paint.Color;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebView;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import netscape.javascript.JSException;

/**
 * A native window: a JavaFX {@link Stage} with a {@link WebView}, attached to the engine as a
 * renderer through its {@link PageConnection}.
 *
 * <p>System events: focus and blur from the Stage's focus, resize and move coalesced to one event
 * per FX pulse (a {@code setSize} changes width and height in one task: one event), minimize,
 * maximize and restore from the Stage's iconified and maximized states, close on the user's close
 * request or {@link #close()}. {@link #setDecorations} replaces the Stage (JavaFX fixes a Stage's
 * style once shown); listeners of a replaced Stage are ignored.
 *
 * <p>Threading: public methods may be called from any thread and never block; they update the
 * cached state at once and apply the change on the FX thread in call order. Fields below are
 * grouped by the threads that touch them.
 */
final class WebViewWindow implements AppWindow {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** How long after a size or position setter the window system's reports may still be stale. */
    private static final long SETTLE_MILLIS = 300;
    /** How long the iconified and maximized states must stay unchanged before their event is emitted. */
    private static final long STATE_QUIET_MILLIS = 150;

    private final String id;
    private final Desktop desktop;
    private final WindowOptions options;
    private final PageConnection page;
    private final RendererLink link;
    private final NavigationPolicy navigation;

    // any thread
    private volatile String title;
    private volatile int width;
    private volatile int height;
    private volatile int x;
    private volatile int y;
    private volatile boolean visible;
    private volatile boolean focused;
    private volatile boolean closed;
    private volatile boolean minimized;
    private volatile boolean maximized;
    private volatile boolean fullscreen;
    private volatile boolean resizable;
    private volatile boolean decorations;
    private volatile boolean alwaysOnTop;
    private final AtomicInteger geometryChanges = new AtomicInteger(); // size/position setters in flight
    private final AtomicInteger stateChanges = new AtomicInteger(); // state setters in flight

    // FX thread only
    private Stage stage;
    private WebView view;
    private boolean live;
    private CompletableFuture<Void> gone; // closeOnFx's: done once the page is unloaded
    private Rectangle2D normalBounds; // the bounds before maximize(), put back by unmaximize()
    private int boundsGeneration; // maximize() bumps it: an earlier unmaximize's keepBounds stops
    private PauseTransition stateQuiet; // restarted by each iconified/maximized change
    private long lastStateChange; // when the last state setter ran
    private boolean lastIconified; // the states the last events told
    private boolean lastMaximized;
    private boolean resizePending;
    private boolean movePending;
    private long lastGeometryChange;
    private boolean geometrySyncScheduled;
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
        this.resizable = options.resizable();
        this.decorations = options.decorations() && !options.transparent();
        this.alwaysOnTop = options.alwaysOnTop();
        this.page = new PageConnection(id, desktop, options.channels());
        this.link = page.link();
        this.navigation = new NavigationPolicy(id, desktop, link);
    }

    /** Builds the stage, starts loading the page and shows the window. FX thread. */
    void open() {
        view = new WebView();
        desktop.webData().prepare(view.getEngine());
        Scene scene = new Scene(view);
        if (options.transparent()) {
            scene.setFill(Color.TRANSPARENT);
            view.setPageFill(Color.TRANSPARENT);
        }
        stage = new Stage(options.transparent() ? StageStyle.TRANSPARENT : style(decorations));
        stage.setTitle(options.title());
        stage.setScene(scene);
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
        watch(stage);
        navigation.install(view.getEngine());
        navigation.hostLoad(() -> page.load(view.getEngine(), options.url()));
        if (options.visible()) {
            stage.show();
        }
        lastWidth = width = round(stage.getWidth());
        lastHeight = height = round(stage.getHeight());
        lastX = x = round(stage.getX());
        lastY = y = round(stage.getY());
        live = true;
    }

    /** Listens to a stage's state; events of a stage that {@link #setDecorations} replaced are ignored. FX thread. */
    private void watch(Stage s) {
        s.setFullScreenExitHint(""); // as a native full-screen window: no overlay text on the page
        s.setOnCloseRequest(e -> {
            e.consume(); // the window closes through closeOnFx, which emits the close event first
            closeOnFx();
        });
        s.focusedProperty().addListener(current(s, (obs, old, now) -> onFocus(now)));
        s.widthProperty().addListener(current(s, (obs, old, now) -> onResize()));
        s.heightProperty().addListener(current(s, (obs, old, now) -> onResize()));
        s.xProperty().addListener(current(s, (obs, old, now) -> onMove()));
        s.yProperty().addListener(current(s, (obs, old, now) -> onMove()));
        s.showingProperty().addListener(current(s, (obs, old, now) -> visible = now));
        s.iconifiedProperty().addListener(current(s, (obs, old, now) -> onState()));
        s.maximizedProperty().addListener(current(s, (obs, old, now) -> onState()));
        s.fullScreenProperty().addListener(current(s, (obs, old, now) -> {
            if (stateChanges.get() == 0) {
                fullscreen = now;
            }
        }));
    }

    private <T> ChangeListener<T> current(Stage s, ChangeListener<T> listener) {
        return (obs, old, now) -> {
            if (s == stage) {
                listener.changed(obs, old, now);
            }
        };
    }

    private static StageStyle style(boolean decorations) {
        return decorations ? StageStyle.DECORATED : StageStyle.UNDECORATED;
    }

    // ---- AppWindow ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletableFuture<Boolean> close() {
        return Fx.call(() -> {
            boolean open = !closed;
            closeOnFx();
            return open;
        });
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<Void> setTitle(String title) {
        String t = title == null ? "" : title;
        this.title = t;
        return onFx(() -> stage.setTitle(t));
    }

    @Override
    public String getTitle() {
        return title;
    }

    @Override
    public CompletableFuture<Void> setSize(int width, int height) {
        requirePositive("Window size", width, height);
        this.width = width;
        this.height = height;
        // JavaFX 21 resizes the X window only when both are set in the same task.
        return changeGeometry(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
    }

    @Override
    public Size getSize() {
        return new Size(width, height);
    }

    @Override
    public CompletableFuture<Void> setPosition(int x, int y) {
        this.x = x;
        this.y = y;
        return changeGeometry(() -> {
            stage.setX(x);
            stage.setY(y);
        });
    }

    @Override
    public Position getPosition() {
        return new Position(x, y);
    }

    @Override
    public CompletableFuture<Void> center() {
        return changeGeometry(() -> {
            Rectangle2D area = screenOf(stage).getVisualBounds();
            int cx = round(area.getMinX() + (area.getWidth() - stage.getWidth()) / 2);
            int cy = round(area.getMinY() + (area.getHeight() - stage.getHeight()) / 2);
            x = cx;
            y = cy;
            stage.setX(cx);
            stage.setY(cy);
        });
    }

    @Override
    public CompletableFuture<Void> setMinSize(int width, int height) {
        requirePositive("Minimum size", width, height);
        return onFx(() -> {
            stage.setMinWidth(width);
            stage.setMinHeight(height);
        });
    }

    @Override
    public CompletableFuture<Void> setMaxSize(int width, int height) {
        requirePositive("Maximum size", width, height);
        return onFx(() -> {
            stage.setMaxWidth(width);
            stage.setMaxHeight(height);
        });
    }

    @Override
    public CompletableFuture<Void> focus() {
        return onFx(() -> {
            stage.toFront();
            stage.requestFocus();
        });
    }

    @Override
    public CompletableFuture<Void> show() {
        return setVisible(true);
    }

    @Override
    public CompletableFuture<Void> hide() {
        return setVisible(false);
    }

    @Override
    public CompletableFuture<Void> setVisible(boolean visible) {
        this.visible = visible;
        return onFx(visible ? () -> stage.show() : () -> stage.hide());
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
    public CompletableFuture<Void> minimize() {
        minimized = true;
        return changeState(() -> stage.setIconified(true));
    }

    @Override
    public CompletableFuture<Void> maximize() {
        maximized = true;
        return changeState(() -> {
            boundsGeneration++; // stops an earlier unmaximize's keepBounds
            if (!stage.isMaximized()) {
                normalBounds = new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
            }
            stage.setMaximized(true);
        });
    }

    @Override
    public CompletableFuture<Void> unmaximize() {
        maximized = false;
        return changeState(() -> {
            boolean was = stage.isMaximized();
            stage.setMaximized(false);
            Rectangle2D b = normalBounds;
            if (was && b != null) {
                // JavaFX on GTK keeps the maximized size as the stage's size: put back the size it had
                normalBounds = null;
                width = round(b.getWidth());
                height = round(b.getHeight());
                x = round(b.getMinX());
                y = round(b.getMinY());
                keepBounds(b, ++boundsGeneration, 0, 0);
            }
        });
    }

    /**
     * Puts the stage back to {@code b} after an unmaximize. The window manager's own unmaximize, and
     * GTK's remembered size, may arrive after ours and size the window again, so this checks every
     * 100 ms, and puts the bounds back while they are off, until they have held for half a second
     * (or 3 s have passed, or the window is maximized again, minimized or full screen). FX thread.
     */
    private void keepBounds(Rectangle2D b, int generation, int checks, int held) {
        if (closed || generation != boundsGeneration || checks >= 30 || held >= 5 || minimized || fullscreen
                || stage.isIconified() || stage.isFullScreen()) {
            return;
        }
        // by size only: under a window manager the stage's position may differ from the one set by the frame
        boolean off = stage.isMaximized()
                || round(stage.getWidth()) != round(b.getWidth()) || round(stage.getHeight()) != round(b.getHeight());
        if (off && !stage.isMaximized()) {
            changeGeometry(() -> {
                stage.setX(b.getMinX());
                stage.setY(b.getMinY());
                stage.setWidth(b.getWidth());
                stage.setHeight(b.getHeight());
            });
        }
        PauseTransition next = new PauseTransition(javafx.util.Duration.millis(100));
        next.setOnFinished(e -> keepBounds(b, generation, checks + 1, off ? 0 : held + 1));
        next.play();
    }

    @Override
    public CompletableFuture<Void> restore() {
        minimized = false;
        return changeState(() -> {
            stage.setIconified(false);
            if (visible) {
                stage.show();
            }
        });
    }

    @Override
    public boolean isMinimized() {
        return minimized && !closed;
    }

    @Override
    public boolean isMaximized() {
        return maximized && !closed;
    }

    @Override
    public CompletableFuture<Void> setFullscreen(boolean fullscreen) {
        this.fullscreen = fullscreen;
        return changeState(() -> stage.setFullScreen(fullscreen));
    }

    @Override
    public boolean isFullscreen() {
        return fullscreen && !closed;
    }

    @Override
    public CompletableFuture<Void> setResizable(boolean resizable) {
        this.resizable = resizable;
        return onFx(() -> stage.setResizable(resizable));
    }

    @Override
    public boolean isResizable() {
        return resizable;
    }

    @Override
    public CompletableFuture<Void> setDecorations(boolean decorations) {
        if (decorations && options.transparent()) {
            return CompletableFuture.failedFuture(new KilnException(ErrorCode.CHANNEL_SEND,
                    "Window " + id + " is transparent: a transparent window cannot have decorations"));
        }
        this.decorations = decorations;
        return changeState(() -> {
            if (stage.getStyle() != style(decorations)) {
                restyle(style(decorations));
            }
        });
    }

    @Override
    public boolean hasDecorations() {
        return decorations;
    }

    @Override
    public CompletableFuture<Void> setAlwaysOnTop(boolean alwaysOnTop) {
        this.alwaysOnTop = alwaysOnTop;
        return onFx(() -> stage.setAlwaysOnTop(alwaysOnTop));
    }

    @Override
    public boolean isAlwaysOnTop() {
        return alwaysOnTop;
    }

    @Override
    public boolean isTransparent() {
        return options.transparent();
    }

    @Override
    public CompletableFuture<String> evalJs(String script) {
        String wrapped = asJsonValue(script);
        return whenLoaded().thenCompose(v -> Fx.call(() -> {
            if (closed) {
                throw KilnException.windowNotFound(id, "it was closed");
            }
            FxWatchdog.entered(id, FxActivity.Kind.HOST_CALL);
            try {
                String result = (String) view.getEngine().executeScript(wrapped);
                page.flushPage();
                return result;
            } catch (JSException e) {
                throw new KilnException(ErrorCode.HANDLER_FAILED, "Script failed in window " + id + ": " + e.getMessage(), e);
            }
        }));
    }

    @Override
    public CompletableFuture<Void> injectCss(String css) {
        String script = "(function (css) { var s = document.createElement('style'); s.textContent = css;"
                + " (document.head || document.documentElement).appendChild(s); })(" + BridgeProtocol.quote(css) + ")";
        return evalJs(script).thenApply(result -> null);
    }

    @Override
    public Subscription onFocus(Runnable callback) {
        return on(EventType.FOCUS, e -> callback.run());
    }

    @Override
    public Subscription onBlur(Runnable callback) {
        return on(EventType.BLUR, e -> callback.run());
    }

    @Override
    public Subscription onResize(Consumer<Size> callback) {
        return on(EventType.RESIZE, e -> callback.accept(
                new Size(e.payload().path("width").asInt(), e.payload().path("height").asInt())));
    }

    @Override
    public Subscription onMove(Consumer<Position> callback) {
        return on(EventType.MOVE, e -> callback.accept(new Position(e.payload().path("x").asInt(), e.payload().path("y").asInt())));
    }

    @Override
    public Subscription onClose(Runnable callback) {
        return on(EventType.CLOSE, e -> callback.run());
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

    /** The page side: bridge, readiness, deliveries. */
    PageConnection page() {
        return page;
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
        return view.getEngine();
    }

    /** Loads a URL as the host (not the page): the navigation policy lets it through. FX thread. */
    void load(String url) {
        navigation.hostLoad(() -> view.getEngine().load(url));
    }

    /**
     * Closes the window now; its page is unloaded a moment later (see {@link PageConnection#close}).
     * FX thread. Idempotent: the future completes (on the FX thread) once the page is unloaded.
     */
    CompletableFuture<Void> closeOnFx() {
        if (closed) {
            return gone;
        }
        closed = true;
        live = false;
        link.systemEvent(EventType.CLOSE, NullNode.getInstance());
        if (stage != null) { // null when open() failed half-way
            stage.hide();
        }
        if (view != null) {
            desktop.webData().pageClosing(view.getEngine());
        }
        gone = page.close(navigation::hostLoad);
        desktop.windowClosed(this, gone);
        return gone;
    }

    // ---- System events (FX thread) ----

    private void onFocus(boolean now) {
        focused = now;
        if (live && !closed) {
            link.systemEvent(now ? EventType.FOCUS : EventType.BLUR, NullNode.getInstance());
        }
    }

    /**
     * Applies a size or position change on the FX thread. The getters must keep showing what the
     * setters asked for while the window catches up: the stage passes through intermediate states
     * (new width, old height) and the X server may report an older geometry a little later. So the
     * stage's reports update the cache only once no setter is in flight and the last one is
     * {@link #SETTLE_MILLIS} old; then the cache takes the stage's values (which min/max limits may
     * have changed).
     */
    private CompletableFuture<Void> changeGeometry(Runnable change) {
        geometryChanges.incrementAndGet();
        return Fx.call(() -> {
            try {
                if (!closed) {
                    change.run();
                }
            } finally {
                geometryChanges.decrementAndGet();
                lastGeometryChange = System.nanoTime();
                if (!closed) {
                    scheduleGeometrySync();
                }
            }
            return null;
        });
    }

    private boolean geometrySettled() {
        return geometryChanges.get() == 0 && System.nanoTime() - lastGeometryChange > SETTLE_MILLIS * 1_000_000L;
    }

    private void scheduleGeometrySync() {
        if (geometrySyncScheduled) {
            return;
        }
        geometrySyncScheduled = true;
        PauseTransition wait = new PauseTransition(javafx.util.Duration.millis(SETTLE_MILLIS + 20));
        wait.setOnFinished(e -> {
            geometrySyncScheduled = false;
            if (closed) {
                return;
            }
            if (geometrySettled()) {
                width = round(stage.getWidth());
                height = round(stage.getHeight());
                x = round(stage.getX());
                y = round(stage.getY());
            } else {
                scheduleGeometrySync();
            }
        });
        wait.play();
    }

    private void onResize() {
        if (geometrySettled()) {
            width = round(stage.getWidth());
            height = round(stage.getHeight());
        }
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
        if (geometrySettled()) {
            x = round(stage.getX());
            y = round(stage.getY());
        }
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

    /** Runs a change on the FX thread unless the window has closed; the future completes after it. */
    private CompletableFuture<Void> onFx(Runnable change) {
        return Fx.call(() -> {
            if (!closed) {
                change.run();
            }
            return null;
        });
    }

    /**
     * Applies a minimize/maximize/full-screen/style change: while one is in flight the stage's own
     * reports do not overwrite what the setters asked for (the stage passes through the old state).
     */
    private CompletableFuture<Void> changeState(Runnable change) {
        stateChanges.incrementAndGet();
        return Fx.call(() -> {
            try {
                if (!closed) {
                    change.run();
                }
            } finally {
                stateChanges.decrementAndGet();
                lastStateChange = System.nanoTime();
            }
            return null;
        });
    }

    /**
     * The stage's iconified or maximized state changed. GTK reports a change in steps (an iconify may
     * show as true, false, true), so the events come from the state once it has been quiet for
     * {@link #STATE_QUIET_MILLIS}: one event per real change. FX thread.
     */
    private void onState() {
        if (stateQuiet == null) {
            stateQuiet = new PauseTransition(javafx.util.Duration.millis(STATE_QUIET_MILLIS));
            stateQuiet.setOnFinished(e -> emitState());
        }
        stateQuiet.playFromStart();
    }

    private void emitState() {
        if (closed) {
            return;
        }
        boolean iconified = stage.isIconified();
        boolean max = stage.isMaximized();
        // As for the geometry: the cache keeps what a setter asked for until the window has had time to report it.
        if (stateChanges.get() == 0 && System.nanoTime() - lastStateChange > SETTLE_MILLIS * 1_000_000L) {
            minimized = iconified;
            maximized = max;
        } else {
            onState(); // look again later
        }
        if (!live) {
            return;
        }
        if (iconified != lastIconified) {
            link.systemEvent(iconified ? EventType.MINIMIZE : EventType.RESTORE, NullNode.getInstance());
        }
        if (max != lastMaximized && !iconified) {
            link.systemEvent(max ? EventType.MAXIMIZE : EventType.RESTORE, NullNode.getInstance());
        }
        lastIconified = iconified;
        if (!iconified) {
            lastMaximized = max;
        }
    }

    /**
     * Moves the scene (and so the running page) into a new stage of another style, with the old
     * stage's state, and retires the old one. FX thread.
     */
    private void restyle(StageStyle style) {
        Stage old = stage;
        boolean showing = old.isShowing();
        boolean wasMaximized = old.isMaximized();
        Scene scene = old.getScene();
        Stage next = new Stage(style);
        next.setTitle(old.getTitle());
        next.setX(old.getX());
        next.setY(old.getY());
        next.setWidth(old.getWidth());
        next.setHeight(old.getHeight());
        next.setMinWidth(old.getMinWidth());
        next.setMinHeight(old.getMinHeight());
        next.setMaxWidth(old.getMaxWidth());
        next.setMaxHeight(old.getMaxHeight());
        next.setResizable(old.isResizable());
        next.setAlwaysOnTop(old.isAlwaysOnTop());
        stage = next; // from here on the old stage's listeners are ignored
        old.hide();
        old.setScene(null);
        next.setScene(scene);
        watch(next);
        if (showing) {
            next.show();
            next.setMaximized(wasMaximized);
        }
    }

    /** Completes (on the FX thread) once the page's current load has finished, or at once if none runs. */
    private CompletableFuture<Void> whenLoaded() {
        return Fx.call(() -> {
            CompletableFuture<Void> loaded = new CompletableFuture<>();
            if (closed || view == null) {
                loaded.complete(null);
                return loaded;
            }
            Worker<Void> worker = view.getEngine().getLoadWorker();
            if (worker.getState() != Worker.State.SCHEDULED && worker.getState() != Worker.State.RUNNING) {
                loaded.complete(null);
                return loaded;
            }
            ChangeListener<Worker.State> done = new ChangeListener<>() {
                @Override
                public void changed(javafx.beans.value.ObservableValue<? extends Worker.State> obs, Worker.State old, Worker.State now) {
                    if (now != Worker.State.SCHEDULED && now != Worker.State.RUNNING) {
                        worker.stateProperty().removeListener(this);
                        loaded.complete(null);
                    }
                }
            };
            worker.stateProperty().addListener(done);
            return loaded;
        }).thenCompose(f -> f);
    }

    private Subscription on(EventType type, Consumer<IpcEvent> callback) {
        return desktop.ipc().onChannelEvent(type.wireName(), e -> {
            if (id.equals(e.windowId()) && e.type() == type) {
                callback.accept(e);
            }
        });
    }

    /**
     * The page-side wrapper of a script run as global code: its value as JSON text, "null" for
     * undefined or what JSON cannot write.
     */
    static String asJsonValue(String js) {
        return "(function () { var r = (0, eval)(" + BridgeProtocol.quote(js) + ");"
                + " var s = r === undefined ? undefined : JSON.stringify(r); return s === undefined ? 'null' : s; })()";
    }

    private static Screen screenOf(Stage s) {
        var screens = Screen.getScreensForRectangle(s.getX(), s.getY(), Math.max(1, s.getWidth()), Math.max(1, s.getHeight()));
        return screens.isEmpty() ? Screen.getPrimary() : screens.get(0);
    }

    private static void requirePositive(String what, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + width + "x" + height);
        }
    }

    private static int round(double v) {
        return Double.isNaN(v) ? 0 : (int) Math.round(v);
    }
}
