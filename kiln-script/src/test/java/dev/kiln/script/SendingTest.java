package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ipc.OutboundMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec's "Sending Messages" snippets, verbatim, and the errors sends can meet, in real V8. */
class SendingTest {
    @TempDir
    Path dir;

    @Test
    void sendToWindowSnippet() {
        MemoryWindows.Page[] page = new MemoryWindows.Page[1];
        var r = new ScriptFixture(dir).run("""
                import { sendToWindow } from "runtime:ipc";

                // Send data to a specific window
                await sendToWindow("main-window", "update", { count: 42 });

                // Send a simple notification
                await sendToWindow("main-window", "refresh");
                """, w -> page[0] = w.open("main-window").closeAfter(2));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(page[0].received).containsExactly(
                new OutboundMessage("update", "{\"count\":42}"), new OutboundMessage("refresh", "null"));
    }

    @Test
    void broadcastSnippet() {
        MemoryWindows.Page[] pages = new MemoryWindows.Page[3];
        var r = new ScriptFixture(dir).run("""
                import { broadcast } from "runtime:ipc";

                // Send to multiple windows
                await broadcast(
                  ["main", "settings", "preview"],
                  "theme-changed",
                  { theme: "dark" }
                );
                """, w -> {
            pages[0] = w.open("main").closeAfter(1);
            pages[1] = w.open("settings").closeAfter(1);
            pages[2] = w.open("preview").closeAfter(1);
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        for (MemoryWindows.Page p : pages) {
            assertThat(p.received).containsExactly(new OutboundMessage("theme-changed", "{\"theme\":\"dark\"}"));
        }
    }

    @Test
    void payloadsKeepTheirJsonShape() {
        MemoryWindows.Page[] page = new MemoryWindows.Page[1];
        var r = new ScriptFixture(dir).run("""
                import { sendToWindow } from "runtime:ipc";
                await sendToWindow("main", "mixed", { s: "é€𝄞\\n\\"", n: 1.5, b: false, z: null, list: [1, [2]], skip: undefined });
                await sendToWindow("main", "text", "plain");
                await sendToWindow("main", "date", new Date(0));
                """, w -> page[0] = w.open("main").closeAfter(3));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(page[0].received).extracting(OutboundMessage::payloadJson).containsExactly(
                "{\"s\":\"é€𝄞\\n\\\"\",\"n\":1.5,\"b\":false,\"z\":null,\"list\":[1,[2]]}",
                "\"plain\"", "\"1970-01-01T00:00:00.000Z\"");
    }

    /**
     * Plain data skips JSON.stringify's checking replacer; what the quick check does not look into
     * (nesting deeper than it goes) must still be checked, and what it rejects still named.
     */
    @Test
    void payloadsBeyondTheQuickCheckAreStillCheckedAndSentWhole() {
        MemoryWindows.Page[] page = new MemoryWindows.Page[1];
        var r = new ScriptFixture(dir).run("""
                import { sendToWindow } from "runtime:ipc";
                function nest(depth: number, leaf: unknown): any {
                  let v: any = leaf;
                  for (let i = 0; i < depth; i++) v = { v };
                  return v;
                }
                async function attempt(label: string, payload: unknown) {
                  try {
                    await sendToWindow("main", "deep", payload);
                    console.log(label, "sent");
                  } catch (e) {
                    console.log(label, e.code, e.message.replace(/(\\.v)+/, ".v..."));
                  }
                }
                await attempt("deep-plain", nest(40, 1));
                await attempt("deep-function", nest(40, () => 1));
                await attempt("symbol", { tag: Symbol("x") });
                """, w -> page[0] = w.open("main").closeAfter(1));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "deep-plain sent",
                "deep-function 7003 [7003] Payload cannot be serialized to JSON: payload.v... is a function",
                "symbol 7003 [7003] Payload cannot be serialized to JSON: payload.tag is a symbol");
        assertThat(page[0].received).extracting(OutboundMessage::payloadJson)
                .containsExactly("{\"v\":".repeat(40) + "1" + "}".repeat(40));
    }

    @Test
    void sendErrorsAreErrorsWithKilnCodes() {
        var fixture = new ScriptFixture(dir);
        fixture.write(AppManifest.FILE_NAME, ScriptFixture.MANIFEST.replace("allowed = [\"*\"]",
                "allowed = [\"*\"]\ndenied = [\"secret\"]"));
        var r = fixture.run("""
                import { sendToWindow, broadcast } from "runtime:ipc";
                import { closeWindow } from "runtime:window";

                async function attempt(label: string, send: () => Promise<void>) {
                  try {
                    await send();
                    console.log(label, "sent");
                  } catch (e) {
                    console.log(label, e instanceof Error, e.code, e.message);
                  }
                }
                const cyclic: any = { name: "loop" };
                cyclic.self = cyclic;

                await attempt("unknown", () => sendToWindow("nope", "update", 1));
                await attempt("function", () => sendToWindow("main", "update", { onClick() {} }));
                await attempt("cycle", () => sendToWindow("main", "update", cyclic));
                await attempt("bigint", () => sendToWindow("main", "update", { list: [1, 2n] }));
                await attempt("badchannel", () => sendToWindow("main", "", 1));
                await attempt("denied", () => sendToWindow("main", "secret", 1));
                try {
                  await broadcast(["main", "gone"], "update", 1);
                } catch (e) {
                  console.log("broadcast", e.code, JSON.stringify(e.failures));
                }
                console.log("closeWindow", await closeWindow("main"), await closeWindow("main"));
                """, w -> w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "unknown true 7002 [7002] Window not found: nope",
                "function true 7003 [7003] Payload cannot be serialized to JSON: payload.onClick is a function",
                "cycle true 7003 [7003] Payload cannot be serialized to JSON: payload.self is a cycle: it contains itself",
                "bigint true 7003 [7003] Payload cannot be serialized to JSON: payload.list[1] is a bigint",
                "badchannel true 7000 [7000] Channel name must not be empty",
                "denied true 7004 [7004] Channel 'secret' is not allowed for window main",
                "broadcast 7002 {\"gone\":\"[7002] Window not found: gone\"}",
                "closeWindow true false");
    }

    /**
     * A window id that is not a string is the app's mistake, not a window that went away: 7000
     * (the send could not be made as asked), so that an unhandled one ends the app as a bug should,
     * where an unhandled 7002 is only a warning.
     */
    @Test
    void badWindowIdsRejectWith7000() {
        var r = new ScriptFixture(dir).run("""
                import { sendToWindow, broadcast } from "runtime:ipc";
                import { closeWindow } from "runtime:window";
                async function attempt(label: string, send: () => Promise<void>) {
                  try {
                    await send();
                    console.log(label, "sent");
                  } catch (e) {
                    console.log(label, e instanceof Error, e.code, e.message);
                  }
                }
                await attempt("number-id", () => sendToWindow(42 as any, "update", 1));
                await attempt("object-id", () => sendToWindow({ id: "main" } as any, "update", 1));
                await attempt("no-list", () => broadcast(null as any, "update", 1));
                await attempt("string-list", () => broadcast("main" as any, "update", 1));
                await attempt("number-in-list", () => broadcast(["main", 7] as any, "update", 1));
                await attempt("good", () => broadcast(new Set(["main"]), "update", 1));
                closeWindow("main");
                """, w -> w.open("main"));

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "number-id true 7000 [7000] sendToWindow() needs a window id string, got number",
                "object-id true 7000 [7000] sendToWindow() needs a window id string, got object",
                "no-list true 7000 [7000] broadcast() needs a list of window ids, got null",
                "string-list true 7000 [7000] broadcast() needs a list of window ids, got a string",
                "number-in-list true 7000 [7000] broadcast() needs window id strings, got number at index 1",
                "good sent");
    }
}
