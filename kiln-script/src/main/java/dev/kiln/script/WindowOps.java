package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import dev.kiln.window.AppWindow;
import dev.kiln.window.Monitor;
import dev.kiln.window.WindowOptions;
import dev.kiln.window.Position;
import dev.kiln.window.Size;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime:window operations the bootstrap JavaScript calls: create and close windows, and the handle's methods.
 *
 * <p>Options follow the Java {@link WindowOptions}; what the script leaves unset comes from the
 * manifest's {@code [windows]} table. Threading: called by V8 on the loop thread only.
 */
final class WindowOps {
    private static final Set<String> OPTIONS = Set.of("id", "url", "title", "width", "height", "x", "y",
            "resizable", "visible", "alwaysOnTop", "minWidth", "minHeight", "maxWidth", "maxHeight", "channels",
            "decorations", "transparent", "devtools");

    private final JavaPromises promises;
    private final java.io.PrintStream err;
    private final WindowSystem windows;
    private final AppManifest.WindowDefaults defaults;
    // The windows this script created, so that their handles keep answering after they close (the
    // window system forgets closed windows). A closed window is kept only as its last state, not as
    // the window itself, so that its WebView can be collected.
    private final Map<String, AppWindow> open = new java.util.LinkedHashMap<>(); // oldest first
    private final Map<String, LastState> closed = new HashMap<>();

    /** What a closed window's handle still reports. */
    private record LastState(String title, Size size, Position position, boolean resizable, boolean decorations,
                             boolean alwaysOnTop) {
    }

    WindowOps(JavaPromises promises, WindowSystem windows, AppManifest.WindowDefaults defaults, java.io.PrintStream err) {
        this.promises = promises;
        this.err = err;
        this.windows = windows;
        this.defaults = defaults;
    }

    @V8Function(name = ScriptProtocol.OP_WINDOW_CREATE)
    public void windowCreate(int promiseId, String optionsJson) {
        WindowOptions options;
        try {
            options = options(Json.read(optionsJson));
        } catch (IllegalArgumentException e) { // a bad option is the caller's mistake, as a duplicate id
            throw new KilnException(ErrorCode.CHANNEL_SEND, e.getMessage(), e);
        }
        forgetClosed();
        promises.settleLater(promiseId, windows.createWindow(options).exceptionally(WindowOps::coded), w -> {
            open.put(w.id(), w);
            return Json.write(Map.of("id", w.id()));
        }, false);
    }

    /** The windows this script created that are still open, oldest first. */
    List<AppWindow> openWindows() {
        forgetClosed();
        return List.copyOf(open.values());
    }

    @V8Function(name = ScriptProtocol.OP_WINDOW_CLOSE)
    public void windowClose(int promiseId, String id) {
        promises.settleLater(promiseId, windows.closeWindow(id), Json::write, false);
    }

    @V8Function(name = ScriptProtocol.OP_WINDOW_MONITORS)
    public void windowMonitors(int promiseId) {
        promises.settleLater(promiseId, windows.monitors(), list -> Json.write(list.stream().map(WindowOps::monitor).toList()), false);
    }

    /** A monitor as runtime:window's MonitorInfo: Forge's fields (name, position, size, scaleFactor, isPrimary) plus id and workArea. */
    private static Map<String, Object> monitor(Monitor m) {
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("id", m.id());
        o.put("name", m.name());
        o.put("position", m.position());
        o.put("size", m.size());
        o.put("workArea", m.workArea());
        o.put("scaleFactor", m.scaleFactor());
        o.put("isPrimary", m.primary());
        return o;
    }

    /**
     * A window handle's method: settles promise {@code promiseId} with its result as JSON text once
     * the window has applied it (setters) or at once (getters, from the window's cached state).
     */
    @V8Function(name = ScriptProtocol.OP_WINDOW_CALL)
    public void windowCall(int promiseId, String id, String method, String argsJson) {
        promises.settleLater(promiseId, call(id, method, Json.read(argsJson)), r -> r == null ? null : Json.write(r), false);
    }

