package dev.kiln.script;

import dev.kiln.ipc.Ipc;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.window.AppWindow;
import dev.kiln.window.Desktop;
import dev.kiln.window.DesktopConfig;
import dev.kiln.window.WindowOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** Real JavaFX windows for a script, through kiln-window's {@link Desktop}. Thread-safe, as Desktop is; never blocks. */
final class DesktopWindows implements WindowSystem {
    private final Desktop desktop;
    private final AtomicBoolean closing = new AtomicBoolean();

    /**
     * Starts the desktop for the app's manifest (identifier, dev server, allowed origins); with
     * {@code pageConsole}, the pages' console lines are printed on {@code err}.
     */
    DesktopWindows(Path webRoot, IpcConfig ipcConfig, AppManifest manifest, boolean pageConsole, java.io.PrintStream err) {
        this.desktop = Desktop.start(new DesktopConfig(webRoot, ipcConfig, true, manifest.identifier(), manifest.devUrl(),
                pageConsole, manifest.allowedOrigins(), null));
        if (pageConsole) {
            desktop.onConsole(m -> err.println(m.format())); // on the script's loop, in order
        }
    }

    @Override
    public Ipc ipc() {
        return desktop.ipc();
    }

    @Override
    public CompletableFuture<AppWindow> createWindow(WindowOptions options) {
        return desktop.createWindow(options);
    }

    @Override
    public Optional<AppWindow> window(String id) {
        return desktop.window(id);
    }

    @Override
    public java.util.Collection<AppWindow> windows() {
        return desktop.windows();
    }

    @Override
    public CompletableFuture<Boolean> closeWindow(String id) {
        return desktop.closeWindow(id);
    }

    @Override
    public CompletableFuture<java.util.List<dev.kiln.window.Monitor>> monitors() {
        return desktop.monitors();
    }

    @Override
    public Optional<Desktop> desktop() {
        return Optional.of(desktop);
    }

    @Override
    public boolean hasOpenWindows() {
        return desktop.windows().stream().anyMatch(w -> !w.isClosed());
    }

    @Override
    public void shutdown() {
        if (closing.compareAndSet(false, true)) {
            // Desktop.close() waits for the engine to finish, which completes on the script loop:
            // calling it from the loop would stall the loop, so it runs on a thread of its own.
            Thread t = new Thread(desktop::close, "kiln-desktop-close");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public CompletableFuture<Void> terminated() {
        return desktop.terminated();
    }
}
