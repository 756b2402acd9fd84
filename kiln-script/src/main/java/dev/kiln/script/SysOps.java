package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/**
 * The runtime:sys operations: system facts, the app's environment, the usual folders, the clipboard
 * (JavaFX's, on the FX thread), desktop notifications (the freedesktop service through
 * {@code notify-send}) and the battery (Linux's {@code /sys/class/power_supply}).
 *
 * <p>The environment is the process's at start plus the app's own changes ({@code setEnv}), which
 * the programs runtime:process starts inherit; the JVM's own environment cannot change. Threading:
 * the ops run on the loop thread; the clipboard is touched on the FX thread and notifications run on
 * the I/O executor, their outcomes reaching the script through {@link JavaPromises}.
 */
final class SysOps {
    static final String OP_SYS_INFO = "sysInfo";
    static final String OP_SYS_ENV_GET = "sysEnvGet";
    static final String OP_SYS_ENV_SET = "sysEnvSet";
    static final String OP_SYS_ENV_DELETE = "sysEnvDelete";
    static final String OP_SYS_ENV_ALL = "sysEnvAll";
    static final String OP_SYS_PATHS = "sysPaths";
    static final String OP_SYS_LOCALE = "sysLocale";
    static final String OP_SYS_CLIPBOARD_READ = "sysClipboardRead";
    static final String OP_SYS_CLIPBOARD_WRITE = "sysClipboardWrite";
    static final String OP_SYS_NOTIFY = "sysNotify";
    static final String OP_SYS_POWER = "sysPower";

    private final JavaPromises promises;
    private final ExecutorService io;
    private final Permissions permissions;
    private final String appName;
    private final Map<String, String> env = new java.util.concurrent.ConcurrentHashMap<>(System.getenv());
    private final Path cwd = Path.of("").toAbsolutePath();
    private final Path powerSupplies;

    /** @param powerSupplies Linux's {@code /sys/class/power_supply}, or another folder laid out as it is */
    SysOps(Platform platform, Path powerSupplies) {
        this.promises = platform.promises();
        this.io = platform.io();
        this.permissions = platform.permissions();
        this.appName = platform.manifest().name();
        this.powerSupplies = powerSupplies;
    }

    /** The app's environment: the process's, with the app's changes; runtime:process starts programs in it. */
    Map<String, String> env() {
        return env;
    }

