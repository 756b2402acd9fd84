package dev.kiln.window;

import dev.kiln.ipc.IpcConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to start a {@link Desktop}.
 *
 * @param webRoot                the app's {@code web/} folder, served as {@code app://}
 * @param ipc                    the engine's settings, including the channel policy
 * @param exitOnLastWindowClosed whether closing the last window shuts the runtime down (default true)
 * @param pageConsole            whether the app's pages forward their console, uncaught exceptions and
 *                               unhandled rejections to the host (default true; see {@link Desktop#onConsole})
 * @param allowedOrigins         origins such as {@code https://example.com} that a window's top document may
 *                               navigate to, besides the app's own (default none; see {@link NavigationPolicy})
 */
public record DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed, boolean pageConsole,
                            List<String> allowedOrigins) {

    public DesktopConfig {
        Objects.requireNonNull(webRoot, "webRoot");
        ipc = ipc == null ? IpcConfig.defaults() : ipc;
        allowedOrigins = allowedOrigins == null ? List.of() : allowedOrigins.stream().map(DesktopConfig::origin).toList();
    }

    /** A desktop with the page console on and no navigation outside the app. */
    public DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed) {
        this(webRoot, ipc, exitOnLastWindowClosed, true, List.of());
    }

    /** A desktop serving the given web folder, with default settings. */
    public static DesktopConfig of(Path webRoot) {
        return new DesktopConfig(webRoot, IpcConfig.defaults(), true);
    }

    public DesktopConfig withIpc(IpcConfig ipc) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, pageConsole, allowedOrigins);
    }

    public DesktopConfig withExitOnLastWindowClosed(boolean exit) {
        return new DesktopConfig(webRoot, ipc, exit, pageConsole, allowedOrigins);
    }

    /** Turns the pages' console forwarding on or off; off, pages get no console hook at all. */
    public DesktopConfig withPageConsole(boolean on) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, on, allowedOrigins);
    }

    /**
     * An origin as {@link #allowedOrigins()} holds it: {@code scheme://host[:port]} in lower case, without
     * the default port.
     *
     * @throws IllegalArgumentException for anything that is not an http or https origin (with a path, a query...)
     */
    public static String origin(String text) {
        return NavigationPolicy.checkOrigin(text);
    }

    /**
     * The origins ({@code scheme://host[:port]}) every window may navigate its top document to.
     *
     * @throws IllegalArgumentException for anything that is not an http(s) origin
     */
    public DesktopConfig withAllowedOrigins(List<String> origins) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, pageConsole, origins);
    }
}
