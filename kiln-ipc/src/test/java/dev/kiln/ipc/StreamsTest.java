package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Streams with credit through the engine, with a renderer that speaks the wire format (both directions). */
class StreamsTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder()
            .policy(new ChannelPolicy(List.of("*"), List.of("secret"))).build());

    @AfterEach
    void shutdown() {
        ipc.shutdown();
    }

    /** Counts 0..count-1, one value per unit requested; records what was requested and whether it was cancelled. */
    static final class Counter implements Flow.Publisher<Integer> {
        final int count;
        final AtomicLong requested = new AtomicLong();
        final CompletableFuture<Void> cancelled = new CompletableFuture<>();
        final int extra; // values sent beyond what was requested, at the first request: a misbehaving producer

        Counter(int count, int extra) {
            this.count = count;
            this.extra = extra;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> s) {
            s.onSubscribe(new Flow.Subscription() {
                int next;
                boolean overran;

                @Override
                public synchronized void request(long n) {
                    requested.addAndGet(n);
                    long more = n + (overran ? 0 : extra);
                    overran = true;
                    for (long i = 0; i < more && next < count; i++) {
                        s.onNext(next++);
                    }
                    if (next == count) {
                        s.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    cancelled.complete(null);
                }
            });
        }
    }

    /** A host reader that requests what the test tells it to. */
    static final class Reader implements Flow.Subscriber<JsonNode> {
        final List<JsonNode> values = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(JsonNode item) {
            values.add(item);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onComplete() {
            ended.complete(null);
        }
    }

    private static List<String> items(InMemoryRenderer page, String id) {
        return page.messages().stream().filter(m -> m.kind() == MessageKind.ITEM && id.equals(m.callId()))
                .map(OutboundMessage::payloadJson).toList();
    }

    private static void openFromPage(InMemoryRenderer page, String channel, String id, long credit) {
        page.link.receive("[" + new OutboundMessage(MessageKind.STREAM, channel, "{\"from\":1}", id, 0, credit).wireJson() + "]");
    }

    // ---- the page reads a host producer ----

    @Test
    void thePageGetsNoMoreThanItsCreditInOrderThenTheEnd() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        Counter counter = new Counter(10, 0);
        List<String> windows = new CopyOnWriteArrayList<>();
        ipc.handleStream("count", (p, ctx) -> {
            windows.add(ctx.windowId() + ":" + p.get("from").intValue());
            return counter;
        });
        openFromPage(page, "count", "s1", 4);
        await().until(() -> items(page, "s1").size() == 4);
        assertThat(counter.requested).hasValue(4);
        page.link.receive("[" + new OutboundMessage(MessageKind.CREDIT, "count", null, "s1", 0, 3).wireJson() + "]");
        await().until(() -> items(page, "s1").size() == 7);
        assertThat(counter.requested).hasValue(7);
        page.link.receive("[" + new OutboundMessage(MessageKind.CREDIT, "count", null, "s1", 0, 100).wireJson() + "]");
        await().until(() -> page.ofKind(MessageKind.END).size() == 1);
        assertThat(items(page, "s1")).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(windows).containsExactly("w:1");
        assertThat(ipc.callsAndTimersInProgress()).isZero();
    }

    @Test
    void thePagesCancelStopsTheProducerAndAProducerErrorEndsTheStreamWithItsCode() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        Counter endless = new Counter(Integer.MAX_VALUE, 0);
        CompletableFuture<KilnException> aborted = new CompletableFuture<>();
        ipc.handleStream("endless", (p, ctx) -> {
            ctx.cancellation().thenAccept(aborted::complete);
            return endless;
        });
        ipc.handleStream("fails", (p, ctx) -> subscriber -> subscriber.onError(new IpcError("E_DISK", "Disk gone", Map.of("disk", "sda"))));
        openFromPage(page, "endless", "s1", 2);
        openFromPage(page, "fails", "s2", 2);
        await().until(() -> items(page, "s1").size() == 2);
        page.step(MessageKind.CANCEL, "endless", "s1", "{\"code\":7008,\"message\":\"[7008] stopped\"}");
        endless.cancelled.get(5, TimeUnit.SECONDS);
        assertThat(aborted.get(5, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.CANCELLED);
        await().until(() -> page.ofKind(MessageKind.ERROR).size() == 1);
        OutboundMessage failed = page.ofKind(MessageKind.ERROR).get(0);
        assertThat(failed.callId()).isEqualTo("s2");
        assertThat(InMemoryRenderer.json(failed.payloadJson())).isEqualTo(InMemoryRenderer.json(
                "{\"code\":\"E_DISK\",\"message\":\"Disk gone\",\"data\":{\"disk\":\"sda\"}}"));
        await().until(() -> ipc.callsAndTimersInProgress() == 0);
    }

    @Test
    void aProducerThatSendsMoreThanAskedEndsTheStreamWith7000AndADeniedOrUnhandledStreamFails() {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.handleStream("greedy", (p, ctx) -> new Counter(100, 5));
        ipc.handleStream("secret", (p, ctx) -> new Counter(1, 0));
        openFromPage(page, "greedy", "s1", 2);
        openFromPage(page, "secret", "s2", 2);
        openFromPage(page, "nobody", "s3", 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> page.ofKind(MessageKind.ERROR).size() == 3);
        Map<String, Integer> codes = new java.util.HashMap<>();
        page.ofKind(MessageKind.ERROR).forEach(m -> codes.put(m.callId(), InMemoryRenderer.json(m.payloadJson()).get("code").intValue()));
        assertThat(codes).containsEntry("s1", 7000).containsEntry("s2", 7004).containsEntry("s3", 7006);
        assertThat(items(page, "s1")).hasSize(2);
        assertThat(items(page, "s2")).isEmpty();
    }

    @Test
    void aReloadCancelsTheProducersWorkingForThePage() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        Counter endless = new Counter(Integer.MAX_VALUE, 0);
        CompletableFuture<KilnException> aborted = new CompletableFuture<>();
        ipc.handleStream("endless", (p, ctx) -> {
            ctx.cancellation().thenAccept(aborted::complete);
            return endless;
        });
        openFromPage(page, "endless", "s1", 1);
        await().until(() -> items(page, "s1").size() == 1);
        page.link.loading();
        assertThat(aborted.get(5, TimeUnit.SECONDS).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        endless.cancelled.get(5, TimeUnit.SECONDS);
    }

    // ---- the host reads a page producer ----

    @Test
    void theHostsRequestsAreThePagesCreditAndValuesArriveInOrder() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        Reader reader = new Reader();
        Flow.Publisher<JsonNode> stream = ipc.streamFromWindow("w", "ticks", Map.of("every", 10));
        Thread.sleep(50);
        assertThat(page.messages()).isEmpty(); // nothing until someone reads
        stream.subscribe(reader);
        await().until(() -> reader.subscription != null);
        reader.subscription.request(2);
        await().until(() -> page.ofKind(MessageKind.STREAM).size() == 1);
        OutboundMessage request = page.ofKind(MessageKind.STREAM).get(0);
        assertThat(request.credit()).isEqualTo(2);
        assertThat(request.payloadJson()).isEqualTo("{\"every\":10}");
        page.step(MessageKind.ITEM, "ticks", request.callId(), "1");
        page.step(MessageKind.ITEM, "ticks", request.callId(), "{\"n\":2}");
        await().until(() -> reader.values.size() == 2);
        reader.subscription.request(Long.MAX_VALUE);
        await().until(() -> page.ofKind(MessageKind.CREDIT).size() == 1);
        assertThat(page.ofKind(MessageKind.CREDIT).get(0).credit()).isEqualTo(WindowStreams.MAX_CREDIT);
        page.step(MessageKind.END, "ticks", request.callId(), null);
        assertThat(reader.ended.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(reader.values).extracting(JsonNode::toString).containsExactly("1", "{\"n\":2}");
        Reader second = new Reader();
        stream.subscribe(second);
        assertThat(second.ended.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theHostsCancelReachesThePageAndThePageGoingAwayOrAnErrorEndsTheReader() throws Exception {
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        Reader cancelling = new Reader();
        Reader gone = new Reader();
        Reader failing = new Reader();
        ipc.streamFromWindow("w", "a", null).subscribe(cancelling);
        ipc.streamFromWindow("w", "b", null).subscribe(gone);
        ipc.streamFromWindow("w", "c", null).subscribe(failing);
        await().until(() -> cancelling.subscription != null && gone.subscription != null && failing.subscription != null);
        cancelling.subscription.request(1);
        gone.subscription.request(1);
        failing.subscription.request(1);
        await().until(() -> page.ofKind(MessageKind.STREAM).size() == 3);
        cancelling.subscription.cancel();
        await().until(() -> page.ofKind(MessageKind.CANCEL).size() == 1);
        List<OutboundMessage> requests = page.ofKind(MessageKind.STREAM);
        page.step(MessageKind.ERROR, "c", requests.get(2).callId(), "{\"code\":\"E_CAM\",\"message\":\"No camera\",\"data\":[1]}");
        IpcError failed = (IpcError) failing.ended.get(5, TimeUnit.SECONDS);
        assertThat(failed.code()).isEqualTo("E_CAM");
        assertThat(failed.data().toString()).isEqualTo("[1]");
        page.link.loading();
        assertThat(((IpcError) gone.ended.get(5, TimeUnit.SECONDS)).code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(cancelling.ended).isNotDone();
        Reader denied = new Reader();
        ipc.streamFromWindow("w", "secret", null).subscribe(denied);
        assertThat(((IpcError) denied.ended.get(5, TimeUnit.SECONDS)).code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        await().until(() -> ipc.callsAndTimersInProgress() == 0);
    }
}
