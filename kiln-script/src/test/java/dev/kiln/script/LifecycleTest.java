package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The end of an app: the last window closing ends every loop and the process exits 0. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LifecycleTest {
    @TempDir
    Path dir;

    @Test
    void lastWindowClosingEndsEveryLoopAndReceive() {
        var r = new ScriptFixture(dir).run("""
                import { windowEvents, windowEventsFor, channelEvents, recvWindowEvent, onEvent } from "runtime:ipc";

                let callbacks = 0;
                onEvent(() => callbacks++);
                async function count(name: string, stream: AsyncIterable<unknown>) {
                  let n = 0;
                  for await (const _ of stream) n++;
                  console.log(name, "ended after", n);
                }
                const receive = (async () => {
                  let n = 0;
                  while (await recvWindowEvent() !== null) n++;
                  console.log("recvWindowEvent ended after", n);
                })();
                await Promise.all([
                  count("windowEvents", windowEvents()),
                  count("windowEventsFor", windowEventsFor("b")),
                  count("channelEvents", channelEvents("tick")),
                  receive,
                ]);
                console.log("callbacks saw", callbacks);
                """, w -> {
            var a = w.open("a");
            var b = w.open("b");
            w.whenSubscribed(5, () -> {
                a.send("tick", "1");
                b.send("tick", "2");
                a.close();
                b.close();
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactlyInAnyOrder(
                "windowEvents ended after 4", "windowEventsFor ended after 2", "channelEvents ended after 2",
                "recvWindowEvent ended after 4", "callbacks saw 4");
    }

    @Test
    void aScriptWithoutWindowsExitsWhenNothingIsPending() {
        var r = new ScriptFixture(dir).run("""
                import { windowEvents, onChannel } from "runtime:ipc";
                onChannel("never", () => {});
                setTimeout(() => console.log("timer done"), 20);
                for await (const e of windowEvents()) {
                  console.log("unexpected", e);
                }
                console.log("no window: the stream ended");
                """);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("timer done", "no window: the stream ended");
    }

    @Test
    void interruptEndsAnAppThatWouldRunForever() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write("src/main.ts", """
                import { windowEvents } from "runtime:ipc";
                setInterval(() => {}, 10);
                console.log("running");
                for await (const _ of windowEvents()) {}
                console.log("loop ended by Ctrl-C");
                """);
        ScriptApp app = ScriptApp.load(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> app.run(config -> {
            MemoryWindows w = new MemoryWindows(config);
            w.open("main");
            return w;
        }, o, o));
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8).contains("running"));
        app.interrupt();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("loop ended by Ctrl-C");
    }

    /**
     * A send still waiting for its page when the last window closes is cut short by the app's normal
     * end: one warning naming it, exit code 0, as when nothing was pending (Forge stops too).
     */
    @Test
    void aSendPendingWhenTheLastWindowClosesEndsTheAppNormally() {
        var r = new ScriptFixture(dir).run(PENDING_SEND, w -> {
            var page = w.openNotReady("main");
            w.whenSubscribed(1, page::close); // the script subscribes once its send is in the engine
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("sending");
        assertThat(r.err()).doesNotContain("error:")
                .contains("warning: Uncaught Error: [7002] Window not found: main:"
                        + " 'hello' for window main was not delivered")
                .contains("(the app's windows closed while it was pending; the app ends normally)"
                        + " (run with --trace-sends to see where it was sent)")
                .doesNotContain("sent at");
    }

    /**
     * With --trace-sends the same warning names the line of the send in the TypeScript source (the
     * types before it shift the compiled code, so only the source map gets this right).
     */
    @Test
    void withTraceSendsTheCutShortWarningNamesTheLineOfTheSend() {
        var r = new ScriptFixture(dir).traceSends().run(TYPED_PENDING_SEND, w -> {
            var page = w.openNotReady("main");
            w.whenSubscribed(1, page::close);
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("error:").doesNotContain("--trace-sends")
                .contains("warning: Uncaught Error: [7002] Window not found: main:"
                        + " 'hello' for window main was not delivered, sent at " + siteOf(TYPED_PENDING_SEND, "sendToWindow("))
                .contains("(the app's windows closed while it was pending; the app ends normally)");
    }

    /**
     * A send to a window that closes while another stays open is no normal end: awaited at top
     * level, its 7002 ends the app, and with --trace-sends the report names the send's line.
     */
    @Test
    void withTraceSendsAFatalRejectionOfASendNamesItsLine() {
        String script = """
                import { sendToWindow, onEvent } from "runtime:ipc";

                type Note = { id: number; tags: string[] };
                const note: Note = { id: 7, tags: ["a"] };
                const sent = sendToWindow("side", "note", note);
                await null;
                onEvent(() => {});
                await sent;
                """;
        var r = new ScriptFixture(dir).traceSends().run(script, w -> {
            w.openNotReady("main");
            var side = w.openNotReady("side");
            w.whenSubscribed(1, side::close);
        });

        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("Uncaught Error: [7002] Window not found: side: 'note' for window side"
                + " was not delivered, sent at " + siteOf(script, "sendToWindow("));
    }

    /** src/main.ts:line:column of the first {@code call} in {@code script}, as V8 reports a call there. */
    private static String siteOf(String script, String call) {
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf(call);
            if (at >= 0) {
                return "src/main.ts:" + (i + 1) + ":" + (at + 1);
            }
        }
        throw new IllegalArgumentException(call + " not in the script");
    }

    private static final String TYPED_PENDING_SEND = """
            import { sendToWindow, onEvent } from "runtime:ipc";

            interface Greeting {
              n: number;
              text: string;
            }
            type Target = "main" | "other";

            const target: Target = "main";
            const greeting: Greeting = { n: 1, text: "hi" };
            console.log("sending");
            const sent: Promise<void> = sendToWindow(target, "hello", greeting);
            await null; // the send crosses to the engine at this microtask
            onEvent(() => {});
            await sent;
            """;

    /** The same through Ctrl-C, where the engine shuts down with the window still open (7000). */
    @Test
    void aSendPendingAtCtrlCEndsTheAppNormally() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write("src/main.ts", PENDING_SEND);
        ScriptApp app = ScriptApp.load(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> app.run(config -> {
            MemoryWindows w = new MemoryWindows(config);
            w.openNotReady("main");
            w.whenSubscribed(1, app::interrupt);
            return w;
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));

        assertThat(exit.get(30, TimeUnit.SECONDS)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("error:")
                .containsPattern("warning: Uncaught Error: \\[700[02]\\] .*: 'hello' for window main was not delivered");
    }

    private static final String PENDING_SEND = """
            import { sendToWindow, onEvent } from "runtime:ipc";
            console.log("sending");
            const sent = sendToWindow("main", "hello", { n: 1 });
            await null; // the send crosses to the engine at this microtask
            onEvent(() => {});
            await sent;
            console.log("never printed: the page never took it");
            """;
}
