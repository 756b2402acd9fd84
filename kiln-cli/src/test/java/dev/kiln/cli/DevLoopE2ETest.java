package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front-end developer's loop through the real {@code ./kiln run --dev-url} and a real Vite dev
 * server (fixtures/dev-loop): the page comes from the dev server with the bridge, an edit to a module
 * and to a stylesheet shows without a reload (hot module replacement over the WebSocket Kiln carries
 * for the page), and the HMR socket works both ways. Needs Node and npm (CI installs them; the dev
 * server's packages are installed from the fixture's lock file into a temporary folder).
 */
@Tag("e2e")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DevLoopE2ETest {
    private static final String FIXTURE = "kiln-cli/src/test/fixtures/dev-loop";

    @TempDir
    Path frontend;

    @Test
    void editsShowWithoutAReloadThroughTheDevServersHotModuleReplacement() throws Exception {
        copyFrontend();
        run(Duration.ofMinutes(3), "npm", "ci", "--no-audit", "--no-fund");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process vite = new ProcessBuilder("node", "node_modules/vite/bin/vite.js", "--port", String.valueOf(port), "--strictPort")
                .directory(frontend.toFile()).redirectErrorStream(true)
                .redirectOutput(frontend.resolve("vite.log").toFile()).start();
        try {
            awaitDevServer(port);
            try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--automation",
                    "--dev-url", "http://localhost:" + port, FIXTURE)) {
                try {
                    kiln.command("wait-ready main 120000");
                    kiln.awaitEval("main", "document.getElementById('text').textContent", "\"version 1\"", Duration.ofSeconds(30));
                    kiln.awaitEval("main", "document.getElementById('hello').textContent", "\"hello from main.ts\"", Duration.ofSeconds(30));
                    assertThat(kiln.command("eval main getComputedStyle(document.getElementById('text')).color")).isEqualTo("\"rgb(0, 0, 255)\"");
                    // HMR is connected once Vite's client said so on the page console.
                    awaitErr(kiln, "[vite] connected.", Duration.ofSeconds(60));

                    Files.writeString(frontend.resolve("text.js"), "export const text = \"version 2\";\n");
                    kiln.awaitEval("main", "document.getElementById('text').textContent", "\"version 2\"", Duration.ofSeconds(60));
                    Files.writeString(frontend.resolve("style.css"), "h1 { color: rgb(255, 0, 0); }\n");
                    kiln.awaitEval("main", "getComputedStyle(document.getElementById('text')).color", "\"rgb(255, 0, 0)\"", Duration.ofSeconds(60));
                    assertThat(kiln.command("eval main window.loads")).as("hot updates, not reloads").isEqualTo("1");

                    kiln.command("eval main window.ping('é and 日本')");
                    kiln.awaitEval("main", "document.getElementById('pong').textContent", "\"pong é and 日本\"", Duration.ofSeconds(30));
                    kiln.screenshot("main", "dev-loop");
                } catch (Exception | AssertionError e) {
                    if (kiln.process.isAlive()) {
                        kiln.screenshot("main", "FAILED-dev-loop");
                    }
                    throw new AssertionError(e.getMessage() + "\nvite log:\n" + Files.readString(frontend.resolve("vite.log"))
                            + "\nkiln stderr:\n" + String.join("\n", kiln.err), e);
                }
                kiln.command("quit");
                assertThat(kiln.awaitExit(Duration.ofSeconds(60))).isZero();
            }
        } finally {
            vite.destroy();
            vite.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void copyFrontend() throws IOException {
        Path source = KilnProcess.ROOT.resolve(FIXTURE).resolve("frontend");
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, frontend.resolve(f.getFileName()));
            }
        }
    }

    private void run(Duration timeout, String... command) throws Exception {
        Path log = frontend.resolve("npm.log");
        assertThat(NodeTool.run(frontend, log, timeout, command)).as(String.join(" ", command) + ":\n" + Files.readString(log)).isZero();
    }

    private void awaitDevServer(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the Vite dev server did not start:\n" + Files.readString(frontend.resolve("vite.log")));
            }
            Thread.sleep(200);
        }
    }

    private static void awaitErr(KilnProcess kiln, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            synchronized (kiln.err) {
                if (kiln.err.stream().anyMatch(l -> l.contains(text))) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stderr never showed '" + text + "'");
            }
            Thread.sleep(100);
        }
    }
}
