package dev.kiln.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** IpcTraceFile: a known run's trace parses as Chrome trace JSON with the expected tracks and events. */
@Timeout(60)
class IpcTraceFileTest {

    @Test
    void aKnownRunWritesItsEventsOnePerTrackAndCallsAsDurations(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ipc.trace.json");
        Ipc ipc = Ipc.create(IpcConfig.builder().policy(new ChannelPolicy(List.of("*"), List.of("secret"))).build());
        IpcTraceFile trace = IpcTraceFile.start(ipc, file);
        try {
            InMemoryRenderer main = new InMemoryRenderer(ipc, "main");
            InMemoryRenderer other = new InMemoryRenderer(ipc, "other");
            main.link.ready();
            other.link.ready();
            ipc.handle("add", (p, ctx) -> CompletableFuture.completedFuture(p.get("a").asInt() + 1));
            ipc.sendToWindow("main", "greet", Map.of("n", 1)).get(5, TimeUnit.SECONDS);
            ipc.sendToWindow("other", "greet", Map.of("n", 2)).get(5, TimeUnit.SECONDS);
            main.send("clicked", "button");
            main.send("secret", 1);
            main.invoke("add", "c1", Map.of("a", 1), 0);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> !main.ofKind(MessageKind.RESULT).isEmpty());
        } finally {
            ipc.shutdown();
            trace.close();
        }
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertThat(root.get("otherData").get("droppedEvents").asLong()).isZero();
        Map<Integer, String> tracks = new HashMap<>();
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode e : root.get("traceEvents")) {
            if ("thread_name".equals(e.get("name").asText()) && "M".equals(e.get("ph").asText())) {
                tracks.put(e.get("tid").asInt(), e.get("args").get("name").asText());
            } else if (!"M".equals(e.get("ph").asText())) {
                events.add(e);
            }
        }
        assertThat(tracks.values()).contains("main \u2192 page", "main \u2190 page", "other \u2192 page");
        assertThat(root.get("otherData").get("events").asLong()).isGreaterThanOrEqualTo(events.size());

        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("name").asText()).isEqualTo("greet");
            assertThat(e.get("cat").asText()).isEqualTo("sent");
            assertThat(tracks.get(e.get("tid").asInt())).isEqualTo("other \u2192 page");
            assertThat(e.get("args").get("preview").asText()).isEqualTo("{\"n\":2}");
            assertThat(e.get("ph").asText()).isEqualTo("i");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("name").asText()).isEqualTo("clicked");
            assertThat(e.get("cat").asText()).isEqualTo("received");
            assertThat(tracks.get(e.get("tid").asInt())).isEqualTo("main \u2190 page");
            assertThat(e.get("args").get("size").asInt()).isEqualTo(8);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("name").asText()).isEqualTo("secret");
            assertThat(e.get("cat").asText()).isEqualTo("refused");
            assertThat(e.get("args").get("code").asText()).isEqualTo("7004");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("name").asText()).isEqualTo("invoke add");
            assertThat(e.get("ph").asText()).isEqualTo("X");
            assertThat(e.get("dur").asDouble()).isPositive();
            assertThat(e.get("args").get("outcome").asText()).isEqualTo("ok");
            assertThat(e.get("args").get("callId").asText()).isEqualTo("c1");
            assertThat(tracks.get(e.get("tid").asInt())).isEqualTo("main \u2190 page");
        });
        // the result the host sent back, on the host-to-page track, after the call's start
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("cat").asText()).isEqualTo("delivered");
            assertThat(e.get("args").get("kind").asText()).isEqualTo("result");
            assertThat(e.get("args").get("preview").asText()).isEqualTo("2");
        });
        double last = -1;
        for (JsonNode e : events) {
            if (!"X".equals(e.get("ph").asText())) {
                assertThat(e.get("ts").asDouble()).isGreaterThanOrEqualTo(last); // one writer, in event order
                last = e.get("ts").asDouble();
            }
        }
    }

    /**
     * The cost of tracing the bench's soak size: run with -Dkiln.traceSoak=true; prints the numbers.
     * Not a speed assertion (a shared machine): it checks the trace is complete or counts its losses.
     */
    @Test
    @Timeout(600)
    @EnabledIfSystemProperty(named = "kiln.traceSoak", matches = "true")
    void aMillionMessages(@TempDir Path dir) throws Exception {
        int n = 1_000_000;
        long plain = soak(n, null);
        Path file = dir.resolve("soak.json");
        long[] traced = new long[1];
        long closeNanos;
        IpcTraceFile kept;
        Ipc ipc = Ipc.create();
        try (IpcTraceFile trace = IpcTraceFile.start(ipc, file)) {
            kept = trace;
            traced[0] = soak(n, ipc);
            long t0 = System.nanoTime();
            trace.close();
            closeNanos = System.nanoTime() - t0;
        } finally {
            ipc.shutdown();
        }
        System.out.printf("trace soak: %d messages; untraced %d ms, traced %d ms (+%d ms to finish the file);"
                        + " file %d MB, %d events written, %d dropped%n", n, plain / 1_000_000, traced[0] / 1_000_000,
                closeNanos / 1_000_000, Files.size(file) >> 20, kept.written(), kept.dropped());
        assertThat(kept.written() + kept.dropped()).isGreaterThanOrEqualTo(2L * n);
        new ObjectMapper().readTree(file.toFile()); // still valid JSON at this size
    }

    /** The inspector's cost on the same soak, with one page reading its event stream: prints the numbers. */
    @Test
    @Timeout(600)
    @EnabledIfSystemProperty(named = "kiln.traceSoak", matches = "true")
    void aMillionMessagesInspected() throws Exception {
        int n = 1_000_000;
        long plain = soak(n, null);
        Ipc ipc = Ipc.create();
        java.util.concurrent.atomic.AtomicLong lines = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> lastDrops = new java.util.concurrent.atomic.AtomicReference<>("0");
        try (IpcInspector inspector = IpcInspector.start(ipc)) {
            java.net.http.HttpClient.newHttpClient().sendAsync(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(inspector.url() + "events")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(l -> {
                        if (l.startsWith("data: {")) {
                            lines.incrementAndGet();
                        } else if (l.startsWith("data: ")) {
                            lastDrops.set(l.substring(6));
                        }
                    }));
            Thread.sleep(500);
            long inspected = soak(n, ipc);
            Thread.sleep(2000);
            System.out.printf("inspector soak: %d messages; uninspected %d ms, inspected %d ms; the page got %d events,"
                    + " lost %s%n", n, plain / 1_000_000, inspected / 1_000_000, lines.get(), lastDrops.get());
            assertThat(lines.get()).isPositive();
        } finally {
            ipc.shutdown();
        }
    }

    private static long soak(int n, Ipc given) throws Exception {
        Ipc ipc = given != null ? given : Ipc.create();
        try {
            InMemoryRenderer page = new InMemoryRenderer(ipc, "soak");
            page.link.ready();
            String payload = "{\"seq\":1,\"text\":\"a soak message of some length\"}";
            long t0 = System.nanoTime();
            CompletableFuture<Void> last = null;
            for (int i = 0; i < n; i++) {
                last = ipc.sendToWindow("soak", "tick", new JsonText(payload));
            }
            last.get(120, TimeUnit.SECONDS);
            return System.nanoTime() - t0;
        } finally {
            if (given == null) {
                ipc.shutdown();
            }
        }
    }
}
