package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A call that is cancelled or times out leaves nothing behind: no table entry, no timer, no memory. */
class CallLeakTest {

    @Test
    void aMillionCancelledAndTimedOutCallsLeaveNothingBehind() {
        try (Ipc ipc = Ipc.create()) {
            AtomicLong delivered = new AtomicLong();
            RendererLink page = ipc.attach("w", batch -> {
                delivered.addAndGet(batch.size()); // a page that never answers
                return RendererTransport.TAKEN;
            }, null);
            page.ready();
            runCalls(ipc, 50_000); // warm up, so that the heap after it is the baseline
            long before = usedHeapAfterGc();
            int n = Integer.getInteger("calls", 1_000_000);
            runCalls(ipc, n);
            long after = usedHeapAfterGc();
            System.out.printf("1M calls (90%% cancelled, 10%% timed out): heap %d -> %d KiB after GC, %d messages delivered%n",
                    before / 1024, after / 1024, delivered.get());
            assertThat(ipc.callsAndTimersInProgress()).isZero();
            assertThat(after - before).isLessThan(16L * 1024 * 1024);
        }
    }

    private static void runCalls(Ipc ipc, int n) {
        CompletableFuture<?> last = null;
        for (int i = 0; i < n; i++) {
            if (i % 10 == 0) {
                last = ipc.invokeWindow("w", "c", i, Duration.ofMillis(1)).exceptionally(e -> null);
            } else {
                CompletableFuture<JsonNode> call = ipc.invokeWindow("w", "c", i, Duration.ofMinutes(10));
                call.cancel(true);
            }
        }
        last.join();
        await().atMost(Duration.ofSeconds(60)).until(() -> ipc.callsAndTimersInProgress() == 0);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