    private CompletableFuture<?> call(String id, String method, JsonNode args) {
        forgetClosed();
        LastState last = closed.get(id);
        if (last != null) {
            if (method.equals("evalJs") || method.equals("injectCss")) {
                throw KilnException.windowNotFound(id, "it was closed");
            }
            return CompletableFuture.completedFuture(closedAnswer(last, method));
        }
        AppWindow w = open.containsKey(id) ? open.get(id) : windows.window(id).orElseThrow(() -> KilnException.windowNotFound(id));
        return switch (method) {
            case "close" -> w.close();
            case "isClosed" -> done(w.isClosed());
            case "setTitle" -> w.setTitle(args.path(0).asText());
            case "getTitle" -> done(w.getTitle());
            case "setSize" -> w.setSize(positive(args.path(0), "width"), positive(args.path(1), "height"));
            case "getSize" -> done(w.getSize());
            case "setPosition" -> w.setPosition(integer(args.path(0), "x"), integer(args.path(1), "y"));
            case "getPosition" -> done(w.getPosition());
            case "setMinSize" -> w.setMinSize(positive(args.path(0), "width"), positive(args.path(1), "height"));
            case "setMaxSize" -> w.setMaxSize(positive(args.path(0), "width"), positive(args.path(1), "height"));
            case "center" -> w.center();
            case "focus" -> w.focus();
            case "show" -> w.show();
            case "hide" -> w.hide();
            case "setVisible" -> w.setVisible(flag(args.path(0), "visible"));
            case "isVisible" -> done(w.isVisible());
            case "isFocused" -> done(w.isFocused());
            case "minimize" -> w.minimize();
            case "maximize" -> w.maximize();
            case "unmaximize" -> w.unmaximize();
            case "restore" -> w.restore();
            case "isMinimized" -> done(w.isMinimized());
            case "isMaximized" -> done(w.isMaximized());
            case "setFullscreen" -> w.setFullscreen(flag(args.path(0), "fullscreen"));
            case "isFullscreen" -> done(w.isFullscreen());
            case "setResizable" -> w.setResizable(flag(args.path(0), "resizable"));
            case "isResizable" -> done(w.isResizable());
            case "setDecorations" -> w.setDecorations(flag(args.path(0), "decorations"));
            case "hasDecorations" -> done(w.hasDecorations());
            case "setAlwaysOnTop" -> w.setAlwaysOnTop(flag(args.path(0), "alwaysOnTop"));
            case "isAlwaysOnTop" -> done(w.isAlwaysOnTop());
            case "evalJs" -> w.evalJs(script(args.path(0), "evalJs")).thenApply(Json::read);
            case "injectCss" -> w.injectCss(script(args.path(0), "injectCss"));
            default -> throw new IllegalArgumentException("Unknown window method " + method);
        };
    }

    private static CompletableFuture<Object> done(Object value) {
        return CompletableFuture.completedFuture(value);
    }

    /**
     * createWindow's failures as the script sees them: a bad option (IllegalArgumentException) is the
     * caller's mistake, 7000; kiln-window's own coded errors (duplicate id, shutdown) keep their code.
     */
    static <T> T coded(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (cause instanceof IllegalArgumentException) {
            throw new KilnException(ErrorCode.CHANNEL_SEND, cause.getMessage(), cause);
        }
        throw error instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(error);
    }

    /** Whether this script created a window with that id that has closed since. */
    boolean isClosed(String id) {
        forgetClosed();
        return closed.containsKey(id);
    }

    private void forgetClosed() {
        for (var it = open.entrySet().iterator(); it.hasNext(); ) {
            AppWindow w = it.next().getValue();
            if (w.isClosed()) {
                closed.put(w.id(), new LastState(w.getTitle(), w.getSize(), w.getPosition(), w.isResizable(),
                        w.hasDecorations(), w.isAlwaysOnTop()));
                it.remove();
            }
        }
    }

