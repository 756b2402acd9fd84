package dev.kiln.window;

import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javafx.application.Platform;

/**
 * The entry point: an app's runtime with its native windows, its {@code app://} assets and its
 * runtime:ipc engine.
 *
 * <p>{@link #start} starts the JavaFX toolkit the first time it is called in a JVM and reuses it
 * afterwards, so that a JVM may run several desktops one after the other (or at once). Each desktop
 * has its own engine, asset server and windows.
 *
 * <p>Pages and their data: the app's pages are served from {@code http://127.0.0.1:<port>/}, where
 * the port is derived from {@link DesktopConfig#appIdentifier()}, so the origin, and with it
 * {@code localStorage} and cookies, stay the same from one launch to the next. They are kept in the
 * app's data folder ({@link AppDataFolder}); a second instance of the app running at the same time
 * gets its own instance slot, with its own port and storage ({@link InstanceSlot}, {@link WebData}).
 *
 * <p>Lifecycle: when the last window closes and {@link DesktopConfig#exitOnLastWindowClosed()} is
 * set, the runtime shuts down: the engine's streams end and receives return {@code null}, then
 * {@link #terminated()} completes. The library never calls {@code System.exit}: an app's
 * {@code main} returns or exits once {@code terminated()} completes (the FX thread is not a daemon,
 * so call {@code System.exit(0)} there to end the process).
 *
 * <p>Threading: every method may be called from any thread and never blocks, except
 * {@link #close()}, which waits (bounded) for the windows to close when called off the FX thread.
 * {@link #createWindow} futures complete on the engine's callback executor (see
 * {@link dev.kiln.ipc.IpcConfig#callbackExecutor()}) or, without one, on Kiln's own thread
 * {@code kiln-window-callback-N}; never on the FX thread. Window state lives on the FX thread;
 * the maps here are concurrent so that lookups work from anywhere.
 */
