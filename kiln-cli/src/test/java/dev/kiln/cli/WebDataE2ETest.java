package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script host end to end ({@code ./kiln run --headless --automation}): the manifest's identifier
 * gives the app a stable origin whose localStorage grows from one launch to the next, root-absolute
 * URLs work, and {@code --dev-url} shows a dev server's page with the bridge. Data goes under
 * {@code $KILN_DATA_HOME} (target/kiln-data, set by the build).
 */
@Tag("e2e")
class WebDataE2ETest {
    @TempDir
    Path app;

    private void writeApp() throws Exception {
        Files.writeString(app.resolve("manifest.app.toml"), """
                [app]
                name = "Storage"
                identifier = "dev.kiln.e2e.storage"
                version = "1.0.0"
                [capabilities.channels]
                allowed = ["*"]
                """);
        Files.createDirectories(app.resolve("src"));
        Files.writeString(app.resolve("src/main.ts"), """
                import { createWindow } from "runtime:window";
                await createWindow({ id: "main", url: "app://index.html" });
                """);
        Files.createDirectories(app.resolve("web"));
        Files.writeString(app.resolve("web/index.html"), """
                <!doctype html><html><head><script type="module">
                  const n = Number(localStorage.getItem("launches") || 0) + 1;
                  localStorage.setItem("launches", String(n));
                  const data = await (await fetch("/data.json")).json();
                  window.result = n + " " + data.ok + " " + location.origin;
                </script></head><body>storage</body></html>
                """);
        Files.writeString(app.resolve("web/data.json"), "{\"ok\": \"root-absolute\"}");
    }

    private String[] launchOnce(String... extraArgs) throws Exception {
        String[] args = new String[extraArgs.length + 4];
        args[0] = "run";
        args[1] = "--headless";
        args[2] = "--automation";
        System.arraycopy(extraArgs, 0, args, 3, extraArgs.length);
        args[args.length - 1] = app.toString();
        try (KilnProcess kiln = KilnProcess.launch(args)) {
            kiln.command("wait-ready main 60000");
            String result = null;
            for (int i = 0; i < 400 && (result == null || result.equals("null")); i++) {
                result = kiln.command("eval main window.result ?? null");
                Thread.sleep(50);
            }
            kiln.command("close main");
            assertThat(kiln.awaitExit(Duration.ofSeconds(60))).as("exit code; err: " + kiln.err).isZero();
            return result.replace("\"", "").split(" ");
        }
    }

    @Test
    @Timeout(300)
    void localStorageGrowsAcrossLaunchesOnAStableOrigin() throws Exception {
        writeApp();
        String[] first = launchOnce();
        String[] second = launchOnce();
        assertThat(first[1]).isEqualTo("root-absolute");
        assertThat(Integer.parseInt(second[0])).isEqualTo(Integer.parseInt(first[0]) + 1);
        assertThat(second[2]).isEqualTo(first[2]).startsWith("http://127.0.0.1:");
    }

    @Test
    @Timeout(300)
    void devUrlShowsTheDevServersPageWithTheBridge() throws Exception {
        writeApp();
        HttpServer dev = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = "<!doctype html><html><head></head><body>dev</body></html>".getBytes(StandardCharsets.UTF_8);
        dev.createContext("/", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        dev.start();
        try (KilnProcess kiln = KilnProcess.launch("run", "--headless", "--automation",
                "--dev-url", "http://127.0.0.1:" + dev.getAddress().getPort(), app.toString())) {
            kiln.command("wait-ready main 60000");
            assertThat(kiln.command("eval main document.body.textContent + ' ' + typeof window.runtime.send")).isEqualTo("\"dev function\"");
            kiln.command("close main");
            assertThat(kiln.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(String.join("\n", kiln.err)).contains("dev mode: pages come from http://127.0.0.1:" + dev.getAddress().getPort());
        } finally {
            dev.stop(0);
        }
    }
}
