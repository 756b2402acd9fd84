package dev.kiln.script;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [permissions]} table of a manifest as written: what the app's script may reach through
 * the platform modules. Everything is denied unless listed here; {@link Permissions} enforces it.
 *
 * <p>Forge's own two spellings are accepted: {@code [permissions.*]} and {@code [capabilities.*]}
 * (with Forge's documented keys {@code net.fetch}, {@code process.spawn}, {@code sys.notifications}).
 *
 * @param fsRead     {@code [permissions.fs] read}: path patterns the app may read
 * @param fsWrite    {@code [permissions.fs] write}: path patterns the app may write, create or remove
 * @param netAllow   {@code [permissions.net] allow} (and the hosts of {@code fetch} URLs): host patterns
 * @param netDeny    {@code [permissions.net] deny}: host patterns refused even when allowed
 * @param run        {@code [permissions.process] allow} (or {@code spawn}): command patterns
 * @param clipboard  {@code [permissions.sys] clipboard}
 * @param notifications {@code [permissions.sys] notify} (or {@code notifications})
 * @param power      {@code [permissions.sys] power}
 * @param envRead    {@code [permissions.sys.env] read}: environment variable name patterns
 * @param envWrite   {@code [permissions.sys.env] write}
 * @param wasmLoad   {@code [permissions.wasm] load}: path patterns of WebAssembly files
 */
public record AppPermissions(List<String> fsRead, List<String> fsWrite, List<String> netAllow, List<String> netDeny,
                             List<String> run, boolean clipboard, boolean notifications, boolean power,
                             List<String> envRead, List<String> envWrite, List<String> wasmLoad) {

    /** Nothing allowed: an app whose manifest has no {@code [permissions]} table. */
    public static final AppPermissions NONE = new AppPermissions(List.of(), List.of(), List.of(), List.of(), List.of(),
            false, false, false, List.of(), List.of(), List.of());

    // The keys each table takes, and the Forge keys accepted and ignored (with a warning).
    private static final Map<String, Set<String>> KEYS = Map.of(
            "fs", Set.of("read", "write"),
            "net", Set.of("allow", "deny", "fetch"),
            "process", Set.of("allow", "spawn"),
            "sys", Set.of("clipboard", "notify", "notifications", "power", "info", "env"),
            "wasm", Set.of("load"));

    public AppPermissions {
        fsRead = List.copyOf(fsRead);
        fsWrite = List.copyOf(fsWrite);
        netAllow = List.copyOf(netAllow);
        netDeny = List.copyOf(netDeny);
        run = List.copyOf(run);
        envRead = List.copyOf(envRead);
        envWrite = List.copyOf(envWrite);
        wasmLoad = List.copyOf(wasmLoad);
    }

    /**
     * Reads {@code [permissions]} and the platform tables of {@code [capabilities]} (whose
     * {@code channels} table {@link AppManifest} reads); patterns are checked when the app starts
     * ({@link Permissions}).
     */
    static AppPermissions parse(JsonNode root, List<String> warnings) {
        Lists lists = new Lists();
        for (String top : List.of("permissions", "capabilities")) {
            JsonNode table = root.path(top);
            if (table.isMissingNode()) {
                continue;
            }
            if (!table.isObject()) {
                throw AppManifest.bad("[" + top + "] must be a table");
            }
            table.fieldNames().forEachRemaining(k -> {
                if (!KEYS.containsKey(k) && !k.equals("channels")) {
                    warnings.add(AppManifest.FILE_NAME + ": [" + top + "." + k + "] is not supported by Kiln and is ignored");
                }
            });
            for (var e : KEYS.entrySet()) {
                JsonNode sub = table.path(e.getKey());
                if (sub.isMissingNode()) {
                    continue;
                }
                String name = top + "." + e.getKey();
                if (!sub.isObject()) {
                    throw AppManifest.bad("[" + name + "] must be a table");
                }
                sub.fieldNames().forEachRemaining(k -> {
                    if (!e.getValue().contains(k)) {
                        warnings.add(AppManifest.FILE_NAME + ": unknown key " + k + " in [" + name + "] is ignored");
                    }
                });
                lists.read(e.getKey(), name, sub, warnings);
            }
        }
        return new AppPermissions(lists.fsRead, lists.fsWrite, lists.netAllow, lists.netDeny, lists.run,
                lists.clipboard, lists.notify, lists.power, lists.envRead, lists.envWrite, lists.wasmLoad);
    }

    /** The lists gathered from both spellings of the table. */
    private static final class Lists {
        final List<String> fsRead = new ArrayList<>();
        final List<String> fsWrite = new ArrayList<>();
        final List<String> netAllow = new ArrayList<>();
        final List<String> netDeny = new ArrayList<>();
        final List<String> run = new ArrayList<>();
        final List<String> envRead = new ArrayList<>();
        final List<String> envWrite = new ArrayList<>();
        final List<String> wasmLoad = new ArrayList<>();
        boolean clipboard;
        boolean notify;
        boolean power;

        void read(String kind, String name, JsonNode t, List<String> warnings) {
            switch (kind) {
                case "fs" -> {
                    fsRead.addAll(strings(t, name, "read"));
                    fsWrite.addAll(strings(t, name, "write"));
                }
                case "net" -> {
                    netAllow.addAll(strings(t, name, "allow"));
                    netDeny.addAll(strings(t, name, "deny"));
                    for (String url : strings(t, name, "fetch")) {
                        netAllow.add(HostPattern.fromUrlPattern(url, "[" + name + "] fetch"));
                    }
                }
                case "process" -> {
                    run.addAll(strings(t, name, "allow"));
                    JsonNode spawn = t.get("spawn");
                    if (spawn != null && !(spawn.isBoolean() && !spawn.asBoolean())) { // Forge's "spawn = false"
                        run.addAll(strings(t, name, "spawn"));
                    }
                }
                case "sys" -> {
                    clipboard |= bool(t, name, "clipboard");
                    notify |= bool(t, name, "notify") || bool(t, name, "notifications");
                    power |= bool(t, name, "power");
                    bool(t, name, "info"); // system information is always available, as in Forge
                    JsonNode env = t.path("env");
                    if (!env.isMissingNode()) {
                        if (!env.isObject()) {
                            throw AppManifest.bad("[" + name + ".env] must be a table with read and write lists");
                        }
                        env.fieldNames().forEachRemaining(k -> {
                            if (!k.equals("read") && !k.equals("write")) {
                                warnings.add(AppManifest.FILE_NAME + ": unknown key " + k + " in [" + name + ".env] is ignored");
                            }
                        });
                        envRead.addAll(strings(env, name + ".env", "read"));
                        envWrite.addAll(strings(env, name + ".env", "write"));
                    }
                }
                case "wasm" -> wasmLoad.addAll(strings(t, name, "load"));
                default -> throw new IllegalStateException(kind);
            }
        }
    }

    private static List<String> strings(JsonNode table, String name, String key) {
        JsonNode v = table.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw AppManifest.bad("[" + name + "] " + key + " must be a list of strings, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw AppManifest.bad("[" + name + "] " + key + " must be a list of non-empty strings, got " + item);
            }
            out.add(item.asText());
        }
        return out;
    }

    private static boolean bool(JsonNode table, String name, String key) {
        JsonNode v = table.get(key);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            throw AppManifest.bad("[" + name + "] " + key + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }
}
