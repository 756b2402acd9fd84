package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BroadcastTest {
    private final Ipc ipc = Ipc.create(IpcConfig.builder()
            .policy(new ChannelPolicy(List.of("*"), List.of())).build());

    @AfterEach
    void shutDown() {
        ipc.shutdown();
    }

    @Test
    void deliversToEveryListedWindow() {
        List<InMemoryRenderer> pages = List.of(new InMemoryRenderer(ipc, "main"),
                new InMemoryRenderer(ipc, "settings"), new InMemoryRenderer(ipc, "preview"));
        pages.forEach(p -> p.link.ready());
        ipc.broadcast(List.of("main", "settings", "preview"), "theme-changed", Map.of("theme", "dark")).join();
        for (InMemoryRenderer p : pages) {
            assertThat(p.messages()).containsExactly(new OutboundMessage("theme-changed", "{\"theme\":\"dark\"}"));
        }
    }

    @Test
    void reachesWhatItCanAndNamesEveryWindowItCouldNot() {
        InMemoryRenderer main = new InMemoryRenderer(ipc, "main");
        main.link.ready();
        new InMemoryRenderer(ipc, "limited", List.of("chat:*")).link.ready();
        KilnException e = SendToWindowTest.failureOf(
                ipc.broadcast(List.of("main", "settings", "limited"), "theme-changed", Map.of("theme", "dark")));
        assertThat(e).isInstanceOf(BroadcastException.class);
        BroadcastException b = (BroadcastException) e;
        assertThat(b.failures()).containsOnlyKeys("settings", "limited");
        assertThat(b.failures().get("settings").code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(b.failures().get("limited").code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(b.code()).isEqualTo(ErrorCode.CHANNEL_SEND);
        assertThat(b.getMessage()).startsWith("[7000] Broadcast could not reach 2 of 3 windows: settings ([7002] Window not found: settings)");
        assertThat(main.messages()).hasSize(1);
    }

    @Test
    void sharedFailureKeepsItsCode() {
        KilnException e = SendToWindowTest.failureOf(ipc.broadcast(List.of("a", "b"), "c"));
        assertThat(e.code()).isEqualTo(ErrorCode.WINDOW_NOT_FOUND);
        assertThat(e.getMessage()).startsWith("[7002] Broadcast could not reach 2 of 2 windows");
    }

    @Test
    void badPayloadFailsBeforeAnythingIsSent() {
        InMemoryRenderer main = new InMemoryRenderer(ipc, "main");
        main.link.ready();
        SendToWindowTest.SelfReferencing cycle = new SendToWindowTest.SelfReferencing();
        cycle.self = cycle;
        assertThat(SendToWindowTest.failureOf(ipc.broadcast(List.of("main"), "c", cycle)).code())
                .isEqualTo(ErrorCode.SERIALIZATION);
        assertThat(main.messages()).isEmpty();
    }

    @Test
    void anEmptyListSucceedsAndDuplicatesAreSentOnce() {
        InMemoryRenderer main = new InMemoryRenderer(ipc, "main");
        main.link.ready();
        ipc.broadcast(List.of(), "c").join();
        ipc.broadcast(List.of("main", "main"), "c").join();
        assertThat(main.messages()).hasSize(1);
    }
}
