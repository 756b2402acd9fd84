package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Order is kept per window and direction, whatever the interleaving of windows and threads. */
class OrderingProperties {

    @Property(tries = 25)
    void inboundOrderIsKeptPerWindowUnderConcurrentPages(@ForAll @IntRange(min = 1, max = 5) int windows,
                                                         @ForAll @IntRange(min = 1, max = 400) int perWindow,
                                                         @ForAll @IntRange(min = 1, max = 50) int batchSize) throws Exception {
        try (Ipc ipc = Ipc.create()) {
            List<InMemoryRenderer> pages = new ArrayList<>();
            for (int w = 0; w < windows; w++) {
                pages.add(new InMemoryRenderer(ipc, "w" + w));
            }
            EventStream all = ipc.windowEvents();
            List<IpcEvent> viaCallback = new CopyOnWriteArrayList<>();
            ipc.onEvent(viaCallback::add);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (InMemoryRenderer page : pages) {
                Thread t = new Thread(() -> {
                    await(start);
                    List<Object[]> batch = new ArrayList<>();
                    for (int i = 0; i < perWindow; i++) {
                        batch.add(new Object[] {"seq", i});
                        if (batch.size() == batchSize || i == perWindow - 1) {
                            page.sendBatch(batch);
                            batch = new ArrayList<>();
                        }
                    }
                });
                t.start();
                senders.add(t);
            }
            start.countDown();
            for (Thread t : senders) {
                t.join();
            }
            List<IpcEvent> seen = new ArrayList<>();
            for (int i = 0; i < windows * perWindow; i++) {
                seen.add(all.poll(Duration.ofSeconds(10)));
            }
            assertPerWindowSequence(seen, windows, perWindow);
            org.awaitility.Awaitility.await().until(() -> viaCallback.size() == windows * perWindow);
            assertPerWindowSequence(viaCallback, windows, perWindow);
        }
    }

    @Property(tries = 20)
    void inboundOrderIsKeptWhenSmallBatchesPublishInlineAndLargeOnesOnTheDispatchThread(
            @ForAll @IntRange(min = 1, max = 3) int windows,
            @ForAll java.util.List<@IntRange(min = 0, max = 2) Integer> kinds) throws Exception {
        // kind 0: a small batch, 1: a batch over the inline limit, 2: a system event
        try (Ipc ipc = Ipc.create()) {
            List<InMemoryRenderer> pages = new ArrayList<>();
            for (int w = 0; w < windows; w++) {
                pages.add(new InMemoryRenderer(ipc, "w" + w));
            }
            EventStream all = ipc.windowEvents();
            String filler = "x".repeat(AttachedWindow.INLINE_LIMIT);
            List<Thread> senders = new ArrayList<>();
            for (InMemoryRenderer page : pages) {
                Thread t = new Thread(() -> {
                    int seq = 0;
                    for (int kind : kinds) {
                        if (kind == 2) {
                            page.link.systemEvent(EventType.MOVE, InMemoryRenderer.JSON.valueToTree(java.util.Map.of("x", seq++)));
                        } else {
                            page.sendBatch(List.<Object[]>of(new Object[] {"seq",
                                    java.util.Map.of("x", seq++, "pad", kind == 1 ? filler : "")}));
                        }
                    }
                });
                t.start();
                senders.add(t);
            }
            for (Thread t : senders) {
                t.join();
            }
            Map<String, Integer> next = new HashMap<>();
            for (int i = 0; i < windows * kinds.size(); i++) {
                IpcEvent e = all.poll(Duration.ofSeconds(10));
                assertThat(e).isNotNull();
                int expected = next.getOrDefault(e.windowId(), 0);
                assertThat(e.payload().get("x").asInt()).as("event from %s", e.windowId()).isEqualTo(expected);
                next.put(e.windowId(), expected + 1);
            }
        }
    }

