package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.ipc.OutboundMessage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timers share the loop with IPC: a busy timer neither starves messages nor is starved by them, and
 * nested zero-delay timers are clamped as browsers and Deno clamp them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimersTest {
    @TempDir
    Path dir;

    @Test
    void aZeroDelayIntervalDoesNotStarveIpc() {
        MemoryWindows.Page[] page = new MemoryWindows.Page[1];
        var r = new ScriptFixture(dir).run("""
                import { onChannel, onEvent, sendToWindow } from "runtime:ipc";
                let ticks = 0;
                const busy = setInterval(() => { ticks++; }, 0);
                onChannel("ping", async (payload, windowId) => {
                  await sendToWindow(windowId, "pong", payload);
                  console.log("pong sent; the interval ticked:", ticks > 0);
                });
                onEvent((e) => {
                  if (e.type === "close") {
                    clearInterval(busy);
                    console.log("closed");
                  }
                });
                """, w -> {
            page[0] = w.open("main");
            page[0].onMessage(m -> {
                if (m.channel().equals("pong")) {
                    page[0].close();
                }
            });
            w.whenSubscribed(2, () -> page[0].send("ping", "{\"n\":1}"));
        });

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).containsExactlyInAnyOrder("pong sent; the interval ticked: true", "closed");
        assertThat(page[0].received).containsExactly(new OutboundMessage("pong", "{\"n\":1}"));
    }

    @Test
    void aBusyEventStreamDoesNotStarveTimers() {
        var r = new ScriptFixture(dir).run("""
                import { onChannel } from "runtime:ipc";
                let messages = 0;
                onChannel("flood", () => { messages++; });
                await new Promise((resolve) => setTimeout(resolve, 5));
                console.log("timer fired during the flood:", messages < 20000);
                """, w -> {
            var page = w.open("main");
            w.whenSubscribed(1, () -> {
                for (int i = 0; i < 20_000; i++) {
                    page.send("flood", Integer.toString(i));
                }
                page.close();
            });
        });
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).contains("timer fired during the flood: true");
    }

    /**
     * Upper bound only: a machine that is slow fires fewer, never more. Without the clamp a
     * zero-delay interval fires tens of thousands of times in 200 ms.
     */
    @Test
    void nestedZeroDelayTimersAreClampedToFourMilliseconds() {
        var r = new ScriptFixture(dir).run("""
                const start = Date.now();
                let intervalTicks = 0;
                await new Promise<void>((resolve) => {
                  const id = setInterval(() => {
                    intervalTicks++;
                    if (Date.now() - start >= 200) { clearInterval(id); resolve(); }
                  }, 0);
                });
                const chainStart = Date.now();
                let chained = 0;
                await new Promise<void>((resolve) => {
                  const step = () => {
                    chained++;
                    if (Date.now() - chainStart >= 200) resolve(); else setTimeout(step, 0);
                  };
                  setTimeout(step, 0);
                });
                console.log(JSON.stringify({ intervalTicks, chained, elapsed: Date.now() - start }));
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        var result = Json.read(r.out().strip());
        double elapsed = result.get("elapsed").asDouble();
        // at most 5 unclamped runs per chain, then one per 4 ms (plus one for a rounding edge)
        assertThat(result.get("intervalTicks").asInt()).isBetween(2, (int) (elapsed / 4) + 6);
        assertThat(result.get("chained").asInt()).isBetween(2, (int) (elapsed / 4) + 6);
    }
}
