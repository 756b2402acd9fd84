package dev.kiln.script;

import dev.kiln.ipc.Ipc;
import dev.kiln.window.AppWindow;
import dev.kiln.window.WindowOptions;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the script host needs from the windows: the engine, and windows to open and close.
 *
 * <p>The real one is {@link DesktopWindows}; tests drive the engine through in-memory renderers.
 * Threading: every method may be called from any thread and must not block.
 */
interface WindowSystem {
    Ipc ipc();

    /** Opens a window; the future completes once it is shown and attached. */
    CompletableFuture<AppWindow> createWindow(WindowOptions options);

    Optional<AppWindow> window(String id);

    /** The open windows, oldest first where the system knows the order. */
    java.util.Collection<AppWindow> windows();

    /** Closes a window: true once closed, false if no open window has that id. */
    CompletableFuture<Boolean> closeWindow(String id);

    /** The screens (runtime:window's getMonitors). */
    CompletableFuture<java.util.List<dev.kiln.window.Monitor>> monitors();

    /** Whether any window (or renderer) is still attached. */
    boolean hasOpenWindows();

    /** The real desktop behind the windows, for dialogs, menus and the tray; empty for in-memory renderers. */
    default Optional<dev.kiln.window.Desktop> desktop() {
        return Optional.empty();
    }

    /** Closes every window and shuts the engine down; idempotent. */
    void shutdown();

    /** Completes once the engine has shut down and every stream has ended. */
    CompletableFuture<Void> terminated();
}
