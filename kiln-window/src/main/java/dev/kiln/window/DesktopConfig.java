package dev.kiln.window;

import dev.kiln.ipc.IpcConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to start a {@link Desktop}.
 *
 * @param webRoot                the app's {@code web/} folder, served as {@code app://}
 * @param ipc                    the engine's settings, including the channel policy
 * @param exitOnLastWindowClosed whether closing the last window shuts the runtime down (default true)
 * @param appIdentifier          the app's identifier (such as {@code com.example.notes}): names the
 *                               app's data folder and fixes its page origin, so that web storage and
 *                               cookies persist across launches (see {@link AppDataFolder}). {@code null}
 *                               derives one from the web folder's path: {@code app-<folder>-<hash>},
 *                               where {@code <folder>} is the name of the web folder's parent (the
 *                               app's folder) and {@code <hash>} a short hash of the absolute path, so
 *                               moving the app elsewhere starts with empty storage
 * @param devUrl                 dev mode: a front-end dev server (such as {@code http://localhost:5173})
 *                               whose pages the windows show instead of {@code webRoot}'s, or {@code null}
 * @param pageConsole            whether the app's pages forward their console, uncaught exceptions and
 *                               unhandled rejections to the host (default true; see {@link Desktop#onConsole})
 * @param allowedOrigins         origins such as {@code https://example.com} that a window's top document may
 *                               navigate to, besides the app's own (default none; see {@link NavigationPolicy})
 * @param unresponsiveAfter      how long the FX thread may stay busy before the desktop reports its
 *                               windows as not responding (see {@link FxWatchdog}); at least
 *                               {@value #MIN_UNRESPONSIVE_MILLIS} ms; default
 *                               {@link #defaultUnresponsiveAfter()}
 */
public record DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed, String appIdentifier,
                            URI devUrl, boolean pageConsole, List<String> allowedOrigins, Duration unresponsiveAfter) {
    /** The system property that overrides the default of {@link #unresponsiveAfter()}, in milliseconds. */
    public static final String UNRESPONSIVE_AFTER_PROPERTY = "kiln.unresponsiveAfterMs";
    static final long MIN_UNRESPONSIVE_MILLIS = 500;
    private static final long DEFAULT_UNRESPONSIVE_MILLIS = 5_000;

    public DesktopConfig {
        Objects.requireNonNull(webRoot, "webRoot");
        ipc = ipc == null ? IpcConfig.defaults() : ipc;
        allowedOrigins = allowedOrigins == null ? List.of() : allowedOrigins.stream().map(DesktopConfig::origin).toList();
        unresponsiveAfter = unresponsiveAfter == null ? defaultUnresponsiveAfter() : unresponsiveAfter;
        if (unresponsiveAfter.toMillis() < MIN_UNRESPONSIVE_MILLIS) {
            throw new IllegalArgumentException("unresponsiveAfter must be at least " + MIN_UNRESPONSIVE_MILLIS
                    + " ms (the watchdog beats every " + FxWatchdog.BEAT_MILLIS + " ms), got " + unresponsiveAfter);
        }
        appIdentifier = appIdentifier == null ? AppDataFolder.derivedIdentifier(webRoot) : checkAppIdentifier(appIdentifier);
        if (devUrl != null) {
            checkDevUrl(devUrl);
        }
    }

    /**
     * Returns the identifier if it can name the app's data folder everywhere: 1-128 letters, digits,
     * {@code .}, {@code -} or {@code _}, starting with a letter or digit.
     *
     * @throws IllegalArgumentException saying why not
     */
    public static String checkAppIdentifier(String identifier) {
        return AppDataFolder.checkIdentifier(identifier);
    }

    /**
     * The folder where the app with this identifier keeps its data on this machine (not created here):
     * {@code <data home>/<identifier>}, the data home being {@code $KILN_DATA_HOME}, else the platform's
     * ({@code ~/.local/share/kiln} on Linux, {@code ~/Library/Application Support/kiln} on macOS,
     * {@code %APPDATA%\\kiln} on Windows).
     *
     * @throws IllegalArgumentException if the identifier cannot name a folder
     */
    public static java.nio.file.Path appDataFolder(String identifier) {
        return AppDataFolder.forApp(identifier);
    }

    /**
     * Returns the URL if it can be a dev server's: {@code http} or {@code https} with a host.
     *
     * @throws IllegalArgumentException saying why not
     */
    public static URI checkDevUrl(URI devUrl) {
        String scheme = devUrl.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || devUrl.getHost() == null) {
            throw new IllegalArgumentException("A dev server URL must be an http(s) URL such as http://localhost:5173, got: " + devUrl);
        }
        return devUrl;
    }

    /** A desktop with the page console on, no navigation outside the app and the default watchdog. */
    public DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed) {
        this(webRoot, ipc, exitOnLastWindowClosed, null, null, true, List.of(), null);
    }

    /** A desktop serving the given web folder, with default settings. */
    public static DesktopConfig of(Path webRoot) {
        return new DesktopConfig(webRoot, IpcConfig.defaults(), true);
    }

    /**
     * 5 seconds, or the milliseconds in the system property {@value #UNRESPONSIVE_AFTER_PROPERTY}
     * (which lets tests and the {@code kiln} command's users choose without code).
     */
    public static Duration defaultUnresponsiveAfter() {
        String ms = System.getProperty(UNRESPONSIVE_AFTER_PROPERTY);
        if (ms == null || ms.isBlank()) {
            return Duration.ofMillis(DEFAULT_UNRESPONSIVE_MILLIS);
        }
        try {
            return Duration.ofMillis(Long.parseLong(ms.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + UNRESPONSIVE_AFTER_PROPERTY + " must be milliseconds, got '" + ms + "'");
        }
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

    public DesktopConfig withIpc(IpcConfig ipc) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, appIdentifier, devUrl, pageConsole, allowedOrigins, unresponsiveAfter);
    }

    public DesktopConfig withExitOnLastWindowClosed(boolean exit) {
        return new DesktopConfig(webRoot, ipc, exit, appIdentifier, devUrl, pageConsole, allowedOrigins, unresponsiveAfter);
    }

    /** The app's identifier, which names its data folder and fixes its page origin. */
    public DesktopConfig withAppIdentifier(String identifier) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, Objects.requireNonNull(identifier, "identifier"), devUrl, pageConsole, allowedOrigins, unresponsiveAfter);
    }

    /** Dev mode: the windows show this dev server's pages (with the bridge) instead of the web folder's. */
    public DesktopConfig withDevUrl(URI devUrl) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, appIdentifier, devUrl, pageConsole, allowedOrigins, unresponsiveAfter);
    }

    /** Turns the pages' console forwarding on or off; off, pages get no console hook at all. */
    public DesktopConfig withPageConsole(boolean on) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, appIdentifier, devUrl, on, allowedOrigins, unresponsiveAfter);
    }

    /**
     * The origins ({@code scheme://host[:port]}) every window may navigate its top document to.
     *
     * @throws IllegalArgumentException for anything that is not an http(s) origin
     */
    public DesktopConfig withAllowedOrigins(List<String> origins) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, appIdentifier, devUrl, pageConsole, origins, unresponsiveAfter);
    }

    public DesktopConfig withUnresponsiveAfter(Duration after) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, appIdentifier, devUrl, pageConsole, allowedOrigins, Objects.requireNonNull(after, "after"));
    }
}
