package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FanOutTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder().backlogGrace(Duration.ZERO).build());
    private final InMemoryRenderer main = new InMemoryRenderer(ipc, "main");
    private final InMemoryRenderer settings = new InMemoryRenderer(ipc, "settings");

    @AfterEach
    void shutDown() {
        ipc.shutdown();
    }

    @Test
    void everyStreamAndCallbackSeesEveryMatchingEvent() throws Exception {
        List<IpcEvent> all = new CopyOnWriteArrayList<>();
        List<String> clicks = new CopyOnWriteArrayList<>();
        try (EventStream s1 = ipc.windowEvents(); EventStream s2 = ipc.windowEvents();
             EventStream forMain = ipc.windowEventsFor("main"); EventStream onClick = ipc.channelEvents("button-click");
             Subscription cb = ipc.onEvent(all::add);
             Subscription ch = ipc.onChannel("button-click", (payload, id) -> clicks.add(id + ":" + payload.get("buttonId").asText()))) {
            main.send("button-click", java.util.Map.of("buttonId", "submit"));
            settings.send("button-click", java.util.Map.of("buttonId", "save"));
            main.send("other", null);

            assertThat(take(s1, 3)).extracting(IpcEvent::channel).containsExactly("button-click", "button-click", "other");
            assertThat(take(s2, 3)).extracting(IpcEvent::windowId).containsExactly("main", "settings", "main");
            assertThat(take(forMain, 2)).extracting(IpcEvent::channel).containsExactly("button-click", "other");
            assertThat(take(onClick, 2)).extracting(IpcEvent::windowId).containsExactly("main", "settings");
            await().until(() -> all.size() == 3 && clicks.size() == 2);
            assertThat(clicks).containsExactly("main:submit", "settings:save");
            assertThat(forMain.poll(Duration.ofMillis(50))).isNull();
        }
    }

    @Test
    void concurrentConsumersNeverStealEachOthersEvents() throws Exception {
        int consumers = 6;
        int events = 5_000;
        List<EventStream> streams = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            streams.add(ipc.windowEvents());
        }
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        List<Future<List<Integer>>> seen = new ArrayList<>();
        for (EventStream s : streams) {
            seen.add(pool.submit(() -> {
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    got.add(s.take().payload().asInt());
                }
                return got;
            }));
        }
        for (int i = 0; i < events; i++) {
            main.send("tick", i);
        }
        List<Integer> expected = java.util.stream.IntStream.range(0, events).boxed().toList();
        for (Future<List<Integer>> f : seen) {
            assertThat(f.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
        }
        pool.shutdownNow();
        streams.forEach(EventStream::close);
    }

    @Test
    void theWindowIdIsStampedByTheHostNeverTakenFromThePage() throws Exception {
        try (EventStream s = ipc.windowEvents()) {
            main.link.receive("[{\"c\":\"spoof\",\"p\":{\"windowId\":\"settings\"},\"windowId\":\"settings\"}]");
            IpcEvent e = s.take();
            assertThat(e.windowId()).isEqualTo("main");
            assertThat(e.type()).isNull();
            assertThat(e.payload().get("windowId").asText()).isEqualTo("settings");
        }
    }

    @Test
    void eventsArrivingWhileNobodyListensAreHandedToTheNextSubscribers() throws Exception {
        main.send("early", 1);
        settings.send("early", 2);
        main.send("other", 3);
        await().until(() -> ipc.stats().backlogSize() == 3);

        try (EventStream early = ipc.channelEvents("early")) {
            assertThat(take(early, 2)).extracting(e -> e.payload().asInt()).containsExactly(1, 2);
        }
        try (EventStream rest = ipc.windowEvents()) {
            assertThat(take(rest, 1)).extracting(IpcEvent::channel).containsExactly("other");
        }
        assertThat(ipc.stats().backlogSize()).isZero();
    }

    @Test
    void backlogEventsStayAvailableToListenersRegisteredRightAfterEachOther() throws Exception {
        try (Ipc graceful = Ipc.create(IpcConfig.builder().backlogGrace(Duration.ofSeconds(5)).build())) {
            InMemoryRenderer page = new InMemoryRenderer(graceful, "w");
            page.send("ready", null);
            await().until(() -> graceful.stats().backlogSize() == 1);
            List<String> seen = new CopyOnWriteArrayList<>();
            graceful.onEvent(e -> seen.add("onEvent:" + e.channel()));
            graceful.onChannel("ready", (p, id) -> seen.add("onChannel:" + id));
            await().until(() -> seen.size() == 2);
            assertThat(seen).containsExactlyInAnyOrder("onEvent:ready", "onChannel:w");
        }
    }

    @Test
    void aFullBacklogDropsTheOldestLoudlyAndCountsIt() {
        try (Ipc small = Ipc.create(IpcConfig.builder().backlogCapacity(10).build())) {
            InMemoryRenderer page = new InMemoryRenderer(small, "w");
            for (int i = 0; i < 25; i++) {
                page.send("c", i);
            }
            await().until(() -> small.stats().eventsReceived() == 25);
            assertThat(small.stats().eventsDropped()).isEqualTo(15);
            assertThat(small.stats().backlogSize()).isEqualTo(10);
            EventStream s = small.windowEvents();
            assertThat(s.poll(Duration.ofSeconds(1)).payload().asInt()).isEqualTo(15);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLaggingStreamDropsItsOldestLoudlyAndCountsIt() throws Exception {
        try (Ipc small = Ipc.create(IpcConfig.builder().subscriberBufferCapacity(100).build())) {
            InMemoryRenderer page = new InMemoryRenderer(small, "w");
            EventStream lagging = small.windowEvents();
            for (int i = 0; i < 150; i++) {
                page.send("c", i);
            }
            await().until(() -> small.stats().eventsReceived() == 150);
            assertThat(small.stats().eventsDropped()).isEqualTo(50);
            assertThat(lagging.take().payload().asInt()).isEqualTo(50);
        }
    }

    @Test
    void unsubscribeIsIdempotentAndStopsDeliveryEvenFromInsideTheCallback() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Subscription[] self = new Subscription[1];
        CountDownLatch firstSeen = new CountDownLatch(1);
        self[0] = ipc.onChannel("c", (payload, id) -> {
            seen.add(payload.asInt());
            self[0].unsubscribe();
            self[0].unsubscribe();
            firstSeen.countDown();
        });
        try (EventStream witness = ipc.channelEvents("c")) {
            for (int i = 0; i < 100; i++) {
                main.send("c", i);
            }
            take(witness, 100);
        }
        assertThat(firstSeen.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).containsExactly(0);
        assertThat(self[0].isActive()).isFalse();
        assertThat(ipc.stats().subscribers()).isZero();
    }

    @Test
    void unsubscribingAStreamEndsItAndLeavesNoSubscriberBehind() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            EventStream s = ipc.windowEvents();
            Subscription cb = ipc.onEvent(e -> { });
            s.close();
            cb.unsubscribe();
            assertThat(s.take()).isNull();
        }
        assertThat(ipc.stats().subscribers()).isZero();
    }

    @Test
    void aThrowingCallbackDoesNotStopLaterEventsOrOtherListeners() throws Exception {
        List<JsonNode> seen = new CopyOnWriteArrayList<>();
        ipc.onChannel("c", (p, id) -> {
            throw new IllegalStateException("app bug");
        });
        ipc.onChannel("c", (p, id) -> seen.add(p));
        main.send("c", 1);
        main.send("c", 2);
        await().until(() -> seen.size() == 2);
    }

    @Test
    void callbacksRunOnTheConfiguredExecutorInOrder() throws Exception {
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-loop"));
        try (Ipc onLoop = Ipc.create(IpcConfig.builder().callbackExecutor(loop).build())) {
            InMemoryRenderer page = new InMemoryRenderer(onLoop, "w");
            List<String> threads = new CopyOnWriteArrayList<>();
            List<Integer> order = new CopyOnWriteArrayList<>();
            onLoop.onEvent(e -> {
                threads.add(Thread.currentThread().getName());
                order.add(e.payload().asInt());
            });
            for (int i = 0; i < 1000; i++) {
                page.send("c", i);
            }
            await().until(() -> order.size() == 1000);
            assertThat(order).isSorted();
            assertThat(threads).containsOnly("app-loop");
        } finally {
            loop.shutdown();
        }
    }

    @Test
    void nextAsyncCompletesInOrder() throws Exception {
        try (EventStream s = ipc.windowEvents()) {
            var a = s.nextAsync();
            var b = s.nextAsync();
            main.send("c", 1);
            main.send("c", 2);
            assertThat(a.get(5, TimeUnit.SECONDS).payload().asInt()).isEqualTo(1);
            assertThat(b.get(5, TimeUnit.SECONDS).payload().asInt()).isEqualTo(2);
        }
    }

    @Test
    void onChannelEventHandsOverTheWholeEventWithThePagesText() throws Exception {
        List<IpcEvent> seen = new CopyOnWriteArrayList<>();
        ipc.onChannelEvent("save", seen::add);
        main.link.receive("[{\"c\":\"other\"},{\"c\":\"save\",\"p\":{ \"doc\" : 1 }}]");
        await().until(() -> seen.size() == 1);
        assertThat(seen.get(0).windowId()).isEqualTo("main");
        assertThat(seen.get(0).payloadJson()).isEqualTo("{ \"doc\" : 1 }");
    }

    @Test
    void payloadAsConvertsToRecordsOrFailsWith7003() throws Exception {
        try (EventStream s = ipc.windowEvents()) {
            main.send("click", java.util.Map.of("buttonId", "submit"));
            IpcEvent e = s.take();
            assertThat(e.payloadAs(Click.class)).isEqualTo(new Click("submit"));
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(KilnException.class,
                    () -> e.payloadAs(Integer.class)).code()).isEqualTo(ErrorCode.SERIALIZATION);
        }
    }

    record Click(String buttonId) {
    }

    static List<IpcEvent> take(EventStream s, int n) throws InterruptedException {
        List<IpcEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IpcEvent e = s.poll(Duration.ofSeconds(5));
            assertThat(e).as("event %d of %d", i + 1, n).isNotNull();
            out.add(e);
        }
        return out;
    }
}
