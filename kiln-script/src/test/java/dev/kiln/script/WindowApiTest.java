package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.window.RealWindowExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** runtime:window from TypeScript with real JavaFX windows (Xvfb): options, handle methods, events, errors. */
@ExtendWith(RealWindowExtension.class)
class WindowApiTest {
    @TempDir
    Path dir;

    @Test
    void windowHandleFromTypeScript() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST + "\n[windows]\nwidth = 640\nheight = 400\n");
        fixture.write("src/main.ts", """
                import { createWindow, closeWindow } from "runtime:window";
                import { sendToWindow, windowEvents } from "runtime:ipc";

                const a = await createWindow({ id: "a", title: "First", width: 500, height: 300, x: 10, y: 20 });
                const show = (v: unknown) => JSON.stringify(v);
                console.log("a", a.id, await a.getTitle(), show(await a.getSize()), show(await a.getPosition()), await a.isVisible());
                const setters = [a.setTitle("Renamed"), a.setSize(420, 260), a.setPosition(30, 40)];
                console.log("promises", setters.every((p) => p instanceof Promise), a.getTitle() instanceof Promise);
                await Promise.all(setters);
                console.log("set", await a.getTitle(), show(await a.getSize()), show(await a.getPosition()));
                await a.hide();
                console.log("hidden", await a.isVisible());
                await a.show();
                console.log("shown", await a.isVisible());
                await a.focus();

                const b = await createWindow({ id: "b", url: "app://index.html", channels: ["only-this"] });
                console.log("b", show(await b.getSize()));
                try {
                  await sendToWindow("b", "not-allowed-here", 1);
                } catch (e) {
                  console.log("b channels", e.code);
                }
                console.log("closeWindow nope", await closeWindow("nope"));
                try {
                  await createWindow({ id: "a" });
                } catch (e) {
                  console.log("duplicate", e.code, e.message);
                }
                try {
                  await a.setSize(-5, 100);
                } catch (e) {
                  console.log("setSize", e.code, e.message);
                }

                const seen: string[] = [];
                const ended = (async () => {
                  for await (const e of a.events()) seen.push(e.type ?? e.channel);
                })();
                console.log("close", await a.close());
                await ended;
                console.log("a's events ended with", seen.at(-1), await a.isClosed(), await a.getTitle(), await a.isVisible(), await a.close());
                for await (const _ of a.events()) {}
                console.log("a closed window's events end at once");
                const end = windowEvents();
                console.log("closeWindow b", await closeWindow("b"));
                for await (const _ of end) {} // ends once the last window has closed and the runtime shut down
                try {
                  await createWindow({ id: "late" });
                } catch (e) {
                  console.log("after shutdown", e.code, e.message);
                }
                """);
        Run run = runWithRealWindows();
        assertThat(run.out().lines()).containsExactly(
                "a a First {\"width\":500,\"height\":300} {\"x\":10,\"y\":20} true",
                "promises true true",
                "set Renamed {\"width\":420,\"height\":260} {\"x\":30,\"y\":40}",
                "hidden false",
                "shown true",
                "b {\"width\":640,\"height\":400}",
                "b channels 7004",
                "closeWindow nope false",
                "duplicate 7000 [7000] A window with id 'a' already exists",
                "setSize 7000 [7000] width must be a positive number, got -5",
                "close true",
                "a's events ended with close true Renamed false false",
                "a closed window's events end at once",
                "closeWindow b true",
                "after shutdown 7000 [7000] The runtime has shut down");
        assertThat(Files.exists(dir.resolve("web/index.html"))).isTrue();
    }

    @Test
    void manifestWindowKeysAreCreateWindowDefaults() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST
                + "\n[windows]\nwidth = 640\nheight = 400\ntitle = \"From manifest\"\nminWidth = 500\nminHeight = 350\ndecorations = false\n");
        fixture.write("src/main.ts", """
                import { createWindow } from "runtime:window";
                const show = (v: unknown) => JSON.stringify(v);
                const a = await createWindow({ id: "a" });
                console.log("a", await a.getTitle(), await a.hasDecorations(), show(await a.getSize()));
                const b = await createWindow({ id: "b", title: "Own", decorations: true, minWidth: 120, minHeight: 90 });
                console.log("b", await b.getTitle(), await b.hasDecorations(), show(await b.getSize()));
                await a.close();
                await b.close();
                """);
        Run run = runWithRealWindows();
        assertThat(run.out().lines()).containsExactly(
                "a From manifest false {\"width\":640,\"height\":400}",
                "b Own true {\"width\":640,\"height\":400}");
        assertThat(run.err()).doesNotContain("unknown key");
    }

    /** runtime:app's focus, hide and show act on the app's windows as a whole, in real windows. */
    @Test
    void appFocusHideAndShowActOnEveryWindow() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write("src/main.ts", """
                import { createWindow } from "runtime:window";
                import { focus, hide, show, quit } from "runtime:app";
                const a = await createWindow({ id: "a", title: "A", width: 300, height: 200 });
                const b = await createWindow({ id: "b", title: "B", width: 300, height: 200, x: 400 });
                const c = await createWindow({ id: "c", title: "C", visible: false });
                const visible = async () => [await a.isVisible(), await b.isVisible(), await c.isVisible()].join(" ");
                await hide();
                console.log("hidden " + await visible());
                await new Promise((r) => setTimeout(r, 300)); // hidden is not closed: the app runs on
                await show();
                console.log("shown " + await visible());
                // focus moves through the window system: wait (at most 5 s) until a window reports it
                const until = async (focused: () => Promise<boolean>) => {
                  for (let i = 0; i < 100 && !(await focused()); i++) await new Promise((r) => setTimeout(r, 50));
                  return focused();
                };
                await b.focus();
                console.log("b focused " + await until(() => b.isFocused()));
                await focus(); // the oldest visible window: a
                console.log("focused " + await until(() => a.isFocused()) + " " + await b.isFocused());
                await quit();
                """);
        Run run = runWithRealWindows();
        assertThat(run.out().lines()).containsExactly("hidden false false false", "shown true true false", "b focused true",
                "focused true false");
    }

    private record Run(String out, String err) {
    }

    /** Runs the app in {@code dir} with real windows to its end; fails unless it exits with 0. */
    private Run runWithRealWindows() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ScriptApp.load(dir).run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Run run = new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertThat(code).as("stdout: %s%nstderr: %s", run.out(), run.err()).isZero();
        return run;
    }
}