public final class Desktop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    private static final AtomicInteger DESKTOP_COUNT = new AtomicInteger();

    private final DesktopConfig config;
    private final Ipc ipc;
    private final BridgeProtocol protocol;
    private final AssetServer assets;
    private final WebData webData;
    private final Executor completions;
    private final ThreadPoolExecutor ownCompletions;
    private final Map<String, WebViewWindow> windows = new ConcurrentHashMap<>();
    private final Set<String> reservedIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextId = new AtomicInteger();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final List<BiConsumer<AppWindow, String>> alertListeners = new CopyOnWriteArrayList<>();
    private volatile boolean shutDown;

    private Desktop(DesktopConfig config) throws IOException {
        this.config = config;
        this.protocol = new BridgeProtocol(config.ipc().maxPayloadBytes());
        InstanceSlot.Claim<AssetServer> claim = InstanceSlot.claim(config.appIdentifier(), (folder, port) -> new AssetServer(
                config.webRoot(), protocol.script(), port, new CookieFile(folder.resolve("cookies.json")), config.devUrl()));
        this.webData = new WebData(claim.slot());
        this.assets = claim.bound();
        this.ipc = Ipc.create(config.ipc());
        if (config.ipc().callbackExecutor() != null) {
            this.ownCompletions = null;
            this.completions = config.ipc().callbackExecutor();
        } else {
            int n = DESKTOP_COUNT.incrementAndGet();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "kiln-window-callback-" + n);
                t.setDaemon(true);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
            this.ownCompletions = pool;
            this.completions = pool;
        }
    }

    /**
     * Starts a desktop: the FX toolkit (once per JVM), the asset server for the web folder and the engine.
     *
     * @throws IllegalStateException    if there is no display, or the toolkit cannot start
     * @throws IllegalArgumentException if the web folder does not exist
     */
    public static Desktop start(DesktopConfig config) {
        Objects.requireNonNull(config, "config");
        AssetServer.configureJdkServer();
        Fx.startToolkit();
        try {
            return new Desktop(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the app's asset server", e);
        }
    }

    /** The runtime:ipc engine of this desktop's windows. */
    public Ipc ipc() {
        return ipc;
    }

    /**
     * Opens a window.
     *
     * @return a future that completes when the window is shown (if visible) and attached to the
     *         engine, without waiting for its page. It fails with {@link IllegalArgumentException} if a
     *         window with that id exists, and with {@link IllegalStateException} after shutdown.
     *         Cancelling it does not stop the window from opening.
     */
    public CompletableFuture<AppWindow> createWindow(WindowOptions options) {
        Objects.requireNonNull(options, "options");
        if (shutDown) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "[" + ErrorCode.CHANNEL_SEND.code() + "] The runtime has shut down"));
        }
        String id = options.id() != null ? options.id() : generateId();
        if (!reservedIds.add(id)) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("A window with id '" + id + "' already exists"));
        }
        CompletableFuture<AppWindow> created = new CompletableFuture<>();
        Fx.later(() -> {
            WebViewWindow window = null;
            try {
                if (shutDown) {
                    throw new IllegalStateException("[" + ErrorCode.CHANNEL_SEND.code() + "] The runtime has shut down");
                }
                window = new WebViewWindow(id, this, options);
                windows.put(id, window);
                window.open();
                WebViewWindow opened = window;
                completions.execute(() -> created.complete(opened));
            } catch (RuntimeException e) {
                if (window != null) {
                    window.closeOnFx(); // detaches it from the engine again
                }
                reservedIds.remove(id);
                windows.remove(id);
                completions.execute(() -> created.completeExceptionally(e));
            }
        });
        return created;
    }

    /** The open window with that id. */
    public Optional<AppWindow> window(String id) {
        return Optional.ofNullable(windows.get(id));
    }

    /** The open windows. */
    public Collection<AppWindow> windows() {
        return List.copyOf(windows.values());
    }

    /**
     * Closes a window, as if the user had.
     *
     * @throws KilnException {@link ErrorCode#WINDOW_NOT_FOUND} if no open window has that id
     */
    public void closeWindow(String id) {
        WebViewWindow w = windows.get(id);
        if (w == null) {
            throw new KilnException(ErrorCode.WINDOW_NOT_FOUND, "Window not found: " + id);
        }
        w.close();
    }

    /**
     * Calls back with every {@code alert()} text of this desktop's pages (they are logged as well).
     * The callback runs on the FX thread and must return quickly.
     */
    public void onAlert(BiConsumer<AppWindow, String> callback) {
        alertListeners.add(Objects.requireNonNull(callback, "callback"));
    }

    /**
     * Completes once the runtime has shut down: last window closed (unless opted out), or {@link #close()}.
     * It completes on a Kiln thread ({@code kiln-desktop-stop}), after the engine's streams ended and the
     * asset server stopped; it never fails.
     */
    public CompletableFuture<Void> terminated() {
        return terminated.copy();
    }

    /**
     * Closes every window (each emits {@code close}) and shuts the runtime down. Idempotent. Off the FX
     * thread it waits (up to 10 seconds) for the windows to close, but not for {@link #terminated()}:
     * that may need the caller's own thread, when it is the engine's callback executor.
     */
    @Override
    public void close() {
        Runnable closeAll = () -> {
            new ArrayList<>(windows.values()).forEach(WebViewWindow::closeOnFx);
            shutdownRuntime();
        };
        if (Platform.isFxApplicationThread()) {
            closeAll.run();
            return;
        }
        try {
            Fx.call(() -> {
                closeAll.run();
                return null;
            }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "The desktop's windows did not close within 10 s: " + e);
        }
    }

    // ---- Package-private ----

    BridgeProtocol protocol() {
        return protocol;
    }

    AssetServer assets() {
        return assets;
    }

    DesktopConfig config() {
        return config;
    }

    /** This desktop's web data: instance slot, engines' data folder. */
    WebData webData() {
        return webData;
    }

    /** FX thread: a window closed. */
    void windowClosed(WebViewWindow window) {
        windows.remove(window.id(), window);
        reservedIds.remove(window.id());
        if (windows.isEmpty() && reservedIds.isEmpty() && config.exitOnLastWindowClosed()) {
            shutdownRuntime();
        }
    }

    /** FX thread: a page called alert(). */
    void alerted(String windowId, String text) {
        WebViewWindow window = windows.get(windowId);
        if (window == null) {
            return;
        }
        for (BiConsumer<AppWindow, String> l : alertListeners) {
            try {
                l.accept(window, text);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "An alert listener threw", e);
            }
        }
    }

    private String generateId() {
        String id;
        do {
            id = "window-" + nextId.incrementAndGet();
        } while (reservedIds.contains(id));
        return id;
    }

    private void shutdownRuntime() {
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
        }
        ipc.shutdown();
        // Not on the engine's callback executor: that may be an app's event loop, which must not wait
        // for the asset server to stop.
        ipc.terminated().whenComplete((ok, error) -> {
            Thread stopper = new Thread(() -> {
                webData.awaitStorageWrites();
                assets.stop();
                webData.close();
                if (ownCompletions != null) {
                    ownCompletions.shutdown();
                }
                terminated.complete(null);
            }, "kiln-desktop-stop");
            stopper.setDaemon(true);
            stopper.start();
        });
    }
}
