package dev.kiln.window;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where an app keeps its data on this machine: {@code <data home>/<app identifier>/}.
 *
 * <p>The data home is, in this order: the system property {@value #PROPERTY} or the environment
 * variable {@value #ENV} (used as is: tests point it at a temporary folder); on Linux and other
 * Unix systems {@code $XDG_DATA_HOME/kiln} or {@code ~/.local/share/kiln}; on macOS
 * {@code ~/Library/Application Support/kiln}; on Windows {@code %APPDATA%\kiln}.
 *
 * <p>Inside the app's folder, each running instance has its slot folder (see {@link InstanceSlot}).
 * Stateless; any thread.
 */
final class AppDataFolder {
    static final String PROPERTY = "kiln.data.home";
    static final String ENV = "KILN_DATA_HOME";
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private AppDataFolder() {
    }

    /** The app's data folder (not created here). */
    static Path forApp(String identifier) {
        return home().resolve(checkIdentifier(identifier));
    }

    static Path home() {
        String override = System.getProperty(PROPERTY);
        if (override == null || override.isBlank()) {
            override = System.getenv(ENV);
        }
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        Path userHome = Path.of(System.getProperty("user.home"));
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = System.getenv("APPDATA");
            return (appData != null && !appData.isBlank() ? Path.of(appData) : userHome.resolve("AppData").resolve("Roaming")).resolve("kiln");
        }
        if (os.startsWith("mac")) {
            return userHome.resolve("Library").resolve("Application Support").resolve("kiln");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && Path.of(xdg).isAbsolute()) { // the XDG spec: a relative value is ignored
            return Path.of(xdg).resolve("kiln");
        }
        return userHome.resolve(".local").resolve("share").resolve("kiln");
    }

    /**
     * The identifier itself if it can name a folder everywhere: letters, digits, dots, dashes and
     * underscores, starting with a letter or digit, at most 128 characters.
     *
     * @throws IllegalArgumentException otherwise
     */
    static String checkIdentifier(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches() || identifier.contains("..")) {
            throw new IllegalArgumentException("An app identifier must be 1-128 letters, digits, '.', '-' or '_', starting with a"
                    + " letter or digit (such as com.example.notes), got: " + identifier);
        }
        return identifier;
    }

    /** {@code app-<folder>-<hash>}: see {@link DesktopConfig#appIdentifier()}. */
    static String derivedIdentifier(Path webRoot) {
        Path absolute = webRoot.toAbsolutePath().normalize();
        Path appFolder = absolute.getParent() != null && absolute.getParent().getFileName() != null ? absolute.getParent() : absolute;
        String name = appFolder.getFileName() == null ? "root" : appFolder.getFileName().toString();
        name = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("\\.{2,}", "_");
        if (name.length() > 64) {
            name = name.substring(0, 64);
        }
        return "app-" + name + "-" + hex(absolute.toString()).substring(0, 10);
    }

    static String hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
