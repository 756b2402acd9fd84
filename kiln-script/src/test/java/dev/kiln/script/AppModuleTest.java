package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** runtime:app and Deno.exit through the real script host. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AppModuleTest {
    @TempDir
    Path app;

    @Test
    void exitEndsTheAppAtOnceWithItsCode() {
        var r = new ScriptFixture(app).run("""
                import { exit } from "runtime:app";
                setInterval(() => console.log("tick"), 5);
                console.log("before");
                exit(3);
                console.log("after");
                """);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("before\n");
        assertThat(r.err()).doesNotContain("error");
    }

    @Test
    void denoExitFromACallbackAfterAwaits() {
        var r = new ScriptFixture(app).run("""
                console.log(typeof Deno.exit, Object.isFrozen(Deno), "env" in Deno);
                setInterval(() => console.log("interval"), 1000000);
                setTimeout(async () => {
                  await Promise.resolve();
                  try {
                    console.log("exiting");
                    Deno.exit(0);
                  } finally {
                    console.log("finally must not run");
                  }
                }, 20);
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("function true false\nexiting\n");
        assertThat(r.err()).doesNotContain("error");
    }

    @Test
    void aWrongExitCodeThrows7024() {
        var r = new ScriptFixture(app).run("""
                try { Deno.exit(300); } catch (e) { console.log(e.code, e.message); }
                try { Deno.exit(1.5); } catch (e) { console.log(e.code); }
                """);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("7024 [7024] exit(): the exit code must be a whole number from 0 to 255, got number 300", "7024\n");
    }

    @Test
    void identityAndFolders() {
        var r = new ScriptFixture(app).run("""
                import * as app from "runtime:app";
                console.log(app.getName(), app.getVersion(), app.getIdentifier(), app.name(), app.version(), app.identifier());
                console.log("appData " + app.getPath("appData"));
                console.log("logs " + app.getPath("logs"));
                console.log("resources " + app.getPath("resources"));
                console.log("home " + app.getPath("home"));
                console.log("packaged " + app.isPackaged());
                console.log("locale " + JSON.stringify(app.getLocale()));
                try { app.getPath("nowhere"); } catch (e) { console.log(e.code, e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path data = Path.of(System.getProperty("kiln.data.home")).toAbsolutePath().resolve("dev.kiln.test");
        Locale l = Locale.getDefault();
        assertThat(r.out()).contains("Test 0.1.0 dev.kiln.test Test 0.1.0 dev.kiln.test", "appData " + data, "logs " + data.resolve("logs"),
                "resources " + app.toAbsolutePath(), "home " + System.getProperty("user.home"), "packaged false",
                "locale {\"language\":\"" + l.getLanguage() + "\"", "\"locale\":\"" + l.toLanguageTag() + "\"}",
                "7024 [7024] getPath(): unknown path type 'nowhere'");
    }

    @Test
    void quitClosesTheWindowsAndTheScriptWindsDown() {
        var r = new ScriptFixture(app).run("""
                import { quit } from "runtime:app";
                setInterval(() => {}, 10);
                setTimeout(async () => { await quit(); console.log("quit resolved"); }, 100);
                """, w -> w.open("main")); // an open window keeps the app alive until quit closes it
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("quit resolved");
        assertThat(r.err()).doesNotContain("WATCHDOG");
    }

    @Test
    void relaunchRunsTheAppAgainFromMainWithFreshState() {
        String key = "launches-" + UUID.randomUUID();
        var r = new ScriptFixture(app).run("""
                import { relaunch, quit } from "runtime:app";
                import { get, set } from "runtime:storage";
                const n = ((await get("KEY")) as number | null ?? 0) + 1;
                await set("KEY", n);
                console.log("launch " + n + " fresh " + (globalThis.marker === undefined));
                globalThis.marker = true;
                if (n < 3) {
                  setInterval(() => {}, 1000); // relaunch ends the run even so, as quit does
                  await relaunch();
                } else {
                  await quit();
                }
                """.replace("KEY", key), w -> w.open("main")); // an open window that relaunch closes
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("launch"))).containsExactly(
                "launch 1 fresh true", "launch 2 fresh true", "launch 3 fresh true");
        assertThat(r.err().lines().filter(l -> l.contains("relaunch"))).containsExactly(
                "kiln: the app asked to relaunch: starting it again", "kiln: the app asked to relaunch: starting it again");
    }

    /**
     * The lock between real instances: another JVM running the same app (ScriptAppChild) and this one,
     * sharing the app's data folder. A crashed holder leaves no lock; the end of a run gives it back.
     */
    @Test
    void theSingleInstanceLockIsHeldByOneProcessAtATime() throws Exception {
        String id = "dev.kiln.test.lock-" + UUID.randomUUID();
        ScriptFixture fixture = new ScriptFixture(app).write("manifest.app.toml", """
                [app]
                name = "Lock"
                identifier = "ID"
                version = "0.1.0"

                [permissions.sys.env]
                read = ["LOCK_TEST_*"]
                """.replace("ID", id));
        fixture.write("src/main.ts", """
                import { requestSingleInstanceLock, releaseSingleInstanceLock } from "runtime:app";
                import { getEnv } from "runtime:sys";
                const got = await requestSingleInstanceLock();
                console.log("lock " + got + " " + (await requestSingleInstanceLock()));
                if (got && getEnv("LOCK_TEST_RELEASE") === "1") {
                  await releaseSingleInstanceLock();
                  console.log("released");
                }
                if (getEnv("LOCK_TEST_STAY") === "1") setInterval(() => {}, 1000);
                """);
        Path lockFile = Path.of(System.getProperty("kiln.data.home")).toAbsolutePath().resolve(id).resolve(AppOps.LOCK_FILE);

        Process first = startInstance(Map.of("LOCK_TEST_STAY", "1"), "lock true true");
        try {
            assertThat(Files.readString(lockFile).trim()).isEqualTo(Long.toString(first.pid()));
            assertThat(runHere(fixture)).isEqualTo("lock false false\n");
        } finally {
            new ProcessBuilder("kill", "-KILL", Long.toString(first.pid())).start().waitFor(); // a crash
            first.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(runHere(fixture)).isEqualTo("lock true true\n"); // and given back at the end of the run

        Process second = startInstance(Map.of("LOCK_TEST_STAY", "1"), "lock true true");
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);

        Process releasing = startInstance(Map.of("LOCK_TEST_STAY", "1", "LOCK_TEST_RELEASE", "1"), "released");
        try {
            assertThat(runHere(fixture)).isEqualTo("lock true true\n");
        } finally {
            releasing.destroy();
            releasing.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private String runHere(ScriptFixture fixture) {
        var r = fixture.runApp(w -> { });
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out();
    }

    /** Another instance of the app in its own JVM, once it printed {@code line}; it runs until destroyed. */
    private Process startInstance(Map<String, String> env, String line) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkiln.data.home=" + Path.of(System.getProperty("kiln.data.home")).toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), ScriptAppChild.class.getName(), app.toString())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process child = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String l; (l = out.readLine()) != null; ) {
            seen.append(l).append('\n');
            if (l.equals(line)) {
                return child;
            }
        }
        throw new AssertionError("the other instance ended without printing '" + line + "': " + seen);
    }

    @Test
    void badgeCountIsKeptAndSaysOnceThatNoBadgeIsShown() {
        var r = new ScriptFixture(app).run("""
                import { setBadgeCount, getBadgeCount, setUserModelId } from "runtime:app";
                console.log(getBadgeCount());
                await setBadgeCount(3);
                await setBadgeCount(5);
                console.log(getBadgeCount());
                await setBadgeCount(null);
                console.log(getBadgeCount());
                for (const bad of [-1, 1.5, "2"]) {
                  try { await setBadgeCount(bad as number); } catch (e) { console.log(e.code); }
                }
                setUserModelId("com.example.app");
                try { setUserModelId(""); } catch (e) { console.log(e.code, e.message); }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("0\n5\n0\n7024\n7024\n7024\n7024 [7024] setUserModelId(): appId must be a non-empty string, got string \"\"\n");
        assertThat(r.err().lines().filter(l -> l.contains("setBadgeCount"))).containsExactly(
                "warning: setBadgeCount(3): Kiln shows no badge on the app's icon on this platform; the count is kept for getBadgeCount()");
    }
}
