package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import dev.kiln.window.AppWindow;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The ops behind {@code runtime:app} (bootstrap {@code 10-app.js}) and {@code Deno.exit}: the app's
 * identity and folders, ending and relaunching it, its windows as a whole, and the single-instance lock.
 *
 * <p>Threading: loop thread only, but for the lock, which its worker takes and releases under this
 * object's monitor.
 */
final class AppOps implements AutoCloseable {
    static final String OP_APP_EXIT = "appExit";
    static final String OP_APP_QUIT = "appQuit";
    static final String OP_APP_RELAUNCH = "appRelaunch";
    static final String OP_APP_INFO = "appInfo";
    static final String OP_APP_PATH = "appPath";
    static final String OP_APP_WINDOWS = "appWindows";
    static final String OP_APP_LOCK = "appLock";
    static final String OP_APP_BADGE = "appBadge";

    /** The lock file in the app's data folder: whoever holds a lock on it is the app's first instance. */
    static final String LOCK_FILE = "single-instance.lock";

    private final Platform platform;
    private final Supplier<List<AppWindow>> windows;
    private final Set<String> hiddenByApp = new LinkedHashSet<>(); // hide() remembers, show() brings back
    private boolean badgeWarned;
    private FileLock lock; // guarded by this; its channel is the open lock file

    /**
     * @param windows the app's open windows, oldest first
     */
    AppOps(Platform platform, Supplier<List<AppWindow>> windows) {
        this.platform = platform;
        this.windows = windows;
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

    /** Ends this run as quit does, then runs the app again from main.ts (see ScriptApp#run). */
    @V8Function(name = OP_APP_RELAUNCH)
    public void relaunch() {
        platform.relaunchApp().run();
    }

    /**
     * The app's windows as a whole: {@code focus} the oldest visible one, {@code hide} every visible
     * one (remembered), {@code show} those that hide() hid and that are still open.
     */
    @V8Function(name = OP_APP_WINDOWS)
    public void windows(int promiseId, String action) {
        List<AppWindow> open = windows.get();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        switch (action) {
            case "focus" -> open.stream().filter(AppWindow::isVisible).findFirst().ifPresent(w -> done.add(w.focus()));
            case "hide" -> open.stream().filter(AppWindow::isVisible).forEach(w -> {
                hiddenByApp.add(w.id());
                done.add(w.hide());
            });
            case "show" -> {
                open.stream().filter(w -> hiddenByApp.contains(w.id())).forEach(w -> done.add(w.show()));
                hiddenByApp.clear();
            }
            default -> throw new IllegalArgumentException(action);
        }
        platform.promises().settleLater(promiseId, CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)),
                v -> null, false);
    }

    /**
     * Takes ({@code acquire}) or gives back the single-instance lock: settles with whether this
     * process holds it. The operating system's file lock, so a crashed instance leaves none behind.
     */
    @V8Function(name = OP_APP_LOCK)
    public void lock(int promiseId, boolean acquire) {
        Path file = platform.folders().data().resolve(LOCK_FILE);
        platform.async(promiseId, () -> acquire ? acquireLock(file) : releaseLock(), Json::write);
    }

    private synchronized boolean acquireLock(Path file) throws IOException {
        if (lock != null) {
            return true;
        }
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = channel.tryLock();
        } catch (OverlappingFileLockException e) { // another runtime in this JVM holds it
            taken = null;
        }
        if (taken == null) {
            channel.close();
            return false;
        }
        channel.truncate(0).write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(
                java.nio.charset.StandardCharsets.US_ASCII)));
        lock = taken;
        return true;
    }

    private synchronized boolean releaseLock() throws IOException {
        if (lock != null) {
            lock.channel().close(); // closing the channel releases its lock
            lock = null;
        }
        return false;
    }

    /** Gives the lock back when the runtime closes (a relaunch, or another app in this JVM, may take it). */
    @Override
    public synchronized void close() throws IOException {
        releaseLock();
    }

    /**
     * setBadgeCount: Kiln shows no count on the app's icon (JavaFX has no API for it, and on Linux only
     * some docks read Unity's launcher signal), so the first call says so once; the script keeps the count.
     */
    @V8Function(name = OP_APP_BADGE)
    public void badge(int count) {
        if (!badgeWarned) {
            badgeWarned = true;
            platform.err().println("warning: setBadgeCount(" + count + "): Kiln shows no badge on the app's icon on"
                    + " this platform; the count is kept for getBadgeCount()");
            platform.err().flush();
        }
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
