package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Renderer-to-host: bad input from a page is dropped, logged and counted, and costs nothing else. */
class InboundTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder()
            .policy(new ChannelPolicy(List.of("*"), List.of("admin:*")))
            .maxPayloadBytes(100)
            .build());
    private final InMemoryRenderer page = new InMemoryRenderer(ipc, "w");
    private final EventStream events = ipc.windowEvents();

    @AfterEach
    void shutDown() {
        ipc.shutdown();
    }

    @Test
    void malformedMessagesAreDroppedAndTheRestOfTheBatchStillArrives() throws Exception {
        page.link.receive("[{\"c\":\"a\",\"p\":1}, 42, {\"p\":2}, {\"c\":7}, {\"c\":\"\"}, {\"c\":\"b\"}, "
                + "{\"c\":\"x\\u0001y\"}, {\"c\":\"c\",\"p\":[3]}]");
        assertThat(FanOutTest.take(events, 3)).extracting(IpcEvent::channel).containsExactly("a", "b", "c");
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(5);
    }

    @Test
    void aBrokenBatchKeepsWhatCameBeforeTheBreakAndTheWindowKeepsWorking() throws Exception {
        page.link.receive("[{\"c\":\"a\"}, {\"c\":");
        page.link.receive("not json at all");
        page.link.receive(null);
        page.link.receive("{\"c\":\"not-an-array\"}");
        page.send("after", 1);
        assertThat(FanOutTest.take(events, 2)).extracting(IpcEvent::channel).containsExactly("a", "after");
        await().until(() -> ipc.stats().inboundMalformed() == 4);
    }

    @Test
    void deniedChannelsAreDroppedAndCounted() throws Exception {
        page.send("admin:wipe", null);
        page.send("ok", null);
        assertThat(FanOutTest.take(events, 1)).extracting(IpcEvent::channel).containsExactly("ok");
        assertThat(ipc.stats().inboundDenied()).isEqualTo(1);
    }

    @Test
    void aWindowsOwnAllowListAppliesToWhatItSends() throws Exception {
        InMemoryRenderer limited = new InMemoryRenderer(ipc, "limited", List.of("chat:*"));
        limited.send("settings", null);
        limited.send("chat:message", "hi");
        limited.send("admin:x", null); // deny wins over the window's list too
        assertThat(FanOutTest.take(events, 1)).extracting(IpcEvent::channel).containsExactly("chat:message");
        await().until(() -> ipc.stats().inboundDenied() == 2);
        assertThat(events.poll(Duration.ofMillis(50))).isNull();
    }

    @Test
    void pagesCannotForgeWindowSystemEvents() throws Exception {
        page.send("close", null);
        page.link.systemEvent(EventType.CLOSE, null);
        IpcEvent e = events.poll(Duration.ofSeconds(5));
        assertThat(e.type()).isEqualTo(EventType.CLOSE);
        assertThat(e.channel()).isEqualTo("close");
        assertThat(events.poll(Duration.ofMillis(100))).isNull();
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(1);
    }

    @Test
    void oversizedPayloadsAreDroppedAndCounted() throws Exception {
        page.send("big", "x".repeat(200));
        page.send("small", "x".repeat(10));
        assertThat(FanOutTest.take(events, 1)).extracting(IpcEvent::channel).containsExactly("small");
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(1);
    }

    @Test
    void systemEventsBypassChannelCapabilitiesAndCarryTheirPayload() throws Exception {
        try (Ipc strict = Ipc.create(IpcConfig.builder().policy(new ChannelPolicy(List.of("app:*"), List.of("*"))).build())) {
            InMemoryRenderer w = new InMemoryRenderer(strict, "w");
            EventStream s = strict.windowEvents();
            w.link.systemEvent(EventType.RESIZE, InMemoryRenderer.json("{\"width\":640,\"height\":480}"));
            IpcEvent e = s.poll(Duration.ofSeconds(5));
            assertThat(e).isEqualTo(IpcEvent.system("w", EventType.RESIZE, InMemoryRenderer.json("{\"width\":640,\"height\":480}")));
            assertThat(e.isSystemEvent()).isTrue();
        }
    }

    @Test
    void aMissingPayloadIsJsonNull() throws Exception {
        page.link.receive("[{\"c\":\"refresh\"}]");
        IpcEvent e = events.poll(Duration.ofSeconds(5));
        assertThat(e.payload().isNull()).isTrue();
        page.send("n", 5);
        assertThat(events.poll(Duration.ofSeconds(5)).payload()).isEqualTo(IntNode.valueOf(5));
    }

    @Test
    void nothingIsAcceptedFromADetachedWindow() throws Exception {
        page.link.detach();
        page.send("late", null);
        InMemoryRenderer other = new InMemoryRenderer(ipc, "other");
        other.send("marker", null);
        assertThat(FanOutTest.take(events, 1)).extracting(IpcEvent::channel).containsExactly("marker");
    }

    @Test
    void theEventKeepsThePayloadTextThePageSent() throws Exception {
        page.link.receive("[{\"c\":\"a\",\"p\": {\"x\" : [1, 2.50]} }, {\"c\":\"b\"}]");
        IpcEvent a = events.poll(Duration.ofSeconds(5));
        assertThat(a.payloadJson()).isEqualTo("{\"x\" : [1, 2.50]}");
        assertThat(a).isEqualTo(IpcEvent.message("w", "a", InMemoryRenderer.json("{\"x\":[1,2.50]}")));
        assertThat(events.poll(Duration.ofSeconds(5)).payloadJson()).isEqualTo("null");
    }

    @Test
    void everyKindOfPayloadIsCutOutExactlyAndParsesOnDemand() throws Exception {
        List<String> payloads = List.of("\"a \\\"q\\\" \\u00e9 \\n\"", "-1.5e3", "true", "null", "[]", "{}",
                "[{\"k\":[\"}\",\"]\"]}, 2]", "\"\"");
        StringBuilder batch = new StringBuilder("[");
        for (String p : payloads) {
            batch.append(batch.length() > 1 ? "," : "").append("{\"c\":\"x\",\"p\":").append(p).append(",\"z\":1}");
        }
        page.link.receive(batch.append(']').toString());
        for (String p : payloads) {
            IpcEvent e = events.poll(Duration.ofSeconds(5));
            assertThat(e.payloadJson()).isEqualTo(p);
            assertThat(e.payload()).isEqualTo(InMemoryRenderer.json(p));
        }
        assertThat(ipc.stats().inboundMalformed()).isZero();
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedWithoutParsingTheRest() throws Exception {
        page.link.receive("[{\"c\":\"a\",\"p\":[1,2}]");
        page.send("after", 1);
        assertThat(FanOutTest.take(events, 1)).extracting(IpcEvent::channel).containsExactly("after");
        assertThat(ipc.stats().inboundMalformed()).isEqualTo(1);
    }
}
