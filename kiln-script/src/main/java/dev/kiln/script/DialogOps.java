package dev.kiln.script;

import com.caoccao.javet.annotations.V8Function;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.ipc.ErrorCode;
import dev.kiln.ipc.KilnException;
import dev.kiln.window.Desktop;
import dev.kiln.window.FileDialogOptions;
import dev.kiln.window.FileFilter;
import dev.kiln.window.MenuEvent;
import dev.kiln.window.MenuItem;
import dev.kiln.window.MessageDialogOptions;
import dev.kiln.window.TrayOptions;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The operations behind runtime:window's {@code dialog}, {@code menu} and {@code tray}: they read
 * the script's options (a bad one is a 7000 error, thrown at once) and hand the work to the
 * desktop's {@link dev.kiln.window.Dialogs}, {@link dev.kiln.window.Menus} and
 * {@link dev.kiln.window.Tray}; the promises settle when the user has answered. What the user picks
 * in an open or save dialog becomes readable or writable by runtime:fs for the run
 * ({@link Permissions#grantOpened}, {@link Permissions#grantSaved}) before the promise settles.
 *
 * <p>Menu clicks reach the script through {@link #menuRecv}: the bootstrap keeps one receive
 * pending while it has listeners and fans each click out to all of them. Clicks that come while no
 * receive is pending wait here, in order.
 *
 * <p>Threading: the ops run on the loop thread; menu clicks arrive on the desktop's callback
 * executor (the loop, for the script host), so the click queue is guarded by this object's lock.
 */
final class DialogOps {
    private static final Set<String> FILE_OPTIONS = Set.of("title", "defaultPath", "filters", "multiple", "directory", "windowId");
    private static final Set<String> MESSAGE_OPTIONS = Set.of("title", "message", "kind", "buttons", "windowId");
    private static final Set<String> ITEM_FIELDS = Set.of("id", "label", "accelerator", "enabled", "checked", "submenu", "type");
    private static final Set<String> TRAY_OPTIONS = Set.of("icon", "tooltip", "menu");

    private final JavaPromises promises;
    private final WindowSystem windows;
    private final Platform platform;
    // guarded by this
    private final ArrayDeque<MenuEvent> clicks = new ArrayDeque<>();
    private CompletableFuture<MenuEvent> receiving;
    private Runnable unsubscribe;

    DialogOps(Platform platform, WindowSystem windows) {
        this.promises = platform.promises();
        this.windows = windows;
        this.platform = platform;
        // as event streams end when the engine shuts down, so does the wait for menu clicks (see ExitPolicy)
        windows.terminated().whenComplete((ok, error) -> closeAll());
    }

    @V8Function(name = ScriptProtocol.OP_DIALOG_OPEN)
    public void dialogOpen(int promiseId, String optionsJson) {
        FileDialogOptions options = fileOptions(Json.read(optionsJson), "dialog.open");
        // the pick is granted to runtime:fs before the script hears of it (on a worker: it reads the disk)
        var granted = desktop().dialogs().open(options).thenCompose(picked -> platform.onWorker(() -> {
            picked.ifPresent(paths -> paths.forEach(p -> platform.permissions().grantOpened(p, options.directory())));
            return picked;
        }));
        settle(promiseId, granted, picked -> picked.map(paths -> paths.stream().map(Path::toString).toList()).orElse(null));
    }

    @V8Function(name = ScriptProtocol.OP_DIALOG_SAVE)
    public void dialogSave(int promiseId, String optionsJson) {
        FileDialogOptions options = fileOptions(Json.read(optionsJson), "dialog.save");
        var granted = desktop().dialogs().save(options).thenCompose(chosen -> platform.onWorker(() -> {
            chosen.ifPresent(p -> platform.permissions().grantSaved(p));
            return chosen;
        }));
        settle(promiseId, granted, chosen -> chosen.map(Path::toString).orElse(null));
    }

    @V8Function(name = ScriptProtocol.OP_DIALOG_MESSAGE)
    public void dialogMessage(int promiseId, String optionsJson) {
        JsonNode o = object(Json.read(optionsJson), "dialog.message", MESSAGE_OPTIONS);
        String kind = string(o, "kind", "dialog.message");
        MessageDialogOptions.Kind k;
        try {
            k = kind == null ? null : MessageDialogOptions.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("dialog.message(): kind must be \"info\", \"warning\" or \"error\", got \"" + kind + "\"");
        }
        if (string(o, "message", "dialog.message") == null) {
            throw bad("dialog.message() needs a message");
        }
        MessageDialogOptions options = build(() -> new MessageDialogOptions(string(o, "title", "dialog.message"),
                string(o, "message", "dialog.message"), k, strings(o, "buttons", "dialog.message"),
                string(o, "windowId", "dialog.message")));
        settle(promiseId, desktop().dialogs().message(options), index -> index);
    }

    @V8Function(name = ScriptProtocol.OP_MENU_SET)
    public void menuSet(int promiseId, String itemsJson, String windowId) {
        List<MenuItem> items = items(Json.read(itemsJson), "menu.setAppMenu");
        var menus = desktop().menus();
        CompletableFuture<Void> set = build(() -> windowId == null ? menus.setAppMenu(items) : menus.setAppMenu(items, windowId));
        settle(promiseId, set, done -> true);
    }

    @V8Function(name = ScriptProtocol.OP_MENU_CONTEXT)
    public void menuContext(int promiseId, String itemsJson, String windowId) {
        List<MenuItem> items = items(Json.read(itemsJson), "menu.showContextMenu");
        var menus = desktop().menus();
        settle(promiseId, build(() -> menus.showContextMenu(items, windowId)), chosen -> chosen.orElse(null));
    }

    /** The next menu click, or null once {@link #menuStop} or the app's end stops the receiving. */
    @V8Function(name = ScriptProtocol.OP_MENU_RECV)
    public void menuRecv(int promiseId) {
        Desktop desktop = desktop();
        CompletableFuture<MenuEvent> next;
        synchronized (this) {
            if (unsubscribe == null) {
                unsubscribe = desktop.menus().onMenu(this::clicked);
            }
            MenuEvent queued = clicks.poll();
            if (queued != null) {
                next = CompletableFuture.completedFuture(queued);
            } else {
                next = receiving = new CompletableFuture<>();
            }
        }
        // weak: waiting for clicks keeps the app alive only while it has windows, as an event stream does
        promises.settleLater(promiseId, next, DialogOps::eventJson, true);
    }

    /** The script has no menu listener left: clicks from now on are not kept. */
    @V8Function(name = ScriptProtocol.OP_MENU_STOP)
    public void menuStop() {
        closeAll();
    }

    @V8Function(name = ScriptProtocol.OP_TRAY_CREATE)
    public void trayCreate(int promiseId, String optionsJson) {
        TrayOptions options = trayOptions(Json.read(optionsJson), "tray.create");
        settle(promiseId, desktop().tray().create(options), id -> id);
    }

    @V8Function(name = ScriptProtocol.OP_TRAY_UPDATE)
    public void trayUpdate(int promiseId, String trayId, String optionsJson) {
        TrayOptions options = trayOptions(Json.read(optionsJson), "tray.update");
        settle(promiseId, desktop().tray().update(trayId, options), updated -> updated);
    }

    @V8Function(name = ScriptProtocol.OP_TRAY_DESTROY)
    public void trayDestroy(int promiseId, String trayId) {
        settle(promiseId, desktop().tray().destroy(trayId), destroyed -> destroyed);
    }

    /** Stops receiving menu clicks: a pending receive gets null. */
    void closeAll() {
        CompletableFuture<MenuEvent> pending;
        synchronized (this) {
            if (unsubscribe != null) {
                unsubscribe.run();
                unsubscribe = null;
            }
            clicks.clear();
            pending = receiving;
            receiving = null;
        }
        if (pending != null) {
            pending.complete(null);
        }
    }

    // ---- callback executor ----

    private void clicked(MenuEvent event) {
        CompletableFuture<MenuEvent> waiting;
        synchronized (this) {
            waiting = receiving;
            receiving = null;
            if (waiting == null) {
                clicks.add(event);
                return;
            }
        }
        waiting.complete(event);
    }

    // ---- reading the script's options (loop thread) ----

    private <T> void settle(int promiseId, CompletableFuture<T> future, Function<T, Object> value) {
        promises.settleLater(promiseId, future.exceptionally(WindowOps::coded), v -> Json.write(value.apply(v)), false);
    }

    private static String eventJson(MenuEvent e) {
        if (e == null) {
            return "null";
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("menuId", e.menuId());
        json.put("itemId", e.itemId());
        json.put("label", e.label());
        json.put("windowId", e.windowId());
        if (e.checked() != null) {
            json.put("checked", e.checked());
        }
        return Json.write(json);
    }

    private Desktop desktop() {
        return windows.desktop().orElseThrow(() -> new KilnException(ErrorCode.CHANNEL_SEND,
                "Dialogs, menus and the tray need real windows; this runtime has none"));
    }

    private static FileDialogOptions fileOptions(JsonNode json, String api) {
        JsonNode o = object(json, api, FILE_OPTIONS);
        List<FileFilter> filters = new ArrayList<>();
        JsonNode list = o.path("filters");
        if (!list.isMissingNode() && !list.isNull()) {
            if (!list.isArray()) {
                throw bad(api + "(): filters must be an array of { name, extensions }");
            }
            for (JsonNode f : list) {
                if (!f.isObject()) {
                    throw bad(api + "(): filters must be an array of { name, extensions }, got " + f);
                }
                filters.add(build(() -> new FileFilter(string(f, "name", api), strings(f, "extensions", api))));
            }
        }
        return FileDialogOptions.builder().title(string(o, "title", api)).defaultPath(string(o, "defaultPath", api))
                .filters(filters).multiple(bool(o, "multiple", api, false)).directory(bool(o, "directory", api, false))
                .windowId(string(o, "windowId", api)).build();
    }

    private static TrayOptions trayOptions(JsonNode json, String api) {
        JsonNode o = object(json, api, TRAY_OPTIONS);
        List<MenuItem> menu = o.has("menu") && !o.get("menu").isNull() ? items(o.get("menu"), api) : List.of();
        return new TrayOptions(string(o, "icon", api), string(o, "tooltip", api), menu);
    }

    private static List<MenuItem> items(JsonNode list, String api) {
        if (!list.isArray()) {
            throw bad(api + "() takes an array of menu items, got " + list);
        }
        List<MenuItem> items = new ArrayList<>();
        for (JsonNode n : list) {
            JsonNode o = object(n, api + "() menu item", ITEM_FIELDS);
            String type = string(o, "type", api);
            MenuItem.Type t;
            try {
                t = type == null ? null : MenuItem.Type.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(api + "(): a menu item's type must be \"normal\", \"checkbox\" or \"separator\", got \"" + type + "\"");
            }
            JsonNode checked = o.path("checked");
            Boolean c = checked.isMissingNode() || checked.isNull() ? null : bool(o, "checked", api, false);
            List<MenuItem> submenu = o.has("submenu") && !o.get("submenu").isNull() ? items(o.get("submenu"), api) : null;
            items.add(build(() -> new MenuItem(string(o, "id", api), string(o, "label", api), string(o, "accelerator", api),
                    bool(o, "enabled", api, true), c, submenu, t)));
        }
        return items;
    }

    private static JsonNode object(JsonNode o, String api, Set<String> known) {
        if (!o.isObject()) {
            throw bad(api + " takes an options object, got " + o);
        }
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw bad(api + ": unknown option '" + key + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        return o;
    }

    private static String string(JsonNode o, String key, String api) {
        JsonNode v = o.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw bad(api + "(): " + key + " must be a string, got " + v);
        }
        return v.asText();
    }

    private static List<String> strings(JsonNode o, String key, String api) {
        JsonNode v = o.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        List<String> list = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    v = null;
                    break;
                }
                list.add(s.asText());
            }
        }
        if (v == null || !v.isArray()) {
            throw bad(api + "(): " + key + " must be an array of strings, got " + o.path(key));
        }
        return list;
    }

    private static boolean bool(JsonNode o, String key, String api, boolean absent) {
        JsonNode v = o.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw bad(api + "(): " + key + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    /** Runs a constructor or call that checks its arguments: a bad one is the caller's mistake, 7000. */
    private static <T> T build(java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private static KilnException bad(String message) {
        return new KilnException(ErrorCode.CHANNEL_SEND, message);
    }
}
