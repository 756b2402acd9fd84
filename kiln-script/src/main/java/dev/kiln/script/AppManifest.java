package dev.kiln.script;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.kiln.ipc.ChannelPolicy;
import dev.kiln.window.DesktopConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An app's {@code manifest.app.toml}: its identity, window defaults and channel capabilities.
 *
 * @param name       {@code [app] name}, shown to people
 * @param identifier {@code [app] identifier}, such as {@code dev.kiln.examples.complete}
 * @param version    {@code [app] version}
 * @param windows    the {@code [windows]} defaults for {@code createWindow}
 * @param channels   the {@code [capabilities.channels]} policy, or {@code null} when the manifest has
 *                   none (then every channel is allowed)
 * @param warnings   problems that do not stop the app, such as unknown keys
 * @param allowedOrigins the {@code [navigation] allowed} origins (such as {@code https://example.com}) that a
 *                   window may navigate to besides the app's own pages, normalized; empty by default

 * @param devUrl     {@code [build] devUrl}: a front-end dev server (such as {@code http://localhost:5173})
 *                   whose pages the windows show instead of {@code web/}'s, or {@code null}
 * @param permissions the {@code [permissions]} table: what the platform modules may reach (nothing by default)

 */
public record AppManifest(String name, String identifier, String version, WindowDefaults windows,
                          ChannelPolicy channels, List<String> warnings, List<String> allowedOrigins, URI devUrl,
                          AppPermissions permissions) {

    /** The manifest's file name inside an app folder. */
    public static final String FILE_NAME = "manifest.app.toml";

    private static final Set<String> APP_KEYS = Set.of("name", "identifier", "version", "description");
    private static final Set<String> WINDOW_KEYS = Set.of("width", "height", "resizable", "title", "decorations",
            "minWidth", "minHeight");
    private static final Set<String> CHANNEL_KEYS = Set.of("allowed", "denied");
    private static final Set<String> NAVIGATION_KEYS = Set.of("allowed");
    private static final Set<String> BUILD_KEYS = Set.of("devUrl");

    /**
     * The defaults that {@code createWindow} applies to options the script leaves unset.
     *
     * @param width     default width in pixels
     * @param height    default height in pixels
     * @param resizable whether windows may be resized by default
     * @param title       default title bar text ({@code ""} for none)
     * @param decorations whether windows have a title bar and border by default
     * @param minWidth    default smallest width in pixels, or {@code null} for none
     * @param minHeight   default smallest height in pixels, or {@code null} for none
     */
    public record WindowDefaults(int width, int height, boolean resizable, String title, boolean decorations,
                                 Integer minWidth, Integer minHeight) {
        /** Kiln's own defaults, used when the manifest has no {@code [windows]} table. */
        public static final WindowDefaults STANDARD = new WindowDefaults(800, 600, true, "", true, null, null);
    }

    public AppManifest {
        warnings = List.copyOf(warnings);
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        permissions = permissions == null ? AppPermissions.NONE : permissions;
    }

    /**
     * This manifest with another dev server URL ({@code ./kiln run --dev-url}).
     *
     * @throws AppError with {@link AppError#CONFIG} if it is not an http(s) URL
     */
    public AppManifest withDevUrl(URI url) {
        return new AppManifest(name, identifier, version, windows, channels, warnings, allowedOrigins, checkedDevUrl(url, "--dev-url"), permissions);
    }

    /** The policy the engine should enforce: the manifest's, or allow-all when it has none. */
    public ChannelPolicy effectivePolicy() {
        return channels == null ? ChannelPolicy.allowAll() : channels;
    }

    /**
     * Reads and checks the manifest of an app folder.
     *
     * @throws AppError with {@link AppError#CONFIG} when the file is missing, not TOML, or holds wrong values
     */
    public static AppManifest load(Path appDir) {
        Path file = appDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new AppError(AppError.CONFIG, "No " + FILE_NAME + " in " + appDir
                    + ": an app folder needs a manifest (see examples/complete/" + FILE_NAME + ")");
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 0 ? "" : at.getLineNr() + ":" + at.getColumnNr() + ": ";
            throw new AppError(AppError.CONFIG, FILE_NAME + ":" + where + "not valid TOML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new AppError(AppError.CONFIG, "Cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root);
    }

    static AppManifest parse(JsonNode root) {
        List<String> warnings = new ArrayList<>();
        root.fieldNames().forEachRemaining(k -> {
            if (!Set.of("app", "windows", "capabilities", "navigation", "build", "permissions").contains(k)) {
                warnings.add(FILE_NAME + ": unknown table [" + k + "] is ignored");
            }
        });
        JsonNode app = root.path("app");
        if (!app.isObject()) {
            throw bad("an [app] table with name, identifier and version is required");
        }
        warnUnknown(app, APP_KEYS, "app", warnings);
        String name = requiredString(app, "app", "name");
        String identifier = requiredString(app, "app", "identifier");
        String version = requiredString(app, "app", "version");
        try {
            DesktopConfig.checkAppIdentifier(identifier);
        } catch (IllegalArgumentException e) {
            throw bad("[app] identifier: " + e.getMessage());
        }

        WindowDefaults defaults = WindowDefaults.STANDARD;
        JsonNode windows = root.path("windows");
        if (!windows.isMissingNode()) {
            if (!windows.isObject()) {
                throw bad("[windows] must be a table");
            }
            warnUnknown(windows, WINDOW_KEYS, "windows", warnings);
            defaults = new WindowDefaults(positiveInt(windows, "width", defaults.width()),
                    positiveInt(windows, "height", defaults.height()),
                    bool(windows, "resizable", defaults.resizable()),
                    windowTitle(windows, defaults.title()),
                    bool(windows, "decorations", defaults.decorations()),
                    windows.has("minWidth") ? Integer.valueOf(positiveInt(windows, "minWidth", 1)) : defaults.minWidth(),
                    windows.has("minHeight") ? Integer.valueOf(positiveInt(windows, "minHeight", 1)) : defaults.minHeight());
        }

        ChannelPolicy policy = null;
        JsonNode caps = root.path("capabilities");
        JsonNode channels = caps.path("channels");
        if (!channels.isMissingNode()) {
            if (!channels.isObject()) {
                throw bad("[capabilities.channels] must be a table with allowed and denied lists");
            }
            warnUnknown(channels, CHANNEL_KEYS, "capabilities.channels", warnings);
            List<String> allowed = stringList(channels, "allowed");
            List<String> denied = stringList(channels, "denied");
            try {
                policy = new ChannelPolicy(channels.has("allowed") ? allowed : List.of("*"), denied);
            } catch (IllegalArgumentException e) {
                throw bad("[capabilities.channels]: " + e.getMessage());
            }
        }
        URI devUrl = null;
        JsonNode build = root.path("build");
        if (!build.isMissingNode()) {
            if (!build.isObject()) {
                throw bad("[build] must be a table");
            }
            warnUnknown(build, BUILD_KEYS, "build", warnings);
            JsonNode dev = build.get("devUrl");
            if (dev != null) {
                if (!dev.isTextual()) {
                    throw bad("[build] devUrl must be a string such as \"http://localhost:5173\", got " + dev);
                }
                devUrl = checkedDevUrl(dev.asText(), FILE_NAME + ": [build] devUrl");
            }
        }
        AppPermissions permissions = AppPermissions.parse(root, warnings);
        return new AppManifest(name, identifier, version, defaults, policy, warnings, navigation(root, warnings), devUrl, permissions);
    }

    /** {@code [navigation] allowed = ["https://example.com"]}: origins a window may leave the app for. */
    private static List<String> navigation(JsonNode root, List<String> warnings) {
        JsonNode navigation = root.path("navigation");
        if (navigation.isMissingNode()) {
            return List.of();
        }
        if (!navigation.isObject()) {
            throw bad("[navigation] must be a table with an allowed list of origins");
        }
        warnUnknown(navigation, NAVIGATION_KEYS, "navigation", warnings);
        JsonNode allowed = navigation.path("allowed");
        if (allowed.isMissingNode()) {
            return List.of();
        }
        if (!allowed.isArray()) {
            throw bad("[navigation] allowed must be a list of origins such as \"https://example.com\", got " + allowed);
        }
        List<String> origins = new ArrayList<>();
        for (JsonNode item : allowed) {
            try {
                if (!item.isTextual()) {
                    throw new IllegalArgumentException("Not an origin: " + item);
                }
                origins.add(dev.kiln.window.DesktopConfig.origin(item.asText()));
            } catch (IllegalArgumentException e) {
                throw bad("[navigation] allowed: " + e.getMessage());
            }
        }
        return origins;
    }

    private static URI checkedDevUrl(Object url, String where) {
        try {
            return DesktopConfig.checkDevUrl(url instanceof URI u ? u : new URI(url.toString()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new AppError(AppError.CONFIG, where + ": " + (e instanceof URISyntaxException ? "not a URL: " + url : e.getMessage()));
        }
    }

    private static String requiredString(JsonNode table, String tableName, String key) {
        JsonNode v = table.get(key);
        if (v == null) {
            throw bad("[" + tableName + "] " + key + " is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw bad("[" + tableName + "] " + key + " must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private static int positiveInt(JsonNode table, String key, int fallback) {
        JsonNode v = table.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw bad("[windows] " + key + " must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    private static String windowTitle(JsonNode table, String fallback) {
        JsonNode v = table.get("title");
        if (v == null) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw bad("[windows] title must be a string, got " + v);
        }
        return v.asText();
    }

    private static boolean bool(JsonNode table, String key, boolean fallback) {
        JsonNode v = table.get(key);
        if (v == null) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw bad("[windows] " + key + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static List<String> stringList(JsonNode table, String key) {
        JsonNode v = table.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw bad("[capabilities.channels] " + key + " must be a list of strings, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw bad("[capabilities.channels] " + key + " must be a list of strings, got " + item);
            }
            out.add(item.asText());
        }
        return out;
    }

    private static void warnUnknown(JsonNode table, Set<String> known, String tableName, List<String> warnings) {
        table.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                warnings.add(FILE_NAME + ": unknown key " + k + " in [" + tableName + "] is ignored");
            }
        });
    }

    static AppError bad(String what) {
        return new AppError(AppError.CONFIG, FILE_NAME + ": " + what);
    }
}
