package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web storage like a browser's, across real processes (each a {@link StorageProbe} JVM with a real
 * window): localStorage and persistent cookies survive a relaunch, apps are isolated, and several
 * instances of one app run at once, each with working storage of its own.
 */
@ExtendWith(RealWindowExtension.class)
class WebStorageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private Path web;
    private Path dataHome;
    private final List<Process> running = new ArrayList<>();

    /** One running launch of the probe. */
    private record Launch(Process process, JsonNode result) {
        void quit() throws Exception {
            try (OutputStream in = process.getOutputStream()) {
                in.write("quit\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the probe exits").isTrue();
            assertThat(process.exitValue()).isZero();
        }
    }

    @BeforeEach
    void site() throws IOException {
        web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<!doctype html><html><head><title>storage</title></head><body>storage</body></html>");
        dataHome = dir.resolve("data");
    }

    @AfterEach
    void killLeftovers() {
        running.forEach(Process::destroyForcibly);
    }

    private Launch launch(String identifier) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StorageProbe.class.getName(),
                web.toString(), identifier, dataHome.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        running.add(p);
        CompletableFuture<JsonNode> result = CompletableFuture.supplyAsync(() -> {
            StringBuilder output = new StringBuilder();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("RESULT ")) {
                        JsonNode r = JSON.readTree(line.substring("RESULT ".length()));
                        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                        drain.setDaemon(true);
                        drain.start();
                        return r;
                    }
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new AssertionError("The probe ended without a result:\n" + output);
        });
        return new Launch(p, result.get(90, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(240)
    void localStorageAndPersistentCookiesSurviveARelaunch() throws Exception {
        Launch first = launch("test.storage.relaunch");
        first.quit();
        Launch second = launch("test.storage.relaunch");
        second.quit();
        assertThat(first.result().path("error").isMissingNode()).as(first.result().toString()).isTrue();
        assertThat(first.result().get("count").asInt()).isEqualTo(1);
        assertThat(second.result().get("count").asInt()).as(second.result().toString()).isEqualTo(2);
        assertThat(second.result().get("origin").asText()).isEqualTo(first.result().get("origin").asText())
                .isEqualTo("http://127.0.0.1:" + InstanceSlot.port("test.storage.relaunch", 0));
        assertThat(second.result().get("cookieBefore").asText()).as("the persistent cookie came back, the session one did not")
                .isEqualTo("visits=1");
        assertThat(dataHome.resolve("test.storage.relaunch/slot-0/webview")).isDirectory();
    }

    @Test
    @Timeout(240)
    void twoAppsAtOnceAreIsolated() throws Exception {
        Launch a = launch("test.storage.app-a");
        Launch b = launch("test.storage.app-b");
        assertThat(a.result().get("count").asInt()).as(a.result().toString()).isEqualTo(1);
        assertThat(b.result().get("count").asInt()).as("app b does not see app a's counter: " + b.result()).isEqualTo(1);
        assertThat(b.result().get("cookieBefore").asText()).as("nor its cookies").isEmpty();
        assertThat(a.result().get("origin").asText()).isNotEqualTo(b.result().get("origin").asText());
        a.quit();
        b.quit();
    }

    @Test
    @Timeout(300)
    void twoInstancesOfOneAppBothHaveStorageEachInItsOwnSlot() throws Exception {
        Launch first = launch("test.storage.twice");
        Launch second = launch("test.storage.twice");
        assertThat(first.result().get("count").asInt()).as(first.result().toString()).isEqualTo(1);
        assertThat(second.result().get("count").asInt()).as(second.result().toString()).isEqualTo(1);
        assertThat(first.result().get("slot").asInt()).isZero();
        assertThat(second.result().get("slot").asInt()).isEqualTo(1);
        assertThat(second.result().get("origin").asText()).isEqualTo("http://127.0.0.1:" + InstanceSlot.port("test.storage.twice", 1));
        first.quit();
        second.quit();
        Launch again = launch("test.storage.twice");
        again.quit();
        assertThat(again.result().get("slot").asInt()).as("the first instance is the usual one").isZero();
        assertThat(again.result().get("count").asInt()).isEqualTo(2);
    }
}
