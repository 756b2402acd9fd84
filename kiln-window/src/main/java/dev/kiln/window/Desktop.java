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
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.input.InputEvent;

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
 * the maps here are concurrent so that lookups work from anywhere. {@link #onUnresponsive} and
 * {@link #onResponsive} listeners run on the FX watchdog's thread.
 */
public final class Desktop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.kiln.window");
    /** Where page console messages are logged; {@code kiln run} turns it off and prints them itself. */
    public static final String PAGE_CONSOLE_LOGGER = "dev.kiln.window.page";
    private static final System.Logger PAGE_LOG = System.getLogger(PAGE_CONSOLE_LOGGER);
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
    private final Map<String, CompletableFuture<Void>> unloading = new ConcurrentHashMap<>(); // closed windows whose pages still unload
    private final List<ToolWindow> toolWindows = new ArrayList<>(); // FX thread only
    private final AtomicInteger nextId = new AtomicInteger();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private final Listeners<Alert> alertListeners = new Listeners<>("alert");
    private final Listeners<ConsoleMessage> consoleListeners = new Listeners<>("console");
    private final Listeners<NavigationEvent> navigationListeners = new Listeners<>("navigation");
    private final Listeners<FxStall> unresponsiveListeners = new Listeners<>("unresponsive");
    private final Listeners<FxStall> responsiveListeners = new Listeners<>("responsive");
    private final Dialogs dialogs = new Dialogs(this);
    private final Menus menus = new Menus(this);
    private final Tray tray = new Tray(this);
    private volatile boolean shutDown;

    private Desktop(DesktopConfig config) throws IOException {
        this.config = config;
        this.protocol = new BridgeProtocol(config.ipc().maxPayloadBytes(), config.ipc().maxBinaryBytes(), config.pageConsole());
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
            Desktop desktop = new Desktop(config);
            FxWatchdog.watch(desktop);
            return desktop;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the app's asset server", e);
        }
    }

    /** The runtime:ipc engine of this desktop's windows. */
    public Ipc ipc() {
        return ipc;
    }

    /** This desktop's native dialogs: open and save pickers, messages. */
    public Dialogs dialogs() {
        return dialogs;
    }

    /** This desktop's menus: the windows' menu bars and context menus, and their clicks. */
    public Menus menus() {
        return menus;
    }

    /** This desktop's system tray icons, where the desktop has a system tray. */
    public Tray tray() {
        return tray;
    }

    /**
     * Opens a window.
     *
     * @return a future that completes when the window is shown (if visible) and attached to the
     *         engine, without waiting for its page. It fails with a {@link KilnException} of code 7000
     *         ({@link ErrorCode#CHANNEL_SEND}) if a window with that id exists or the runtime has shut down.
     *         Cancelling it does not stop the window from opening.
     */
    public CompletableFuture<AppWindow> createWindow(WindowOptions options) {
        Objects.requireNonNull(options, "options");
        if (shutDown) {
            return CompletableFuture.failedFuture(KilnException.shutDown());
        }
        String id = options.id() != null ? options.id() : generateId();
        if (!reservedIds.add(id)) {
            return CompletableFuture.failedFuture(
                    new KilnException(ErrorCode.CHANNEL_SEND, "A window with id '" + id + "' already exists"));
        }
        CompletableFuture<AppWindow> created = new CompletableFuture<>();
        afterUnloadOf(id, () -> {
            WebViewWindow window = null;
            try {
                if (shutDown) {
                    throw KilnException.shutDown();
                }
                window = new WebViewWindow(id, this, options);
                windows.put(id, window);
                window.open();
                menus.windowOpened(window); // the app menu set for every window
                WebViewWindow opened = window;
                // the page runs input handlers on the FX thread: a stall then names this window
                window.stage().getScene().addEventFilter(InputEvent.ANY,
                        e -> FxWatchdog.entered(id, FxActivity.Kind.INPUT));
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

    /**
     * Shows a page of Kiln's own tools, such as the IPC inspector's ({@code IpcInspector.url()}), in a
     * window beside the app's: the page gets no {@code window.runtime}, the window sends no system
     * events, is not among {@link #windows()}, does not keep the app running when its last window
     * closes, and closes with this desktop.
     *
     * @return a future that completes once the window is shown
     */
    public CompletableFuture<Void> showToolWindow(String title, String url) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(url, "url");
        if (shutDown) {
            return CompletableFuture.failedFuture(KilnException.shutDown());
        }
        return Fx.call(() -> {
            if (shutDown) {
                throw KilnException.shutDown();
            }
            toolWindows.add(ToolWindow.open(webData, title, url, 1100, 700));
            return (Void) null;
        });
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
     * @return a future of {@code true} once the window has closed, or {@code false} if no open
     *         window has that id (as Forge's {@code closeWindow})
     */
    public CompletableFuture<Boolean> closeWindow(String id) {
        WebViewWindow w = windows.get(id);
        return w == null ? CompletableFuture.completedFuture(false) : w.close();
    }

    /**
     * The screens, primary first where JavaFX lists it so: bounds, work area (without panels and
     * docks) and scale factor.
     */
    public CompletableFuture<List<Monitor>> monitors() {
        return Fx.call(Monitor::all);
    }

    /**
     * Calls back with every {@code alert()} text of this desktop's pages (they are logged as well).
     * The callback runs on the FX thread and must return quickly.
     */
    public void onAlert(BiConsumer<AppWindow, String> callback) {
        Objects.requireNonNull(callback, "callback");
        alertListeners.add(alert -> callback.accept(alert.window(), alert.text()));
    }

    /**
     * Calls back with every line of the app pages' consoles: {@code console.debug/log/info/warn/error},
     * uncaught exceptions and unhandled promise rejections, each tagged with the window id and the
     * script's {@code url:line:col} (see {@link ConsoleMessage}). Opt-in; without any listener the
     * messages are still logged (below). The callback runs on the desktop's callback executor (see the
     * class comment), one message at a time, in the order each window wrote them.
     *
     * <p>Every message is also logged through the {@code System.Logger} {@value #PAGE_CONSOLE_LOGGER}
     * (debug as DEBUG, log and info as INFO, warn as WARNING, error as ERROR), so that by default a
     * Java app's page console shows where its own log goes; configure that logger to silence it. Pages
     * forward nothing when {@link DesktopConfig#pageConsole()} is off. Only the app's own documents
     * (those that get {@code window.runtime}) forward their console; other documents' consoles are not
     * seen by Kiln.
     */
    public void onConsole(Consumer<ConsoleMessage> listener) {
        consoleListeners.add(listener);
    }

    /**
     * Calls back when a page tries to leave the app or open a popup: a navigation of a window's top
     * document away from the app's origin is refused (or allowed, to an origin of
     * {@link DesktopConfig#allowedOrigins()}), and {@code window.open} opens a new window for an app
     * URL and nothing otherwise (see {@link NavigationEvent}). Each is logged as well, and sent as the
     * window's {@code navigation} system event. The callback runs on the desktop's callback executor.
     */
    public void onNavigation(Consumer<NavigationEvent> listener) {
        navigationListeners.add(listener);
    }

    /**
     * Calls back when the FX thread has been busy for {@link DesktopConfig#unresponsiveAfter()}: every
     * window is frozen, usually by a page's script in a loop. Once per stall; the {@link FxStall}
     * names the window as far as it can be told. The stall is logged as well (code 7005). The
     * callback runs on the watchdog's thread ({@code kiln-fx-watchdog}) and must return quickly; it
     * may end the process, since nothing can stop a page's script (see {@link FxWatchdog}).
     */
    public void onUnresponsive(Consumer<FxStall> callback) {
        unresponsiveListeners.add(callback);
    }

    /**
     * Calls back when the FX thread answers again after a stall reported to {@link #onUnresponsive};
     * the {@link FxStall}'s duration is how long it lasted. Same thread as {@link #onUnresponsive}.
     */
    public void onResponsive(Consumer<FxStall> callback) {
        responsiveListeners.add(callback);
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
     * that may need the caller's own thread, when it is the engine's callback executor. It stops
     * waiting, with a warning, once the FX watchdog reports the FX thread stuck: then the windows
     * close only if it returns.
     */
    @Override
    public void close() {
        // the pages unload a moment after their windows close (see PageConnection#close); their last
        // sends (pagehide) reach the engine before it shuts down
        Supplier<CompletableFuture<Void>> closeAll = () -> CompletableFuture.allOf(new ArrayList<>(windows.values()).stream()
                .map(WebViewWindow::closeOnFx).toArray(CompletableFuture[]::new))
                .whenComplete((ok, error) -> shutdownRuntime());
        if (Platform.isFxApplicationThread()) {
            closeAll.get();
            return;
        }
        CompletableFuture<Void> closed = Fx.call(closeAll::get).thenCompose(f -> f);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (true) {
                try {
                    closed.get(100, TimeUnit.MILLISECONDS);
                    return;
                } catch (TimeoutException e) {
                    Optional<FxStall> stall = FxWatchdog.unresponsive();
                    if (stall.isPresent()) {
                        LOG.log(System.Logger.Level.WARNING, "[" + FxWatchdog.CODE + "] The desktop's windows cannot"
                                + " close now: " + stall.get().describe());
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        LOG.log(System.Logger.Level.WARNING, "The desktop's windows did not close within 10 s");
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "The desktop's windows did not close: " + e.getCause());
        }
    }

    // ---- Package-private ----

    BridgeProtocol protocol() {
        return protocol;
    }

    AssetServer assets() {
        return assets;
    }

    /** FX thread: Kiln's tool windows shown and not yet closed with the desktop. */
    List<ToolWindow> toolWindows() {
        return List.copyOf(toolWindows);
    }

    DesktopConfig config() {
        return config;
    }

    /** Where futures and listeners of this desktop complete (see the class comment). */
    Executor completions() {
        return completions;
    }

    /** This desktop's web data: instance slot, engines' data folder. */
    WebData webData() {
        return webData;
    }

    /**
     * Runs the task on the FX thread, once a closed window of the same id has unloaded its page
     * (see {@link PageConnection#close}): until then the engine still holds that id.
     */
    private void afterUnloadOf(String id, Runnable task) {
        Fx.later(() -> {
            CompletableFuture<Void> previous = unloading.get(id);
            if (previous == null) {
                task.run();
            } else {
                previous.whenComplete((ok, error) -> task.run()); // completes on the FX thread
            }
        });
    }

    /** FX thread: a window closed; its page unloads a moment later. */
    void windowClosed(WebViewWindow window, CompletableFuture<Void> pageUnloaded) {
        windows.remove(window.id(), window);
        assets.blobs().windowClosed(window.id()); // its one-time URLs die with it
        if (!pageUnloaded.isDone()) { // its id stays attached in the engine until then
            unloading.put(window.id(), pageUnloaded);
            pageUnloaded.whenComplete((ok, error) -> unloading.remove(window.id(), pageUnloaded));
        }
        reservedIds.remove(window.id());
        if (windows.isEmpty() && reservedIds.isEmpty() && config.exitOnLastWindowClosed()) {
            pageUnloaded.whenComplete((ok, error) -> shutdownRuntime()); // after the page's pagehide sends
        }
    }

    /** Watchdog thread: the FX thread has been stuck for this desktop's threshold. */
    void fxUnresponsive(FxStall stall) {
        unresponsiveListeners.tell(stall);
    }

    /** Watchdog thread: the FX thread answers again. */
    void fxResponsive(FxStall stall) {
        responsiveListeners.tell(stall);
    }

    /** FX thread: a page called alert(). */
    void alerted(String windowId, String text) {
        WebViewWindow window = windows.get(windowId);
        if (window == null) {
            return;
        }
        alertListeners.tell(new Alert(window, text));
    }

    /** What an {@link #onAlert} callback is told. */
    private record Alert(AppWindow window, String text) {
    }

    /** FX thread: a page's console line, already checked and made printable by {@link PageConsole}. */
    void pageConsole(ConsoleMessage message) {
        System.Logger.Level level = switch (message.level()) {
            case DEBUG -> System.Logger.Level.DEBUG;
            case LOG, INFO -> System.Logger.Level.INFO;
            case WARN -> System.Logger.Level.WARNING;
            case ERROR -> System.Logger.Level.ERROR;
        };
        if (PAGE_LOG.isLoggable(level)) {
            PAGE_LOG.log(level, message.format());
        }
        consoleListeners.tellOn(completions, message);
    }

    /** FX thread: a window's navigation policy refused, allowed or opened something. */
    void navigated(NavigationEvent event) {
        navigationListeners.tellOn(completions, event);
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
        Fx.later(() -> { // Kiln's tool windows go with the app's
            toolWindows.forEach(ToolWindow::close);
            toolWindows.clear();
        });
        ipc.shutdown();
        // Not on the engine's callback executor: that may be an app's event loop, which must not wait
        // for the asset server to stop.
        ipc.terminated().whenComplete((ok, error) -> {
            Thread stopper = new Thread(() -> {
                FxWatchdog.unwatch(this);
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
