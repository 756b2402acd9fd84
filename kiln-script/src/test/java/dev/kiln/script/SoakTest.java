package dev.kiln.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million page events through {@code windowEvents()} and {@code onChannel} leave the V8 heap, the
 * JVM heap and the open V8 handles flat. The events come from an in-memory renderer through the real
 * engine into real V8; no window is involved, to keep it fast.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SoakTest {
    private static final int TOTAL = 1_000_000;
    private static final int BATCH = 1_000;
    private static final int ACK_EVERY = 50_000;
    private static final int WARM_UP = 100_000;

    @TempDir
    Path dir;

    @Test
    void aMillionEventsLeaveMemoryAndHandlesFlat() throws Exception {
        var fixture = new ScriptFixture(dir);
        fixture.write("src/main.ts", """
                import { windowEvents, onChannel, sendToWindow } from "runtime:ipc";

                let viaCallback = 0;
                onChannel("tick", (payload, windowId) => {
                  viaCallback += (payload as { n: number }).n > 0 ? 1 : 0;
                });
                let viaStream = 0;
                for await (const event of windowEvents()) {
                  if (event.channel !== "tick") continue;
                  viaStream++;
                  if (viaStream % %ACK% === 0) {
                    await sendToWindow(event.windowId, "ack", { viaStream, viaCallback });
                  }
                }
                console.log("stream", viaStream, "callback", viaCallback);
                """.replace("%ACK%", String.valueOf(ACK_EVERY)));
        ScriptApp app = ScriptApp.load(dir);
        Semaphore acks = new Semaphore(0);
        CompletableFuture<MemoryWindows> windows = new CompletableFuture<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> app.run(config -> {
            MemoryWindows w = new MemoryWindows(config);
            w.open("feeder").onMessage(m -> acks.release());
            windows.complete(w);
            return w;
        }, o, o));
        MemoryWindows w = windows.get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> w.ipc.stats().subscribers() >= 2);
        MemoryWindows.Page page = w.pages.get("feeder");
        String batch = batch();

        V8Footprint before = null;
        long jvmBefore = 0;
        for (int sent = 0; sent < TOTAL; ) {
            for (int i = 0; i < ACK_EVERY; i += BATCH) {
                page.link.receive(batch);
            }
            sent += ACK_EVERY;
            assertThat(acks.tryAcquire(60, TimeUnit.SECONDS)).as("ack after %d events; out: %s", sent, out).isTrue();
            if (sent == WARM_UP) {
                before = V8Footprint.of(app.runtime()).get(30, TimeUnit.SECONDS);
                jvmBefore = jvmHeapAfterGc();
            }
        }
        V8Footprint after = V8Footprint.of(app.runtime()).get(30, TimeUnit.SECONDS);
        long jvmAfter = jvmHeapAfterGc();
        System.out.printf("soak: V8 heap %d -> %d bytes, V8 handles %d -> %d, subscriptions %d -> %d, JVM heap %d -> %d bytes%n",
                before.v8HeapBytes(), after.v8HeapBytes(), before.v8Handles(), after.v8Handles(),
                before.openSubscriptions(), after.openSubscriptions(), jvmBefore, jvmAfter);

        page.close();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("stream " + TOTAL + " callback " + TOTAL);
        // 900,000 events after the warm-up: any per-event leak of even a few bytes would show here.
        assertThat(after.v8HeapBytes() - before.v8HeapBytes()).as("V8 heap growth").isLessThan(1_000_000);
        assertThat(after.v8Handles()).as("open V8 handles").isLessThanOrEqualTo(before.v8Handles() + 2);
        assertThat(after.openSubscriptions()).isEqualTo(before.openSubscriptions());
        assertThat(jvmAfter - jvmBefore).as("JVM heap growth").isLessThan(16L * 1024 * 1024);
    }

    private static String batch() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < BATCH; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"c\":\"tick\",\"p\":{\"n\":").append(i + 1).append("}}");
        }
        return sb.append(']').toString();
    }

    private static long jvmHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