    /**
     * Senders that pause now and then mix lone sends (handed over by the sending thread, completed
     * there) with bursts (batched on the dispatch thread): delivery and completion stay in order.
     */
    @Property(tries = 25)
    void outboundOrderIsKeptPerSendingThread(@ForAll @IntRange(min = 1, max = 4) int threads,
                                             @ForAll @IntRange(min = 1, max = 500) int perThread,
                                             @ForAll @IntRange(min = 0, max = 50) int pauseEvery,
                                             @ForAll boolean readyFirst) throws Exception {
        try (Ipc ipc = Ipc.create(IpcConfig.builder().maxBatchMessages(64).build())) {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
            if (readyFirst) {
                page.link.ready();
            }
            List<CompletableFuture<Void>> sends = new CopyOnWriteArrayList<>();
            Map<String, List<Integer>> completed = new java.util.concurrent.ConcurrentHashMap<>();
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String channel = "t" + t;
                List<Integer> done = java.util.Collections.synchronizedList(new ArrayList<>());
                completed.put(channel, done);
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        if (pauseEvery > 0 && i % pauseEvery == 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(Outbox.BURST_GAP_NANOS * 3);
                        }
                        int n = i;
                        sends.add(ipc.sendToWindow("w", channel, i).thenRun(() -> done.add(n)));
                    }
                });
                thread.start();
                senders.add(thread);
            }
            for (Thread t : senders) {
                t.join();
            }
            page.link.ready();
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
            Map<String, Integer> next = new HashMap<>();
            for (OutboundMessage m : page.messages()) {
                int expected = next.getOrDefault(m.channel(), 0);
                assertThat(Integer.parseInt(m.payloadJson())).isEqualTo(expected);
                next.put(m.channel(), expected + 1);
            }
            assertThat(page.messages()).hasSize(threads * perThread);
            assertThat(page.batches).allSatisfy(b -> assertThat(b.size()).isLessThanOrEqualTo(64));
            List<Integer> inOrder = java.util.stream.IntStream.range(0, perThread).boxed().toList();
            completed.forEach((channel, done) -> assertThat(done).as("completions of %s", channel).isEqualTo(inOrder));
        }
    }

    /**
     * A renderer that takes batches later (as a window does, on its UI thread): futures complete
     * only once their batch is taken, refused messages fail alone, and futures complete in send
     * order however the batches' stages complete, also mixed with batches taken synchronously.
     */
    @Property(tries = 30)
    void futuresCompleteInSendOrderWhenTheRendererTakesBatchesOutOfOrder(
            @ForAll @IntRange(min = 1, max = 300) int sends,
            @ForAll @IntRange(min = 0, max = 20) int pauseEvery,
            @ForAll("seeds") long seed) throws Exception {
        java.util.Random random = new java.util.Random(seed);
        List<CompletableFuture<RendererTransport.Receipt>> stages = new CopyOnWriteArrayList<>();
        List<List<OutboundMessage>> batches = new CopyOnWriteArrayList<>();
        try (Ipc ipc = Ipc.create(IpcConfig.builder().maxBatchMessages(16).build())) {
            ipc.attach("w", batch -> {
                CompletableFuture<RendererTransport.Receipt> later = random.nextInt(4) == 0 ? null : new CompletableFuture<>();
                stages.add(later == null ? null : later); // before batches: the test waits on batches
                batches.add(List.copyOf(batch));
                return later == null ? RendererTransport.TAKEN : later;
            }, null).ready();
            List<CompletableFuture<Void>> futures = new ArrayList<>();
            List<Integer> completed = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < sends; i++) {
                if (pauseEvery > 0 && i % pauseEvery == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(Outbox.BURST_GAP_NANOS * 3);
                }
                int n = i;
                CompletableFuture<Void> f = ipc.sendToWindow("w", "seq", i);
                f.whenComplete((ok, error) -> completed.add(n));
                futures.add(f);
            }
            org.awaitility.Awaitility.await().until(() -> batches.stream().mapToInt(List::size).sum() == sends);
            // every batch the renderer has not taken yet keeps its futures, and all after them, pending
            int pendingFrom = 0;
            for (int b = 0; b < stages.size() && stages.get(b) == null; b++) {
                pendingFrom += batches.get(b).size();
            }
            int takenFirst = pendingFrom;
            org.awaitility.Awaitility.await("exactly the futures before the first batch the renderer has not taken")
                    .until(() -> completed.size() == takenFirst);
            assertThat(futures.subList(takenFirst, sends)).noneMatch(CompletableFuture::isDone);

            // the renderer takes the batches in a random order, refusing some messages
            List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, stages.size()).boxed().toList());
            java.util.Collections.shuffle(order, random);
            java.util.Set<Integer> refused = new java.util.HashSet<>();
            int[] firstOfBatch = new int[stages.size()];
            for (int b = 1; b < stages.size(); b++) {
                firstOfBatch[b] = firstOfBatch[b - 1] + batches.get(b - 1).size();
            }
            for (int b : order) {
                CompletableFuture<RendererTransport.Receipt> stage = stages.get(b);
                if (stage == null) {
                    continue;
                }
                Map<Integer, KilnException> refusals = new HashMap<>();
                if (random.nextInt(3) == 0) {
                    int index = random.nextInt(batches.get(b).size());
                    refusals.put(index, new KilnException(ErrorCode.SERIALIZATION, "refused " + (firstOfBatch[b] + index)));
                    refused.add(firstOfBatch[b] + index);
                }
                stage.complete(new RendererTransport.Receipt(refusals));
            }
            org.awaitility.Awaitility.await().until(() -> completed.size() == sends);
            assertThat(completed).isEqualTo(java.util.stream.IntStream.range(0, sends).boxed().toList());
            for (int i = 0; i < sends; i++) {
                if (refused.contains(i)) {
                    assertThat(SendToWindowTest.failureOf(futures.get(i))).hasMessage("[7003] refused " + i);
                } else {
                    assertThat(futures.get(i)).isCompleted().isNotCompletedExceptionally();
                }
            }
            assertThat(ipc.stats().messagesSent()).isEqualTo(sends - refused.size());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    private static void assertPerWindowSequence(List<IpcEvent> seen, int windows, int perWindow) {
        Map<String, Integer> next = new HashMap<>();
        for (IpcEvent e : seen) {
            assertThat(e).isNotNull();
            int expected = next.getOrDefault(e.windowId(), 0);
            assertThat(e.payload().asInt()).as("event from %s", e.windowId()).isEqualTo(expected);
            next.put(e.windowId(), expected + 1);
        }
        assertThat(next).hasSize(windows).allSatisfy((w, n) -> assertThat(n).isEqualTo(perWindow));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
