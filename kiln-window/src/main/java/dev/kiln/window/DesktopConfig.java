package dev.kiln.window;

import dev.kiln.ipc.IpcConfig;
import java.net.URI;
import java.nio.file.Path;
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
 */
public record DesktopConfig(Path webRoot, IpcConfig ipc, boolean exitOnLastWindowClosed, String appIdentifier, URI devUrl) {

    public DesktopConfig {
        Objects.requireNonNull(webRoot, "webRoot");
        ipc = ipc == null ? IpcConfig.defaults() : ipc;
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

    /** A desktop serving the given web folder, with default settings. */
    public static DesktopConfig of(Path webRoot) {
        return new DesktopConfig(webRoot, IpcConfig.defaults(), true, null, null);
    }

    public DesktopConfig withIpc(IpcConfig ipc) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, appIdentifier, devUrl);
    }

    public DesktopConfig withExitOnLastWindowClosed(boolean exit) {
        return new DesktopConfig(webRoot, ipc, exit, appIdentifier, devUrl);
    }

    public DesktopConfig withAppIdentifier(String identifier) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, Objects.requireNonNull(identifier, "identifier"), devUrl);
    }

    public DesktopConfig withDevUrl(URI devUrl) {
        return new DesktopConfig(webRoot, ipc, exitOnLastWindowClosed, appIdentifier, devUrl);
    }
}
