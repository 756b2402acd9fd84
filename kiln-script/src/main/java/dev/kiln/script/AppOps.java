package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ops behind {@code runtime:app} (bootstrap {@code 10-app.js}) and {@code Deno.exit}: the app's
 * identity and folders, and ending it.
 *
 * <p>Threading: loop thread only.
 */
final class AppOps {
    static final String OP_APP_EXIT = "appExit";
    static final String OP_APP_QUIT = "appQuit";
    static final String OP_APP_INFO = "appInfo";
    static final String OP_APP_PATH = "appPath";

    private final Platform platform;

    AppOps(Platform platform) {
        this.platform = platform;
    }

    /** Ends the app now with {@code code}: V8 stops the script where it is. */
    @V8Function(name = OP_APP_EXIT)
    public void exit(int code) {
        platform.exitApp().accept(code);
    }

    @V8Function(name = OP_APP_QUIT)
    public void quit() {
        platform.quitApp().run();
    }

    /** Name, version, identifier and locale, as JSON. */
    @V8Function(name = OP_APP_INFO)
    public String info() {
        AppManifest m = platform.manifest();
        Locale locale = Locale.getDefault();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", m.name());
        out.put("version", m.version());
        out.put("identifier", m.identifier());
        out.put("language", locale.getLanguage());
        out.put("country", locale.getCountry().isEmpty() ? null : locale.getCountry());
        out.put("locale", locale.toLanguageTag());
        return Json.write(out);
    }

    /** One of Forge's path types, such as {@code appData} or {@code documents}. */
    @V8Function(name = OP_APP_PATH)
    public String path(String type) {
        AppFolders f = platform.folders();
        Path home = f.home();
        Path p = switch (type) {
            case "home" -> home;
            case "appData" -> f.data();
            case "logs" -> f.logs();
            case "temp" -> f.temp();
            case "resources" -> f.appDir();
            case "cache" -> cacheHome(home).resolve(platform.manifest().identifier());
            case "exe" -> Path.of(ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            case "documents" -> userDir(home, "DOCUMENTS", "Documents");
            case "downloads" -> userDir(home, "DOWNLOAD", "Downloads");
            case "desktop" -> userDir(home, "DESKTOP", "Desktop");
            case "music" -> userDir(home, "MUSIC", "Music");
            case "pictures" -> userDir(home, "PICTURES", "Pictures");
            case "videos" -> userDir(home, "VIDEOS", "Videos");
            default -> throw new KilnException(ErrorCode.INVALID_ARGUMENT, "getPath(): unknown path type '" + type
                    + "'; use home, appData, documents, downloads, desktop, music, pictures, videos, temp, exe, resources, logs or cache");
        };
        return p.toString();
    }

    /** The XDG user folder ({@code ~/.config/user-dirs.dirs}) on Linux, else {@code ~/<fallback>}. */
    private static Path userDir(Path home, String xdgName, String fallback) {
        Path dirs = home.resolve(".config/user-dirs.dirs");
        if (java.nio.file.Files.isRegularFile(dirs)) {
            try {
                for (String line : java.nio.file.Files.readAllLines(dirs)) {
                    String prefix = "XDG_" + xdgName + "_DIR=";
                    if (line.startsWith(prefix)) {
                        String value = line.substring(prefix.length()).replace("\"", "").replace("$HOME", home.toString());
                        return Path.of(value);
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // unreadable: the usual name
            }
        }
        return home.resolve(fallback);
    }

    private static Path cacheHome(Path home) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = System.getenv("LOCALAPPDATA");
            return (local != null ? Path.of(local) : home.resolve("AppData/Local")).resolve("kiln").resolve("cache");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library/Caches/kiln");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache")).resolve("kiln");
    }
}
