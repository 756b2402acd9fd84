package dev.kiln.script;

import dev.kiln.window.DesktopConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The folders a running app's platform modules use, and the roots its permission patterns may start
 * with ({@code $APPDIR}, {@code $APPDATA}, {@code $HOME}, {@code $TEMP}).
 *
 * @param appDir the app folder (where {@code manifest.app.toml} is); relative paths resolve against it
 * @param data   the app's data folder on this machine ({@link DesktopConfig#appDataFolder}); may not exist yet
 * @param home   the user's home folder
 * @param temp   the system's temporary folder
 */
record AppFolders(Path appDir, Path data, Path home, Path temp) {

    static AppFolders of(Path appDir, String identifier) {
        return new AppFolders(appDir.toAbsolutePath().normalize(), DesktopConfig.appDataFolder(identifier),
                Path.of(System.getProperty("user.home")).toAbsolutePath(),
                Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath());
    }

    /** Where runtime:log writes the app's log files. */
    Path logs() {
        return data.resolve("logs");
    }

    /** Where runtime:storage keeps the app's key-value store. */
    Path storage() {
        return data.resolve("storage");
    }

    /** The pattern roots, by name without the {@code $}. */
    Map<String, Path> roots() {
        return Map.of("APPDIR", appDir, "APPDATA", data, "HOME", home, "TEMP", temp);
    }
}
