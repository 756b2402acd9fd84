package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln run --trace-ipc} and {@code --inspect-ipc} on the Complete Example, driven by a real click. */
@Tag("e2e")
@Timeout(300)
class IpcInspectionE2ETest {
    private static final String APP = "examples/complete";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Clicks the example's button, waits for the answer and closes the window; the window's id. */
    private static String clickAndClose(KilnProcess kiln) throws Exception {
        String window = kiln.command("wait-ready * 60000").split(" ")[0];
        kiln.command("click " + window + " #submit");
        kiln.awaitEval(window, "document.getElementById('status').textContent", "\"Processed submit\"", WAIT);
        kiln.command("close " + window);
        assertThat(kiln.awaitExit(WAIT)).as("exit code; err: %s", kiln.err).isZero();
        return window;
    }

    @Test
    void aTraceOfARunParsesAsChromeTraceJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("complete.trace.json");
        String window;
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--automation", "--trace-ipc", file.toString(), APP)) {
            window = clickAndClose(kiln);
            assertThat(kiln.err).anyMatch(l -> l.startsWith("kiln: IPC trace written to " + file));
        }
        JsonNode root = JSON.readTree(file.toFile());
        assertThat(root.get("otherData").get("droppedEvents").asLong()).isZero();
        Map<Integer, String> tracks = new HashMap<>();
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode e : root.get("traceEvents")) {
            if ("thread_name".equals(e.get("name").asText())) {
                tracks.put(e.get("tid").asInt(), e.get("args").get("name").asText());
            } else if (!"M".equals(e.get("ph").asText())) {
                events.add(e);
            }
        }
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("name").asText()).isEqualTo("button-click");
            assertThat(e.get("cat").asText()).isEqualTo("received");
            assertThat(tracks.get(e.get("tid").asInt())).isEqualTo(window + " \u2190 page");
            assertThat(e.get("args").get("preview").asText()).isEqualTo("{\"buttonId\":\"submit\"}");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("name").asText()).isEqualTo("button-response");
            assertThat(e.get("cat").asText()).isEqualTo("delivered");
            assertThat(tracks.get(e.get("tid").asInt())).isEqualTo(window + " \u2192 page");
            assertThat(e.get("args").get("preview").asText()).contains("Processed submit");
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("name").asText()).isEqualTo("close");
            assertThat(e.get("cat").asText()).isEqualTo("system");
        });
    }

    @Test
    void theInspectorStreamsTheRunAndRefusesRequestsWithoutItsSecret() throws Exception {
        Pattern at = Pattern.compile("kiln: IPC inspector at (http://127\\.0\\.0\\.1:[0-9]+)(/[-_A-Za-z0-9]+/)");
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--automation", "--inspect-ipc", APP)) {
            String window = kiln.command("wait-ready * 60000").split(" ")[0];
            Matcher m;
            synchronized (kiln.err) {
                m = kiln.err.stream().map(at::matcher).filter(Matcher::find).findFirst()
                        .orElseThrow(() -> new AssertionError("no inspector address; err: " + kiln.err));
            }
            String origin = m.group(1);
            String url = origin + m.group(2);
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/", "/events", "/x/events")) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(origin + path)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(404);
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body()).contains("<title>Kiln IPC inspector</title>");

            List<JsonNode> streamed = new CopyOnWriteArrayList<>();
            http.sendAsync(HttpRequest.newBuilder(URI.create(url + "events")).build(), HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(r -> r.body().filter(l -> l.startsWith("data: ")).forEach(l -> {
                        try {
                            streamed.add(JSON.readTree(l.substring(6)));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }));
            kiln.command("click " + window + " #submit");
            await().atMost(WAIT).until(() -> streamed.stream().anyMatch(e -> "received".equals(e.path("stage").asText())
                    && "button-click".equals(e.path("channel").asText()) && window.equals(e.path("window").asText())
                    && "fromWindow".equals(e.path("direction").asText()))
                    && streamed.stream().anyMatch(e -> "delivered".equals(e.path("stage").asText())
                    && "button-response".equals(e.path("channel").asText())
                    && e.path("preview").asText().contains("Processed submit")));
            kiln.command("close " + window);
            assertThat(kiln.awaitExit(WAIT)).as("exit code; err: %s", kiln.err).isZero();
        }
    }

    @Test
    void theInspectorCanBeShownInAWindowThatDoesNotKeepTheAppRunning() throws Exception {
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--automation", "--inspect-ipc=window", APP)) {
            String window = kiln.command("wait-ready * 60000").split(" ")[0];
            await().atMost(WAIT).until(() -> kiln.err.stream().anyMatch(l -> l.matches(
                    "kiln: IPC inspector at http://127\\.0\\.0\\.1:[0-9]+/[-_A-Za-z0-9]+/ \\(shown in a window of its own; .*")));
            kiln.command("click " + window + " #submit");
            kiln.command("close " + window); // the app's last window: the inspector's does not count
            assertThat(kiln.awaitExit(WAIT)).as("exit code; err: %s", kiln.err).isZero();
        }
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--inspect-ipc=popup", APP)) {
            assertThat(kiln.awaitExit(WAIT)).isEqualTo(2);
            assertThat(kiln.err).contains("error: --inspect-ipc takes no value or 'window' (--inspect-ipc=window); got 'popup'");
        }
    }

    @Test
    void aTraceFileThatCannotBeWrittenIsAClearError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("no-such-folder").resolve("run.json");
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--trace-ipc", file.toString(), APP)) {
            assertThat(kiln.awaitExit(WAIT)).isEqualTo(2);
            assertThat(kiln.err).anyMatch(l -> l.equals("error: --trace-ipc: cannot write " + file
                    + " (no such folder, not writable, or a folder)"));
        }
    }
}