    /** {@code {os, arch, hostname, cpuCount, ...}}: Forge's names for os and arch ("linux", "x86_64"). */
    @V8Function(name = OP_SYS_INFO)
    public String sysInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("os", osName());
        info.put("arch", archName());
        info.put("hostname", hostname());
        info.put("cpuCount", Runtime.getRuntime().availableProcessors());
        info.put("osVersion", System.getProperty("os.version"));
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            Map<String, Object> memory = new LinkedHashMap<>();
            memory.put("total", os.getTotalMemorySize());
            memory.put("free", os.getFreeMemorySize());
            info.put("memory", memory);
            info.put("loadAverage", os.getSystemLoadAverage() < 0 ? null : os.getSystemLoadAverage());
        }
        return Json.write(info);
    }

    @V8Function(name = OP_SYS_ENV_GET)
    public String sysEnvGet(String name) {
        permissions.checkEnvRead(name);
        return env.get(name);
    }

    @V8Function(name = OP_SYS_ENV_SET)
    public void sysEnvSet(String name, String value) {
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
            throw new KilnException(ErrorCode.INVALID_ARGUMENT, "setEnv(): '" + name + "' is not a valid environment variable name");
        }
        permissions.checkEnvWrite(name);
        env.put(name, value);
    }

    @V8Function(name = OP_SYS_ENV_DELETE)
    public void sysEnvDelete(String name) {
        permissions.checkEnvWrite(name);
        env.remove(name);
    }

    /** Every variable the manifest lets the app read, as JSON. */
    @V8Function(name = OP_SYS_ENV_ALL)
    public String sysEnvAll() {
        Map<String, String> all = new TreeMap<>();
        env.forEach((k, v) -> {
            try {
                permissions.checkEnvRead(k);
                all.put(k, v);
            } catch (KilnException e) {
                // left out: getAllEnv() gives what the app may read, not a refusal for the rest
            }
        });
        return Json.write(all);
    }

    /** {@code {cwd, home, temp}} and the usual folders ({@code appPaths}), as JSON. */
    @V8Function(name = OP_SYS_PATHS)
    public String sysPaths() {
        Map<String, Object> p = new LinkedHashMap<>();
        String home = System.getProperty("user.home");
        p.put("cwd", cwd.toString());
        p.put("home", home);
        p.put("temp", Path.of(System.getProperty("java.io.tmpdir")).toString());
        p.put("documents", userDir("DOCUMENTS", "Documents"));
        p.put("downloads", userDir("DOWNLOAD", "Downloads"));
        p.put("desktop", userDir("DESKTOP", "Desktop"));
        p.put("music", userDir("MUSIC", "Music"));
        p.put("pictures", userDir("PICTURES", "Pictures"));
        p.put("videos", userDir("VIDEOS", mac() ? "Movies" : "Videos"));
        p.put("data", baseDir("XDG_DATA_HOME", ".local/share", "Library/Application Support", "APPDATA"));
        p.put("config", baseDir("XDG_CONFIG_HOME", ".config", "Library/Preferences", "APPDATA"));
        p.put("cache", baseDir("XDG_CACHE_HOME", ".cache", "Library/Caches", "LOCALAPPDATA"));
        p.put("runtime", windows() || mac() ? null : env.get("XDG_RUNTIME_DIR"));
        return Json.write(p);
    }

    /** {@code {language, country, locale}} from the JVM's default locale. */
    @V8Function(name = OP_SYS_LOCALE)
    public String sysLocale() {
        Locale l = Locale.getDefault();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("language", l.getLanguage());
        r.put("country", l.getCountry().isEmpty() ? null : l.getCountry());
        r.put("locale", l.toLanguageTag());
        return Json.write(r);
    }

    @V8Function(name = OP_SYS_CLIPBOARD_READ)
    public void sysClipboardRead(int promiseId) {
        permissions.checkClipboard();
        promises.settleLater(promiseId, onFx(() -> {
            String s = Clipboard.getSystemClipboard().getString();
            return s == null ? "" : s;
        }), Json::write, false);
    }

    @V8Function(name = OP_SYS_CLIPBOARD_WRITE)
    public void sysClipboardWrite(int promiseId, String text) {
        permissions.checkClipboard();
        promises.settleLater(promiseId, onFx(() -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            if (!Clipboard.getSystemClipboard().setContent(c)) {
                throw new KilnException(ErrorCode.SERVICE_UNAVAILABLE, "The clipboard refused the text");
            }
            return null;
        }), v -> null, false);
    }

    /** Shows a desktop notification: {@code optionsJson} is Forge's NotifyOptions ({@code title, body?, icon?, sound?}). */
    @V8Function(name = OP_SYS_NOTIFY)
    public void sysNotify(int promiseId, String optionsJson) {
        JsonNode o = Json.read(optionsJson);
        String title = o.path("title").asText("");
        String body = o.path("body").asText("");
        String icon = o.hasNonNull("icon") ? o.get("icon").asText() : "";
        permissions.checkNotify();
        promises.settleLater(promiseId, CompletableFuture.supplyAsync(() -> {
            if (env.get("DBUS_SESSION_BUS_ADDRESS") == null && env.get("XDG_RUNTIME_DIR") == null) {
                throw unavailable(title, "no D-Bus session (DBUS_SESSION_BUS_ADDRESS and XDG_RUNTIME_DIR are unset)");
            }
            List<String> command = new ArrayList<>();
            Optional<Path> notifySend = onPath("notify-send");
            Optional<Path> gdbus = onPath("gdbus");
            if (notifySend.isPresent()) {
                command.add(notifySend.get().toString());
                command.add("--app-name=" + appName);
                if (!icon.isEmpty()) {
                    command.add("--icon=" + icon);
                }
                command.add("--");
                command.add(title);
                if (!body.isEmpty()) {
                    command.add(body);
                }
            } else if (gdbus.isPresent()) {
                // The freedesktop Notify method: app name, replaces id, icon, summary, body, actions, hints, timeout.
                command.addAll(List.of(gdbus.get().toString(), "call", "--session", "--dest", "org.freedesktop.Notifications",
                        "--object-path", "/org/freedesktop/Notifications", "--method", "org.freedesktop.Notifications.Notify",
                        "--", gvariant(appName), "0", gvariant(icon), gvariant(title), gvariant(body), "[]", "{}", "-1"));
            } else {
                throw unavailable(title, "neither notify-send nor gdbus is on the PATH");
            }
            run(command, title);
            return null;
        }, io), v -> null, false);
    }

    private static KilnException unavailable(String title, String why) {
        return new KilnException(ErrorCode.SERVICE_UNAVAILABLE, "Cannot show the notification '" + title
                + "': no notification service (" + why + ")");
    }

    /** A string as a GVariant text literal, for gdbus. */
    private static String gvariant(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** {@code {state, percentage, timeToFull, timeToEmpty}}: Forge's PowerInfo, "unknown" where the OS does not tell. */
    @V8Function(name = OP_SYS_POWER)
    public void sysPower(int promiseId) {
        permissions.checkPower();
        promises.settleLater(promiseId, CompletableFuture.supplyAsync(() -> power(powerSupplies), io), Json::write, false);
    }

    /**
     * What the power supplies under {@code powerSupplies} (laid out as Linux's /sys/class/power_supply) tell:
     * the first battery as Forge's typings name it, and every battery as Forge's runtime answers
     * ({@code has_battery}, {@code ac_connected}, {@code batteries}), which its examples read.
     */
    static Map<String, Object> power(Path powerSupplies) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("state", "unknown");
        r.put("percentage", null);
        r.put("timeToFull", null);
        r.put("timeToEmpty", null);
        List<Map<String, Object>> batteries = new ArrayList<>();
        r.put("has_battery", false);
        r.put("ac_connected", false);
        r.put("batteries", batteries);
        if (powerSupplies == null || !Files.isDirectory(powerSupplies)) {
            return r;
        }
        boolean onMains = false;
        try (var supplies = Files.list(powerSupplies)) {
            for (Path s : supplies.sorted().toList()) {
                String type = read(s.resolve("type"));
                if ("Mains".equals(type) && "1".equals(read(s.resolve("online")))) {
                    onMains = true;
                }
                if ("Battery".equals(type)) {
                    Map<String, Object> b = battery(s);
                    if (r.get("percentage") == null) {
                        r.putAll(b);
                    }
                    Map<String, Object> forge = new LinkedHashMap<>();
                    forge.put("charge_percent", b.get("percentage"));
                    forge.put("state", b.get("state"));
                    forge.put("time_to_full_secs", b.get("timeToFull"));
                    forge.put("time_to_empty_secs", b.get("timeToEmpty"));
                    batteries.add(forge);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return r; // what the OS does not tell stays unknown
        }
        r.put("has_battery", !batteries.isEmpty());
        r.put("ac_connected", onMains);
        if (r.get("percentage") == null && onMains) {
            r.put("state", "noBattery");
        }
        return r;
    }

    private static Map<String, Object> battery(Path s) throws IOException {
        String status = read(s.resolve("status"));
        String capacity = read(s.resolve("capacity"));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("state", status == null ? "unknown" : switch (status) {
            case "Charging" -> "charging";
            case "Discharging" -> "discharging";
            case "Full" -> "full";
            case "Not charging" -> "notCharging";
            default -> "unknown";
        });
        b.put("percentage", capacity == null ? null : Double.parseDouble(capacity));
        b.put("timeToFull", null);
        b.put("timeToEmpty", null);
        times(s, status, b);
        return b;
    }

    /** Time to full or to empty in seconds, from energy (µWh) and power (µW), or charge (µAh) and current (µA). */
    private static void times(Path s, String status, Map<String, Object> r) throws IOException {
        Double now = number(s, "energy_now", "charge_now");
        Double full = number(s, "energy_full", "charge_full");
        Double rate = number(s, "power_now", "current_now");
        if (now == null || rate == null || rate <= 0) {
            return;
        }
        if ("Discharging".equals(status)) {
            r.put("timeToEmpty", Math.round(now / rate * 3600));
        } else if ("Charging".equals(status) && full != null) {
            r.put("timeToFull", Math.round(Math.max(0, full - now) / rate * 3600));
        }
    }

    private static Double number(Path dir, String first, String second) throws IOException {
        String v = read(dir.resolve(first));
        if (v == null) {
            v = read(dir.resolve(second));
        }
        return v == null ? null : Double.parseDouble(v);
    }

    private static String read(Path p) throws IOException {
        return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8).trim() : null;
    }

    private void run(List<String> command, String title) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<byte[]> errText = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            }, io);
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new KilnException(ErrorCode.SERVICE_UNAVAILABLE, "Cannot show the notification '" + title
                        + "': the notification service did not answer in 30 s");
            }
            if (p.exitValue() != 0) {
                String why = new String(errText.join(), StandardCharsets.UTF_8).trim();
                throw new KilnException(ErrorCode.SERVICE_UNAVAILABLE, "Cannot show the notification '" + title
                        + "': " + Path.of(command.get(0)).getFileName() + " failed (exit " + p.exitValue()
                        + (why.isEmpty() ? "" : ": " + why) + ")");
            }
        } catch (IOException e) {
            throw new KilnException(ErrorCode.SERVICE_UNAVAILABLE, "Cannot show the notification '" + title + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException(ErrorCode.SERVICE_UNAVAILABLE, "Cannot show the notification '" + title + "': interrupted", e);
        }
    }

    /** A program on the app's PATH. */
    private Optional<Path> onPath(String program) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, program);
                if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code task} on the FX thread, starting the toolkit if no window has. Without a display
     * there is no clipboard: a coded error rather than the toolkit's crash.
     */
    private static <T> CompletableFuture<T> onFx(java.util.concurrent.Callable<T> task) {
        if (!windows() && !mac() && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            return CompletableFuture.failedFuture(new KilnException(ErrorCode.SERVICE_UNAVAILABLE,
                    "There is no clipboard: no display (DISPLAY and WAYLAND_DISPLAY are unset)"));
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable run = () -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        };
        try {
            javafx.application.Platform.runLater(run);
        } catch (IllegalStateException notStarted) {
            try {
                javafx.application.Platform.startup(run);
            } catch (IllegalStateException startedMeanwhile) {
                javafx.application.Platform.runLater(run);
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                f.completeExceptionally(new KilnException(ErrorCode.SERVICE_UNAVAILABLE,
                        "There is no clipboard: the display cannot be opened (" + e.getMessage() + ")", e));
            }
        }
        return f;
    }

    private String userDir(String xdgName, String fallback) {
        String home = System.getProperty("user.home");
        if (!windows() && !mac()) {
            // ~/.config/user-dirs.dirs holds lines such as XDG_DOCUMENTS_DIR="$HOME/Documents"
            String config = env.getOrDefault("XDG_CONFIG_HOME", home + "/.config");
            try {
                for (String line : Files.readAllLines(Path.of(config, "user-dirs.dirs"))) {
                    String prefix = "XDG_" + xdgName + "_DIR=";
                    if (line.startsWith(prefix)) {
                        String v = line.substring(prefix.length()).replace("\"", "").replace("$HOME", home);
                        return Path.of(v).toString();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no user-dirs file: the usual names under home
            }
        }
        Path p = Path.of(home, fallback);
        return Files.isDirectory(p) ? p.toString() : null;
    }

    private String baseDir(String xdg, String linux, String macos, String windowsVar) {
        String home = System.getProperty("user.home");
        if (windows()) {
            return env.get(windowsVar);
        }
        if (mac()) {
            return Path.of(home, macos).toString();
        }
        String v = env.get(xdg);
        return v != null && Path.of(v).isAbsolute() ? v : Path.of(home, linux).toString();
    }

    static String osName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macos" : os.startsWith("linux") ? "linux" : os;
    }

    static String archName() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "x86";
            default -> arch;
        };
    }

    private String hostname() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname"); // Linux: no name lookup on the loop thread
            if (Files.isReadable(kernel)) {
                return Files.readString(kernel).trim();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String h = env.get("HOSTNAME");
            return h != null ? h : "localhost";
        }
    }

    private static boolean windows() {
        return osName().equals("windows");
    }

    private static boolean mac() {
        return osName().equals("macos");
    }
}
