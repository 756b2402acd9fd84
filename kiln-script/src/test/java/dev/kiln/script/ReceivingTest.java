package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec's "Receiving Events" snippets, verbatim where possible, fed by in-memory pages. */
class ReceivingTest {
    @TempDir
    Path dir;

    @Test
    void windowEventsSnippet() {
        var r = new ScriptFixture(dir).run("""
                import { windowEvents } from "runtime:ipc";

                for await (const event of windowEvents()) {
                  console.log(`[${event.windowId}] ${event.channel}:`, event.payload);

                  if (event.type === "close") {
                    console.log("Window closed");
                    break;
                  }
                }
                """, w -> {
            var page = w.open("main");
            w.whenSubscribed(1, () -> {
                page.send("hello", "{\"a\":1}");
                page.send("no-payload", null);
                page.close();
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "[main] hello: { a: 1 }", "[main] no-payload: null", "[main] close: null", "Window closed");
    }

    @Test
    void windowEventsForSnippet() {
        var r = new ScriptFixture(dir).run("""
                import { windowEventsFor } from "runtime:ipc";

                // Only process events from the main window
                for await (const event of windowEventsFor("main")) {
                  console.log("Main window event:", event.channel);
                }
                console.log("stream ended");
                """, w -> {
            var main = w.open("main");
            var other = w.open("other");
            w.whenSubscribed(1, () -> {
                other.send("from-other", "1");
                main.send("first", "1");
                main.send("second", "2");
                other.close();
                main.close();
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "Main window event: first", "Main window event: second", "Main window event: close", "stream ended");
    }

    @Test
    void channelEventsSnippet() {
        var r = new ScriptFixture(dir).run("""
                import { channelEvents } from "runtime:ipc";

                // Only process "button-click" events
                for await (const event of channelEvents("button-click")) {
                  console.log("Button clicked in window:", event.windowId);
                }
                """, w -> {
            var a = w.open("a");
            var b = w.open("b");
            w.whenSubscribed(1, () -> {
                a.send("button-click", "{\"buttonId\":\"submit\"}");
                b.send("other", "1");
                b.send("button-click", null);
                a.close();
                b.close();
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("Button clicked in window: a", "Button clicked in window: b");
    }

    @Test
    void onEventSnippetAndItsUnsubscribe() {
        var r = new ScriptFixture(dir).run("""
                import { onEvent } from "runtime:ipc";
                import { recvWindowEvent, sendToWindow } from "runtime:ipc";

                const unsubscribe = onEvent((event) => {
                  console.log(`Event: ${event.channel} from ${event.windowId}`);
                });

                while ((await recvWindowEvent())?.channel !== "stop") {}
                // Later, to stop listening:
                unsubscribe();
                unsubscribe(); // a second call is harmless
                await sendToWindow("main", "unsubscribed");
                """, w -> {
            var page = w.open("main");
            page.onMessage(m -> {
                page.send("after", "1"); // must not reach the callback any more
                page.close();
            });
            w.whenSubscribed(2, () -> {
                page.send("ping", "1");
                page.send("stop", null);
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("Event: ping from main", "Event: stop from main");
    }

    @Test
    void onChannelSnippetAndItsUnsubscribe() {
        var r = new ScriptFixture(dir).run("""
                import { onChannel } from "runtime:ipc";
                import { channelEvents, sendToWindow } from "runtime:ipc";

                const stop = channelEvents("stop");
                const unsubscribe = onChannel("user-action", (payload, windowId) => {
                  console.log(`User action from ${windowId}:`, payload);
                });

                await stop.next();
                // Later, to stop listening:
                unsubscribe();
                await sendToWindow("main", "unsubscribed");
                """, w -> {
            var page = w.open("main");
            page.onMessage(m -> {
                page.send("user-action", "{\"late\":true}");
                page.close();
            });
            w.whenSubscribed(2, () -> {
                page.send("user-action", "{\"action\":\"save\"}");
                page.send("other", "1");
                page.send("stop", null);
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("User action from main: { action: \"save\" }");
    }

    @Test
    void recvWindowEventSnippetThenNullAtShutdown() {
        var r = new ScriptFixture(dir).run("""
                import { recvWindowEvent } from "runtime:ipc";

                const event = await recvWindowEvent();
                if (event) {
                  console.log(`Received: ${event.channel} from ${event.windowId}`);
                }
                let next;
                while ((next = await recvWindowEvent()) !== null) {
                  console.log("then", next.channel, "type" in next ? next.type : "(message)");
                }
                console.log("receive resolved", next);
                """, w -> {
            var page = w.open("main");
            w.whenSubscribed(1, () -> {
                page.send("greeting", "\"hi\"");
                page.send("second", null);
                page.close();
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "Received: greeting from main", "then second (message)", "then close close", "receive resolved null");
    }

    @Test
    void everyConsumerSeesEveryEvent() {
        var r = new ScriptFixture(dir).run("""
                import { windowEvents, channelEvents, onEvent, onChannel } from "runtime:ipc";

                const seen: Record<string, string[]> = { a: [], b: [], ch: [], cb: [], chcb: [] };
                onEvent((e) => seen.cb.push(e.channel));
                onChannel("n", (p) => seen.chcb.push(String(p)));
                async function drain(name: string, stream: AsyncIterable<{ channel: string; payload: unknown }>) {
                  for await (const e of stream) seen[name].push(e.channel === "n" ? String(e.payload) : e.channel);
                }
                await Promise.all([drain("a", windowEvents()), drain("b", windowEvents()), drain("ch", channelEvents("n"))]);
                console.log(JSON.stringify(seen));
                """, w -> {
            var page = w.open("main");
            w.whenSubscribed(5, () -> {
                for (int i = 1; i <= 3; i++) {
                    page.send("n", String.valueOf(i));
                }
                page.close();
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo(
                "{\"a\":[\"1\",\"2\",\"3\",\"close\"],\"b\":[\"1\",\"2\",\"3\",\"close\"],\"ch\":[\"1\",\"2\",\"3\"],"
                        + "\"cb\":[\"n\",\"n\",\"n\",\"close\"],\"chcb\":[\"1\",\"2\",\"3\"]}");
    }

    @Test
    void breakingOutOfAForAwaitUnsubscribes() {
        int[] subscribersAfterBreak = {-1};
        var r = new ScriptFixture(dir).run("""
                import { windowEvents, channelEvents, sendToWindow } from "runtime:ipc";

                for await (const event of windowEvents()) {
                  console.log("got", event.channel);
                  break;
                }
                const stream = channelEvents("never");
                await stream.return(undefined); // closed without ever being iterated
                console.log("after return", JSON.stringify(await stream.next()));
                await sendToWindow("main", "broke-out");
                """, w -> {
            var page = w.open("main");
            page.onMessage(m -> {
                subscribersAfterBreak[0] = w.ipc.stats().subscribers();
                page.close();
            });
            w.whenSubscribed(1, () -> page.send("first", "1"));
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly("got first", "after return {\"done\":true}");
        assertThat(subscribersAfterBreak[0]).as("engine subscribers once the loops were left").isZero();
    }

    @Test
    void nextCallsMadeWithoutAwaitingGetTheEventsInCallOrder() {
        var r = new ScriptFixture(dir).run("""
                import { channelEvents } from "runtime:ipc";
                const stream = channelEvents("n");
                const first = [stream.next(), stream.next(), stream.next()]; // all wait on Java
                const values = (await Promise.all(first)).map((r) => r.value.payload);
                const more = [stream.next(), stream.next(), stream.next()]; // served from what was taken
                values.push(...(await Promise.all(more)).map((r) => r.value.payload));
                await stream.return(undefined);
                console.log(JSON.stringify(values), JSON.stringify(await stream.next()));
                """, w -> {
            var page = w.open("main");
            w.whenSubscribed(1, () -> {
                for (int i = 1; i <= 6; i++) {
                    page.send("n", String.valueOf(i));
                }
                page.close();
            });
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("[1,2,3,4,5,6] {\"done\":true}");
    }

    @Test
    void aBadChannelNameThrowsAtTheCall() {
        var r = new ScriptFixture(dir).run("""
                import { channelEvents, onChannel } from "runtime:ipc";
                try {
                  channelEvents("");
                } catch (e) {
                  console.log("channelEvents", e.code, e.message);
                }
                try {
                  onChannel("bad\\u0001name", () => {});
                } catch (e) {
                  console.log("onChannel", e.code, e.message);
                }
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactly(
                "channelEvents 7000 [7000] Channel name must not be empty",
                "onChannel 7000 [7000] Channel name must not contain control characters (U+0001 at index 3)");
    }
}
