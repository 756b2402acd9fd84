package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A flight recording of a known run holds Kiln's IPC events, with their fields. */
@Timeout(60)
class JfrEventsTest {

    @Test
    void aRecordingHoldsSendsDeliveriesRefusalsAndInvokes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ipc.jfr");
        Ipc ipc = Ipc.create(IpcConfig.builder().policy(new ChannelPolicy(List.of("*"), List.of("secret"))).build());
        try (Recording recording = new Recording()) {
            for (String name : List.of("Send", "Delivery", "Refusal", "Drop", "Invoke")) {
                recording.enable("dev.kiln.ipc." + name);
            }
            recording.start();
            InMemoryRenderer page = new InMemoryRenderer(ipc, "main");
            page.link.ready();
            ipc.sendToWindow("main", "greet", Map.of("text", "hello")).get(5, TimeUnit.SECONDS);
            page.send("clicked", 7);
            page.send("secret", 1);
            ipc.handle("add", (p, ctx) -> CompletableFuture.completedFuture(p.get("a").asInt() + 1));
            page.invoke("add", "c1", Map.of("a", 1), 0);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> !page.ofKind(MessageKind.RESULT).isEmpty());
            recording.stop();
            recording.dump(file);
        } finally {
            ipc.shutdown();
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.kiln.ipc.Send");
            assertThat(e.getString("window")).isEqualTo("main");
            assertThat(e.getString("channel")).isEqualTo("greet");
            assertThat(e.getString("kind")).isEqualTo("message");
            assertThat(e.getLong("size")).isEqualTo("{\"text\":\"hello\"}".length());
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.kiln.ipc.Delivery");
            assertThat(e.getString("direction")).isEqualTo("toWindow");
            assertThat(e.getString("channel")).isEqualTo("greet");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.kiln.ipc.Delivery");
            assertThat(e.getString("direction")).isEqualTo("fromWindow");
            assertThat(e.getString("channel")).isEqualTo("clicked");
            assertThat(e.getLong("size")).isEqualTo(1);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.kiln.ipc.Refusal");
            assertThat(e.getString("channel")).isEqualTo("secret");
            assertThat(e.getString("code")).isEqualTo("7004");
            assertThat(e.getString("reason")).contains("not allowed");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.kiln.ipc.Invoke");
            assertThat(e.getString("direction")).isEqualTo("fromWindow");
            assertThat(e.getString("channel")).isEqualTo("add");
            assertThat(e.getString("outcome")).isEqualTo("ok");
            assertThat(e.getDuration("callDuration").toNanos()).isPositive();
        });
        assertThat(Files.size(file)).isPositive();
    }

    @Test
    void withNoRecordingRunningTheTapStaysOff() {
        Ipc ipc = Ipc.create();
        try {
            assertThat(IpcJfr.recording).isFalse();
            assertThat(ipc.tap().on()).isFalse();
        } finally {
            ipc.shutdown();
        }
    }
}
