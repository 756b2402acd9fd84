package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void shutdownEndsEveryStreamAndEveryPendingReceive() throws Exception {
        Ipc ipc = Ipc.create();
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        EventStream all = ipc.windowEvents();
        EventStream forW = ipc.windowEventsFor("w");
        EventStream channel = ipc.channelEvents("c");
        ExecutorService readers = Executors.newFixedThreadPool(3);
        List<Future<Integer>> counts = new ArrayList<>();
        for (EventStream s : List.of(all, forW, channel)) {
            counts.add(readers.submit(() -> {
                int n = 0;
                for (IpcEvent ignored : s) {
                    n++;
                }
                return n;
            }));
        }
        CompletableFuture<IpcEvent> firstReceive = ipc.recvWindowEvent();
        page.send("c", 1);
        assertThat(firstReceive.get(5, TimeUnit.SECONDS).channel()).isEqualTo("c");
        CompletableFuture<IpcEvent> pendingReceive = ipc.recvWindowEvent();
        // A stream of its own: a nextAsync on `all` would compete with the reader thread for the same events.
        EventStream late = ipc.windowEvents();
        CompletableFuture<IpcEvent> pendingAsync = late.nextAsync();

        page.send("c", 2);
        page.link.systemEvent(EventType.CLOSE, null);
        ipc.shutdown();

        for (Future<Integer> c : counts) {
            assertThat(c.get(5, TimeUnit.SECONDS)).isBetween(2, 3);
        }
        assertThat(pendingReceive.get(5, TimeUnit.SECONDS)).isNotNull(); // the second event was already received
        assertThat(ipc.recvWindowEvent().get(5, TimeUnit.SECONDS).type()).isEqualTo(EventType.CLOSE);
        assertThat(ipc.recvWindowEvent().get(5, TimeUnit.SECONDS)).isNull();
        assertThat(pendingAsync.get(5, TimeUnit.SECONDS).payload().asInt()).isEqualTo(2);
        assertThat(late.take().type()).isEqualTo(EventType.CLOSE);
        assertThat(late.take()).isNull();
        assertThat(all.take()).isNull();
        assertThat(ipc.windowEvents().poll(Duration.ofSeconds(1))).isNull();
        ipc.terminated().get(5, TimeUnit.SECONDS);
        readers.shutdownNow();
    }

    @Test
    void eventsReceivedBeforeShutdownAreStillDeliveredThenTheLoopEnds() throws Exception {
        Ipc ipc = Ipc.create();
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        EventStream s = ipc.windowEvents();
        for (int i = 0; i < 1000; i++) {
            page.send("c", i);
        }
        page.link.systemEvent(EventType.CLOSE, null);
        ipc.shutdown();
        List<IpcEvent> seen = new ArrayList<>();
        for (IpcEvent e : s) {
            seen.add(e);
        }
        assertThat(seen).hasSize(1001);
        assertThat(seen.get(1000).type()).isEqualTo(EventType.CLOSE);
    }

    @Test
    void sendsAfterShutdownFailWith7000AndQueuedSendsFail() throws Exception {
        Ipc ipc = Ipc.create();
        new InMemoryRenderer(ipc, "w"); // never ready: its sends stay queued
        CompletableFuture<Void> queued = ipc.sendToWindow("w", "c", 1);
        ipc.shutdown();
        assertThat(SendToWindowTest.failureOf(queued).code()).isEqualTo(ErrorCode.CHANNEL_SEND);
        KilnException late = SendToWindowTest.failureOf(ipc.sendToWindow("w", "c", 2));
        assertThat(late.getMessage()).isEqualTo("[7000] The runtime has shut down");
        assertThat(SendToWindowTest.failureOf(ipc.broadcast(List.of("w"), "c")).code()).isEqualTo(ErrorCode.CHANNEL_SEND);
        ipc.shutdown(); // idempotent
        ipc.terminated().get(5, TimeUnit.SECONDS);
    }

    @Test
    void callbacksStopAtShutdownAndTheEngineThreadsEnd() throws Exception {
        Ipc ipc = Ipc.create();
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        Subscription sub = ipc.onEvent(e -> { });
        page.send("c", 1);
        ipc.shutdown();
        ipc.terminated().get(5, TimeUnit.SECONDS);
        assertThat(sub.isActive()).isFalse();
        org.awaitility.Awaitility.await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("kiln-ipc-dispatch") && t.isAlive()));
    }

    @Test
    void callbacksStillRunForEventsReceivedBeforeShutdownThenTerminatedCompletes() throws Exception {
        Ipc ipc = Ipc.create();
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ipc.onChannel("close", (payload, windowId) -> {
            sleepQuietly(200); // a slow handler: shutdown must wait for it, not skip it
            seen.add("closed " + windowId);
        });
        ipc.onEvent(e -> seen.add(e.channel()));
        page.send("last-words", null);
        page.link.systemEvent(EventType.CLOSE, null);
        ipc.shutdown();
        ipc.terminated().get(5, TimeUnit.SECONDS);
        assertThat(seen).containsExactlyInAnyOrder("last-words", "close", "closed w");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
