package dev.kiln.window;

import dev.kiln.ipc.IpcConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start a {@link Desktop}.
 *
 * @param webRoot                the app's {@code web/} folder, served as {@code app://}
 * @param ipc                    the engine's settings, including the channel policy
 * @param exitOnLastWindowClosed whether closing the last window shuts the runtime down (default true)
 * @param pageConsole            whether the app's pages forward their console, uncaught exceptions and
 *                               unhandled rejections to the host (default true; see {@link Desktop#onConsole})
 */
public record DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed, boolean pageConsole) {

    public DesktopConfig {
        Objects.requireNonNull(webRoot, "webRoot");
        ipc = ipc == null ? IpcConfig.defaults() : ipc;
    }

    /** A desktop with the page console on. */
    public DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed) {
        this(webRoot, ipc, exitOnLastWindowClosed, true);
    }

    /** A desktop serving the given web folder, with default settings. */
    public static DesktopConfig of(Path webRoot) {
        return new DesktopConfig(webRoot, IpcConfig.defaults(), true);
    }

    public DesktopConfig withIpc(IpcConfig ipc) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, pageConsole);
    }

    public DesktopConfig withExitOnLastWindowClosed(boolean exit) {
        return new DesktopConfig(webRoot, ipc, exit, pageConsole);
    }

    /** Turns the pages' console forwarding on or off; off, pages get no console hook at all. */
    public DesktopConfig withPageConsole(boolean on) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, on);
    }
}
