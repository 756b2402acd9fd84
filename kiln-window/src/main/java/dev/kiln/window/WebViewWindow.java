package dev.kiln.window;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.RendererLink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.animation.PauseTransition;
import javafx.scene.Scene;
import javafx.scene.web.WebEngine;
import javafx.scene.web.WebView;
import javafx.stage.Stage;

/**
 * A native window: a JavaFX {@link Stage} with a {@link WebView}, attached to the engine as a
 * renderer through its {@link PageConnection}.
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
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** How long after a size or position setter the window system's reports may still be stale. */
    private static final long SETTLE_MILLIS = 300;

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
    private final AtomicInteger geometryChanges = new AtomicInteger(); // size/position setters in flight

    // FX thread only
    private Stage stage;
    private WebView view;
    private boolean live;
    private CompletableFuture<Void> gone; // closeOnFx's: done once the page is unloaded
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
        this.page = new PageConnection(id, desktop, options.channels());
        this.link = page.link();
        this.navigation = new NavigationPolicy(id, desktop, link);
    }

    /** Builds the stage, starts loading the page and shows the window. FX thread. */
    void open() {
        stage = new Stage();
        view = new WebView();
        desktop.webData().prepare(view.getEngine());
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
        changeGeometry(() -> {
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
        changeGeometry(() -> {
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
    private void changeGeometry(Runnable change) {
        geometryChanges.incrementAndGet();
        Fx.later(() -> {
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
