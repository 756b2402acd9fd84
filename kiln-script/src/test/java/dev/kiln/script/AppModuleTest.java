package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
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
}
