package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SendToWindowTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder().maxPayloadBytes(1024).build());

    @AfterEach
    void shutDown() {
        ipc.shutdown();
    }

    @Test
    void queuesUntilReadyThenFlushesInOrderAsOneBatch() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "main-window");
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sends.add(ipc.sendToWindow("main-window", "update", Map.of("count", i)));
        }
        assertThat(page.batches).isEmpty();

        page.link.ready();

        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
        assertThat(page.batches).hasSize(1);
        assertThat(page.messages()).extracting(m -> InMemoryRenderer.json(m.payloadJson()).get("count").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 500).boxed().toList());
    }

    @Test
    void aLoneSendIsHandedOverByTheSendingThread() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();

        CompletableFuture<Void> sent = ipc.sendToWindow("w", "reply", 1);

        assertThat(sent).isCompleted(); // no thread hand-off: a request's answer leaves at once
        assertThat(page.deliveredOn).containsExactly(Thread.currentThread());
        assertThat(page.messages()).containsExactly(new OutboundMessage("reply", "1"));
    }

    @Test
    void futuresCompleteInSendOrderWhenALoneSendFollowsABurst() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Runnable> held = new java.util.concurrent.LinkedBlockingQueue<>();
        Ipc onHeld = Ipc.create(IpcConfig.builder().callbackExecutor(held::add).build()); // completions wait here
        try {
            InMemoryRenderer page = new InMemoryRenderer(onHeld, "w");
            List<Integer> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 100; i++) { // queued until ready, then flushed from the dispatch thread
                int n = i;
                onHeld.sendToWindow("w", "c", i).thenRun(() -> completed.add(n));
            }
            page.link.ready();
            await().until(() -> page.messages().size() == 100 && !held.isEmpty());
            Thread.sleep(5); // the next send is a lone one, handed over by this thread
            onHeld.sendToWindow("w", "c", 100).thenRun(() -> completed.add(100));
            assertThat(page.messages()).hasSize(101);
            assertThat(completed).isEmpty(); // the burst's futures are still queued: the lone one waits its turn

            Runnable task;
            while ((task = held.poll(1, TimeUnit.SECONDS)) != null) {
                task.run();
            }
            assertThat(completed).containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, 100).boxed().toList());
        } finally {
            onHeld.shutdown();
        }
    }

    @Test
    void aBurstFromOneThreadIsBatched() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            sends.add(ipc.sendToWindow("w", "tick", i));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();

        assertThat(page.messages()).extracting(m -> Integer.parseInt(m.payloadJson()))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20_000).boxed().toList());
        // Sends a few microseconds apart are one burst: far fewer deliveries than messages. The bound
        // leaves room for a loaded machine, where JIT and other processes spread a burst out (2,487
        // batches were seen with the load average at 15).
        assertThat(page.batches.size()).isLessThan(5_000);
    }

    @Test
    void sendWithoutPayloadDeliversJsonNull() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "main-window");
        page.link.ready();
        ipc.sendToWindow("main-window", "refresh").join();
        assertThat(page.messages()).containsExactly(new OutboundMessage("refresh", "null"));
    }

    @Test
    void burstsWhileTheRendererIsBusyBecomeOneBatch() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        CountDownLatch gate = new CountDownLatch(1);
        page.gate = gate;
        // A lone send is taken to the transport by the sending thread: here it stays there, busy.
        CompletableFuture<CompletableFuture<Void>> first = CompletableFuture.supplyAsync(() -> ipc.sendToWindow("w", "c", 0));
        Thread.sleep(50); // let the first flush reach the busy transport
        assertThat(first).isNotDone();
        List<CompletableFuture<Void>> burst = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            burst.add(ipc.sendToWindow("w", "c", i));
        }
        gate.countDown();
        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).join();

        assertThat(page.messages()).hasSize(1001);
        assertThat(page.batches.size()).isLessThanOrEqualTo(3);
        assertThat(ipc.stats().batchesSent()).isEqualTo(page.batches.size());
    }

    @Test
    void unknownWindowFailsWith7002() {
        assertThatThrownBy(() -> ipc.sendToWindow("main-window", "update").join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(KilnException.class)
                .hasMessage("[7002] Window not found: main-window")
                .extracting(e -> ((KilnException) e).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
    }

    @Test
    void closingAWindowFailsItsQueuedSendsWith7002() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        CompletableFuture<Void> queued = ipc.sendToWindow("w", "update", 1);
        page.link.detach();
        assertThat(failureOf(queued).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(failureOf(ipc.sendToWindow("w", "update", 2)).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(ipc.windowIds()).doesNotContain("w");
        page.link.detach(); // idempotent
    }

    @Test
    void unserializablePayloadFailsWith7003AndLosesNothingElse() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        SelfReferencing cycle = new SelfReferencing();
        cycle.self = cycle;
        KilnException e = failureOf(ipc.sendToWindow("w", "c", cycle));
        assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION);
        assertThat(e.getMessage()).startsWith("[7003] Payload of type ").contains("SelfReferencing");
        ipc.sendToWindow("w", "c", "after").join();
        assertThat(page.messages()).containsExactly(new OutboundMessage("c", "\"after\""));
    }

    @Test
    void oversizedPayloadFailsWith7003NamingTheSize() {
        new InMemoryRenderer(ipc, "w").link.ready();
        KilnException e = failureOf(ipc.sendToWindow("w", "c", "é".repeat(600)));
        assertThat(e.code()).isEqualTo(ErrorCode.SERIALIZATION);
        assertThat(e.getMessage()).isEqualTo("[7003] Payload is 1202 bytes; the limit is 1024 bytes");
    }

    @Test
    void badChannelNamesFailWith7000() {
        new InMemoryRenderer(ipc, "w");
        assertThat(failureOf(ipc.sendToWindow("w", "")).getMessage()).isEqualTo("[7000] Channel name must not be empty");
        assertThat(failureOf(ipc.sendToWindow("w", "x".repeat(257))).getMessage())
                .isEqualTo("[7000] Channel name is 257 characters long; the limit is 256");
        assertThat(failureOf(ipc.sendToWindow("w", "a\nb")).getMessage())
                .isEqualTo("[7000] Channel name must not contain control characters (U+000A at index 1)");
        assertThat(failureOf(ipc.sendToWindow("w", null)).code()).isEqualTo(ErrorCode.CHANNEL_SEND);
        assertThat(ipc.sendToWindow("w", "x".repeat(256))).isNotCompletedExceptionally();
    }

    @Test
    void deniedChannelFailsWith7004() {
        try (Ipc strict = Ipc.create(IpcConfig.builder()
                .policy(new ChannelPolicy(List.of("app:*"), List.of("app:secret"))).build())) {
            InMemoryRenderer page = new InMemoryRenderer(strict, "w");
            page.link.ready();
            KilnException e = failureOf(strict.sendToWindow("w", "app:secret"));
            assertThat(e.getMessage()).isEqualTo("[7004] Channel 'app:secret' is not allowed for window w");
            assertThat(failureOf(strict.sendToWindow("w", "other")).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            strict.sendToWindow("w", "app:ok").join();
            assertThat(page.messages()).extracting(OutboundMessage::channel).containsExactly("app:ok");
        }
    }

    @Test
    void perWindowAllowListOverridesTheDefaultButNotTheDenyList() {
        try (Ipc strict = Ipc.create(IpcConfig.builder()
                .policy(new ChannelPolicy(List.of("app:*"), List.of("admin:wipe"))).build())) {
            new InMemoryRenderer(strict, "admin", List.of("admin:*")).link.ready();
            strict.sendToWindow("admin", "admin:report").join();
            assertThat(failureOf(strict.sendToWindow("admin", "app:x")).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(failureOf(strict.sendToWindow("admin", "admin:wipe")).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        }
    }

    @Test
    void aTransportThatThrowsFailsTheBatchWith7000() {
        ipc.attach("broken", batch -> {
            throw new IllegalStateException("renderer crashed");
        }, null).ready();
        KilnException e = failureOf(ipc.sendToWindow("broken", "c", 1));
        assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_SEND);
        assertThat(e.getMessage()).contains("broken").contains("renderer crashed");
    }

    @Test
    void aSendCompletesOnlyWhenTheRendererTookItAndSendsQueuedBehindFailOnCloseAfterIt() {
        CompletableFuture<RendererTransport.Receipt> taking = new CompletableFuture<>();
        RendererLink link = ipc.attach("slow", batch -> taking, null);
        link.ready();
        CompletableFuture<Void> first = ipc.sendToWindow("slow", "c", 1);
        await().until(() -> ipc.windowIds().contains("slow") && !taking.isDone() && first != null);
        assertThat(first).as("handed over, not yet taken").isNotDone();
        link.loading(); // the renderer reloads: the next send waits in the engine's queue
        CompletableFuture<Void> second = ipc.sendToWindow("slow", "c", 2);

        link.detach();

        assertThat(second).as("it waits for the batch before it: futures complete in send order").isNotDone();
        taking.completeExceptionally(KilnException.windowNotFound("slow", "closed before its page took the message"));
        assertThat(failureOf(first)).hasMessage("[7002] Window not found: slow (closed before its page took the message)");
        assertThat(failureOf(second).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(ipc.stats().messagesSent()).isZero();
    }

    @Test
    void reloadQueuesAgainUntilReady() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.sendToWindow("w", "c", 1).join();
        page.link.loading();
        CompletableFuture<Void> during = ipc.sendToWindow("w", "c", 2);
        assertThat(page.messages()).hasSize(1);
        page.link.ready();
        during.join();
        assertThat(page.messages()).hasSize(2);
        assertThat(page.messages().get(1).payloadJson()).isEqualTo("2");
    }

    @Test
    void duplicateWindowIdIsRefusedWithACodeAndTheFirstWindowKeepsWorking() {
        InMemoryRenderer first = new InMemoryRenderer(ipc, "w");
        first.link.ready();
        assertThatThrownBy(() -> new InMemoryRenderer(ipc, "w"))
                .isInstanceOfSatisfying(KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CHANNEL_SEND))
                .hasMessage("[7000] A window with id 'w' is already attached: window ids must be unique");
        ipc.sendToWindow("w", "still", 1).join();
        assertThat(first.messages()).extracting(OutboundMessage::channel).containsExactly("still");
    }

    @Test
    void jsonTextPassesThroughUnchanged() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.sendToWindow("w", "c", new JsonText("{\"a\":[1,2]}")).join();
        assertThat(page.messages()).containsExactly(new OutboundMessage("c", "{\"a\":[1,2]}"));
    }

    static KilnException failureOf(CompletableFuture<?> future) {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(KilnException.class);
            return (KilnException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("The future did not fail in time", e);
        }
        throw new AssertionError("The future completed normally");
    }

    static final class SelfReferencing {
        public SelfReferencing self;
    }
}