    /** A closed window's handle: getters give its last state, {@code close()} false, everything else does nothing. */
    private static Object closedAnswer(LastState last, String method) {
        return switch (method) {
            case "isClosed" -> true;
            case "close", "isVisible", "isFocused", "isMinimized", "isMaximized", "isFullscreen" -> false;
            case "getTitle" -> last.title();
            case "getSize" -> last.size();
            case "getPosition" -> last.position();
            case "isResizable" -> last.resizable();
            case "hasDecorations" -> last.decorations();
            case "isAlwaysOnTop" -> last.alwaysOnTop();
            default -> null;
        };
    }

    WindowOptions options(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("createWindow() takes an options object");
        }
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!OPTIONS.contains(key)) {
                err.println("warning: createWindow(): unknown option '" + key + "' is ignored");
            }
        }
        WindowOptions.Builder b = WindowOptions.builder()
                .width(defaults.width()).height(defaults.height()).resizable(defaults.resizable())
                .title(defaults.title()).decorations(defaults.decorations())
                .minWidth(defaults.minWidth()).minHeight(defaults.minHeight());
        if (has(o, "id")) b.id(text(o, "id"));
        if (has(o, "url")) b.url(text(o, "url"));
        if (has(o, "title")) b.title(text(o, "title"));
        if (has(o, "width")) b.width(positive(o.get("width"), "width"));
        if (has(o, "height")) b.height(positive(o.get("height"), "height"));
        if (has(o, "x")) b.x(integer(o.get("x"), "x"));
        if (has(o, "y")) b.y(integer(o.get("y"), "y"));
        if (has(o, "resizable")) b.resizable(bool(o, "resizable"));
        if (has(o, "visible")) b.visible(bool(o, "visible"));
        if (has(o, "alwaysOnTop")) b.alwaysOnTop(bool(o, "alwaysOnTop"));
        if (has(o, "decorations")) b.decorations(bool(o, "decorations"));
        if (has(o, "transparent")) b.transparent(bool(o, "transparent"));
        if (has(o, "devtools")) b.devtools(bool(o, "devtools"));
        if (has(o, "transparent") && bool(o, "transparent") && has(o, "decorations") && bool(o, "decorations")) {
            err.println("warning: createWindow(): a transparent window has no decorations; decorations: true is ignored");
        }
        if (has(o, "minWidth")) b.minWidth(positive(o.get("minWidth"), "minWidth"));
        if (has(o, "minHeight")) b.minHeight(positive(o.get("minHeight"), "minHeight"));
        if (has(o, "maxWidth")) b.maxWidth(positive(o.get("maxWidth"), "maxWidth"));
        if (has(o, "maxHeight")) b.maxHeight(positive(o.get("maxHeight"), "maxHeight"));
        if (has(o, "channels")) {
            JsonNode list = o.get("channels");
            if (!list.isArray()) {
                throw new IllegalArgumentException("createWindow(): channels must be an array of strings");
            }
            List<String> channels = new ArrayList<>();
            list.forEach(n -> channels.add(n.asText()));
            b.channels(channels);
        }
        return b.build();
    }

    private static boolean has(JsonNode o, String key) {
        return o.has(key) && !o.get(key).isNull();
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("createWindow(): " + key + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static boolean bool(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("createWindow(): " + key + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode v, String name) {
        if (!v.isNumber()) {
            throw new KilnException(ErrorCode.CHANNEL_SEND, name + " must be a number, got " + v);
        }
        return (int) Math.round(v.asDouble());
    }

    private static boolean flag(JsonNode v, String name) {
        if (!v.isBoolean()) {
            throw new KilnException(ErrorCode.CHANNEL_SEND, name + " must be true or false, got " + (v.isMissingNode() ? "nothing" : v));
        }
        return v.asBoolean();
    }

    private static String script(JsonNode v, String method) {
        if (!v.isTextual()) {
            throw new KilnException(ErrorCode.CHANNEL_SEND, method + "() takes a string, got " + (v.isMissingNode() ? "nothing" : v));
        }
        return v.asText();
    }

    private static int positive(JsonNode v, String name) {
        int n = integer(v, name);
        if (n <= 0) {
            throw new KilnException(ErrorCode.CHANNEL_SEND, name + " must be a positive number, got " + v);
        }
        return n;
    }
}
