package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.IpcTrace.Direction;
import dev.kiln.ipc.IpcTrace.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ipc.observe: one tap sees every message both ways, refusals with their code, calls with their duration. */
@Timeout(30)
class ObserveTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder()
            .policy(new ChannelPolicy(List.of("*"), List.of("secret"))).build());
    private final List<IpcTrace> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void shutdown() {
        ipc.shutdown();
    }

    private IpcTrace seenOne(Predicate<IpcTrace> which) {
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(which));
        return seen.stream().filter(which).findFirst().orElseThrow();
    }

    @Test
    void seesSendsDeliveriesReceiptsRefusalsAndSystemEvents() throws Exception {
        ipc.observe(seen::add);
        InMemoryRenderer page = new InMemoryRenderer(ipc, "main");
        page.link.ready();

        ipc.sendToWindow("main", "greet", Map.of("text", "hi")).get(5, TimeUnit.SECONDS);
        IpcTrace sent = seenOne(t -> t.stage() == Stage.SENT && "greet".equals(t.channel()));
        assertThat(sent.direction()).isEqualTo(Direction.TO_WINDOW);
        assertThat(sent.windowId()).isEqualTo("main");
        assertThat(sent.kind()).isEqualTo(MessageKind.MESSAGE);
        assertThat(sent.preview()).isEqualTo("{\"text\":\"hi\"}");
        assertThat(sent.size()).isEqualTo(13);
        IpcTrace delivered = seenOne(t -> t.stage() == Stage.DELIVERED && "greet".equals(t.channel()));
        assertThat(delivered.nanoTime()).isGreaterThanOrEqualTo(sent.nanoTime());

        page.send("clicked", List.of(1, 2, 3));
        IpcTrace received = seenOne(t -> t.stage() == Stage.RECEIVED && "clicked".equals(t.channel()));
        assertThat(received.direction()).isEqualTo(Direction.FROM_WINDOW);
        assertThat(received.preview()).isEqualTo("[1,2,3]");

        page.send("secret", "x");
        IpcTrace denied = seenOne(t -> t.stage() == Stage.REFUSED && "secret".equals(t.channel()));
        assertThat(denied.code()).isEqualTo("7004");
        assertThat(denied.reason()).contains("not allowed");

        page.link.receive("[{\"c\":\"ok\",\"p\":1},{\"p\":2}]");
        IpcTrace malformed = seenOne(t -> t.stage() == Stage.REFUSED && t.channel() == null);
        assertThat(malformed.code()).isEqualTo("7001");
        assertThat(malformed.reason()).contains("no channel");

        assertThat(ipc.sendToWindow("nowhere", "greet").handle((v, e) -> e).get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(seenOne(t -> t.stage() == Stage.REFUSED && "nowhere".equals(t.windowId())).code()).isEqualTo("7002");

        page.link.systemEvent(EventType.FOCUS, null);
        IpcTrace focus = seenOne(t -> t.stage() == Stage.SYSTEM);
        assertThat(focus.channel()).isEqualTo("focus");
        assertThat(focus.windowId()).isEqualTo("main");
    }

    @Test
    void seesCallsBothWaysWithDurationAndOutcome() throws Exception {
        ipc.observe(seen::add);
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.handle("slow", (p, ctx) -> CompletableFuture.supplyAsync(() -> 42,
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)));
        page.invoke("slow", "p1", null, 0);
        IpcTrace end = seenOne(t -> t.stage() == Stage.CALL_END && "p1".equals(t.callId()));
        assertThat(end.direction()).isEqualTo(Direction.FROM_WINDOW);
        assertThat(end.ok()).isTrue();
        assertThat(end.durationNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(seen).anyMatch(t -> t.stage() == Stage.CALL_START && "p1".equals(t.callId()));
        seenOne(t -> t.stage() == Stage.DELIVERED && t.kind() == MessageKind.RESULT && "p1".equals(t.callId()));

        page.invoke("nobody", "p2", null, 0);
        IpcTrace none = seenOne(t -> t.stage() == Stage.CALL_END && "p2".equals(t.callId()));
        assertThat(none.code()).isEqualTo("7006");

        CompletableFuture<?> call = ipc.invokeWindow("w", "ask", null, null);
        OutboundMessage invoke = await().atMost(Duration.ofSeconds(5))
                .until(() -> page.ofKind(MessageKind.INVOKE), l -> !l.isEmpty()).get(0);
        page.step(MessageKind.ERROR, "ask", invoke.callId(), "{\"code\":\"E_APP\",\"message\":\"no\"}");
        IpcTrace failed = seenOne(t -> t.stage() == Stage.CALL_END && invoke.callId().equals(t.callId()));
        assertThat(failed.direction()).isEqualTo(Direction.TO_WINDOW);
        assertThat(failed.code()).isEqualTo("E_APP");
        assertThat(failed.reason()).isEqualTo("no");
        assertThat(call.handle((v, e) -> e).get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(seen).anyMatch(t -> t.stage() == Stage.RECEIVED && t.kind() == MessageKind.ERROR);
    }

    @Test
    void anUnsubscribedObserverSeesNothingMoreAndTheTapIsOffAgain() throws Exception {
        Subscription s = ipc.observe(seen::add);
        InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
        page.link.ready();
        ipc.sendToWindow("w", "one").get(5, TimeUnit.SECONDS);
        s.unsubscribe();
        int before = seen.size();
        ipc.sendToWindow("w", "two").get(5, TimeUnit.SECONDS);
        assertThat(seen).hasSize(before).noneMatch(t -> "two".equals(t.channel()));
        assertThat(s.isActive()).isFalse();
        assertThat(ipc.tap().on()).isEqualTo(IpcJfr.recording);
    }

    @Test
    void aDroppedEventIsSeenWithItsReason() {
        Ipc small = Ipc.create(IpcConfig.builder().backlogCapacity(1).build());
        try {
            small.observe(seen::add);
            InMemoryRenderer page = new InMemoryRenderer(small, "w");
            page.send("a", 1);
            page.send("b", 2);
            IpcTrace drop = seenOne(t -> t.stage() == Stage.DROPPED);
            assertThat(drop.channel()).isEqualTo("a");
            assertThat(drop.reason()).contains("backlog");
        } finally {
            small.shutdown();
        }
    }
}
