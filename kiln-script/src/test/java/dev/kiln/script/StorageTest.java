package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:storage through the real script host, on the real SQLite file, including a process killed mid-write. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StorageTest {
    @TempDir
    Path app;

    private static String manifest(String id) {
        return ScriptFixture.MANIFEST.replace("dev.kiln.test", id);
    }

    private static Path database(Path dataHome, String id) {
        return dataHome.resolve(id).resolve("storage").resolve(StorageOps.FILE_NAME);
    }

    @Test
    void valuesPersistAcrossRunsInTheAppDataFolder() throws Exception {
        String id = "dev.kiln.test.storage" + System.nanoTime();
        var first = new ScriptFixture(app).write(AppManifest.FILE_NAME, manifest(id)).run("""
                import * as storage from "runtime:storage";
                console.log("empty:", await storage.get("nothing"), await storage.size(), JSON.stringify(await storage.keys()));
                await storage.set("theme", "dark");
                await storage.set("window", { width: 800, height: 600, tags: ["a", "b"], nested: { ok: true } });
                await storage.set("count", 42);
                await storage.set("pi", 3.14159);
                await storage.set("nothing", null);
                await storage.set("unicode", "☃ snow ✓");
                await storage.set("theme", "light");
                console.log("theme:", await storage.get("theme"));
                console.log("window:", JSON.stringify(await storage.get("window")));
                console.log("has:", await storage.has("count"), await storage.has("nope"), await storage.has("nothing"));
                console.log("keys:", JSON.stringify(await storage.keys()));
                await storage.setMany({ a: 1, b: [2], c: "3" });
                const many = await storage.getMany(["a", "b", "zz"]);
                console.log("getMany:", many instanceof Map, JSON.stringify([...many]));
                console.log("deleteMany:", await storage.deleteMany(["a", "b", "zz"]));
                console.log("remove:", await storage.remove("c"), await storage.delete_("c"));
                console.log("size:", await storage.size());
                """);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("empty: null 0 []", "theme: light",
                "window: {\"width\":800,\"height\":600,\"tags\":[\"a\",\"b\"],\"nested\":{\"ok\":true}}",
                "has: true false true", "keys: [\"count\",\"nothing\",\"pi\",\"theme\",\"unicode\",\"window\"]",
                "getMany: true [[\"a\",1],[\"b\",[2]]]", "deleteMany: 2", "remove: true false");

        Path dataHome = Path.of(System.getProperty("kiln.data.home")).toAbsolutePath();
        Path db = database(dataHome, id);
        assertThat(db).exists();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("SELECT value FROM kv WHERE key = 'unicode'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("\"☃ snow ✓\"");
            }
        }

        var second = new ScriptFixture(app).write(AppManifest.FILE_NAME, manifest(id)).run("""
                import { get, keys, clear, size } from "runtime:storage";
                console.log("again:", await get("theme"), await get("count"), await get("pi"), await get("unicode"));
                await clear();
                console.log("cleared:", JSON.stringify(await keys()), await size());
                """);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).contains("again: light 42 3.14159 ☃ snow ✓", "cleared: [] 0");
    }

    @Test
    void wrongArgumentsRejectWith7024() {
        String id = "dev.kiln.test.storage" + System.nanoTime();
        var r = new ScriptFixture(app).write(AppManifest.FILE_NAME, manifest(id)).run("""
                import * as storage from "runtime:storage";
                const cyclic = {}; cyclic.self = cyclic;
                for (const [label, call] of [
                  ["key", () => storage.get(5)],
                  ["undefined", () => storage.set("k", undefined)],
                  ["function", () => storage.set("k", () => 1)],
                  ["bigint", () => storage.set("k", 10n)],
                  ["cyclic", () => storage.set("k", cyclic)],
                  ["many", () => storage.getMany("abc")],
                  ["setMany", () => storage.setMany(null)],
                ]) {
                  const p = call();
                  try { await p; console.log(label + ": no error"); } catch (e) { console.log(label + ": " + (p instanceof Promise) + " " + e.code + " " + e.message); }
                }
                console.log("untouched:", await storage.has("k"));
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("key: true 7024 [7024] get(): the key must be a string, got number 5",
                "undefined: true 7024 [7024] set(): the value of 'k' must be a JSON value, got undefined undefined (use remove() to delete a key)",
                "function: true 7024", "bigint: true 7024 [7024] set(): the value of 'k' cannot be stored as JSON",
                "cyclic: true 7024", "many: true 7024 [7024] getMany(): needs a list of keys, got string \"abc\"",
                "setMany: true 7024", "untouched: false");
    }

    /**
     * A real process writing single values and batches is killed with SIGKILL in the middle; the
     * database then opens cleanly, holds every write the script saw resolve, and holds each batch
     * whole or not at all.
     */
    @Test
    void aProcessKilledMidWriteLeavesAConsistentDatabase(@TempDir Path dataHome) throws Exception {
        String id = "dev.kiln.test.crash";
        new ScriptFixture(app).write(AppManifest.FILE_NAME, manifest(id)).write("src/main.ts", """
                import { set, setMany } from "runtime:storage";
                const pad = "x".repeat(2000);
                for (let i = 0; ; i++) {
                  if (i % 10 === 9) {
                    const batch = {};
                    for (let j = 0; j < 50; j++) batch["batch" + i + "_" + j] = { i, j, pad };
                    await setMany(batch);
                    console.log("batch " + i);
                  } else {
                    await set("k" + i, { i, pad });
                    console.log("ack " + i);
                  }
                }
                """);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkiln.data.home=" + dataHome, "-cp", System.getProperty("java.class.path"),
                ScriptAppChild.class.getName(), app.toString()).redirectErrorStream(true);
        Process child = pb.start();
        AtomicInteger lastAck = new AtomicInteger(-1);
        List<Integer> batches = new ArrayList<>();
        List<String> output = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.startsWith("ack ")) {
                    lastAck.set(Integer.parseInt(line.substring(4)));
                } else if (line.startsWith("batch ")) {
                    batches.add(Integer.parseInt(line.substring(6)));
                }
                if (lastAck.get() >= 300) {
                    new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor();
                    break;
                }
            }
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(String.join("\n", output)).isEqualTo(137); // killed by SIGKILL
        assertThat(lastAck.get()).as(String.join("\n", output)).isGreaterThanOrEqualTo(300);

        Path db = database(dataHome, id);
        Map<String, String> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
            try (ResultSet rs = s.executeQuery("SELECT key, value FROM kv")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        String pad = "x".repeat(2000);
        for (int i = 0; i <= lastAck.get(); i++) {
            if (i % 10 != 9) {
                assertThat(rows.get("k" + i)).as("k" + i).isEqualTo("{\"i\":" + i + ",\"pad\":\"" + pad + "\"}");
            }
        }
        for (int b : batches) {
            for (int j = 0; j < 50; j++) {
                assertThat(rows).containsKey("batch" + b + "_" + j);
            }
        }
        // every batch in the file is whole, including one that was being written when the kill came
        Map<String, Integer> perBatch = new HashMap<>();
        rows.keySet().stream().filter(k -> k.startsWith("batch")).forEach(k -> perBatch.merge(k.substring(0, k.indexOf('_')), 1, Integer::sum));
        assertThat(perBatch.values()).allMatch(n -> n == 50);

        // and the app itself opens it again and reads what it wrote
        String old = System.getProperty("kiln.data.home");
        System.setProperty("kiln.data.home", dataHome.toString());
        try {
            var r = new ScriptFixture(app).write(AppManifest.FILE_NAME, manifest(id)).run("""
                    import { get, keys } from "runtime:storage";
                    const k = await get("k0");
                    console.log("reopened:", k.i, (await keys()).length);
                    """);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("reopened: 0 " + rows.size());
        } finally {
            System.setProperty("kiln.data.home", old);
        }
        assertThat(Files.size(db)).isPositive();
    }
}
