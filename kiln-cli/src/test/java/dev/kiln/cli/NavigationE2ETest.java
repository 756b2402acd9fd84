package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The navigation policy through {@code ./kiln run}: the app's script hears each refusal and popup as
 * a {@code navigation} system event, Kiln logs it, and the app page and its bridge keep working.
 */
@Tag("e2e")
@Timeout(300)
class NavigationE2ETest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer other;
    private HttpServer allowed;

    @TempDir
    Path dir;

    private HttpServer serve() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String origin = "http://127.0.0.1:" + s.getAddress().getPort();
        s.createContext("/", ex -> {
            requests.add(origin + ex.getRequestURI().getPath());
            String body = ex.getRequestURI().getPath().equals("/breakout")
                    ? "<html><body><script>try { top.location = '" + origin + "/landed'; } catch (e) { }</script></body></html>"
                    : "<html><head><title>foreign</title></head><body>foreign</body></html>";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        return s;
    }

    @AfterEach
    void stopServers() {
        other.stop(0);
        allowed.stop(0);
    }

    private static String origin(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    private String app() throws Exception {
        other = serve();
        allowed = serve();
        Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(dir.resolve("manifest.app.toml"), "[app]\nname = \"t\"\nidentifier = \"t\"\nversion = \"1\"\n"
                + "[capabilities.channels]\nallowed = [\"*\"]\n"
                + "[navigation]\nallowed = [\"" + origin(allowed) + "\"]\n");
        String page = "<!DOCTYPE html><html><head><title>app</title></head><body><iframe id=\"frame\"></iframe><script>"
                + "window.kept = 'original';"
                + "window.runtime.on('pong', function (p) { window.got = p; });"
                + "</script></body></html>";
        Files.writeString(dir.resolve("web/index.html"), page);
        Files.writeString(dir.resolve("web/second.html"), page);
        Files.writeString(dir.resolve("src/main.ts"), String.join("\n",
                "import { createWindow } from \"runtime:window\";",
                "import { onEvent, onChannel, sendToWindow } from \"runtime:ipc\";",
                "onEvent((e) => {",
                "  if (e.type === \"navigation\") console.log(`navigation ${e.windowId} ${JSON.stringify(e.payload)}`);",
                "});",
                "onChannel(\"ping\", (p, windowId) => { void sendToWindow(windowId, \"pong\", p); });",
                "await createWindow({ id: \"main-window\", url: \"app://index.html\" });",
                ""));
        return dir.toString();
    }

    private static String awaitOut(KilnProcess kiln, Predicate<String> line, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (String l : List.copyOf(kiln.out)) {
                if (line.test(l)) {
                    return l;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No stdout line " + what + " within " + WAIT + "; out: " + kiln.out + "; err: " + kiln.err);
            }
            Thread.sleep(50);
        }
    }

    private static void roundTrip(KilnProcess kiln, String window, int n) throws Exception {
        kiln.command("eval " + window + " window.runtime.send('ping', " + n + "), 1");
        kiln.awaitEval(window, "window.got", Integer.toString(n), WAIT);
        assertThat(kiln.command("eval " + window + " window.kept")).isEqualTo("\"original\"");
    }

    @Test
    void theAppHearsOfEveryRefusalAndItsPageKeepsWorking() throws Exception {
        KilnProcess.drive(app(), "navigation", kiln -> {
            kiln.command("wait-ready main-window 60000");
            String away = origin(other) + "/away";

            kiln.command("eval main-window location.href = '" + away + "', 1");
            awaitOut(kiln, l -> l.equals("navigation main-window {\"action\":\"refused\",\"url\":\"" + away + "\"}"),
                    "for the refused navigation");
            roundTrip(kiln, "main-window", 1);

            kiln.command("eval main-window document.getElementById('frame').src = '" + origin(other) + "/breakout', 1");
            awaitOut(kiln, l -> l.equals("navigation main-window {\"action\":\"refused\",\"url\":\"" + origin(other)
                    + "/landed\"}"), "for the frame's top.location");
            roundTrip(kiln, "main-window", 2);

            kiln.command("eval main-window window.open('" + origin(other) + "/popup'), 1");
            awaitOut(kiln, l -> l.startsWith("navigation main-window {\"action\":\"popup-refused\",\"url\":\""
                    + origin(other) + "/popup\""), "for the refused popup");

            kiln.command("eval main-window window.open('second.html'), 1");
            String opened = awaitOut(kiln, l -> l.startsWith(
                    "navigation main-window {\"action\":\"popup-opened\",\"url\":\"app://second.html\",\"windowId\":\""),
                    "for the opened popup");
            String second = opened.replaceAll(".*\"windowId\":\"([^\"]+)\".*", "$1");
            kiln.command("wait-ready " + second + " 30000");
            roundTrip(kiln, second, 3);
            roundTrip(kiln, "main-window", 4);

            String ok = origin(allowed) + "/ok";
            kiln.command("eval main-window location.href = '" + ok + "', 1");
            awaitOut(kiln, l -> l.equals("navigation main-window {\"action\":\"allowed\",\"url\":\"" + ok + "\"}"),
                    "for the allowed navigation");
            kiln.awaitEval("main-window", "document.title + ' ' + typeof window.runtime", "\"foreign undefined\"", WAIT);

            assertThat(requests).contains(origin(other) + "/breakout", ok)
                    .doesNotContain(away, origin(other) + "/landed", origin(other) + "/popup");
            assertThat(String.join("\n", kiln.err))
                    .contains("[7004] Refused to navigate window main-window to " + away)
                    .contains("[7004] Refused window.open of " + origin(other) + "/popup in window main-window");

            kiln.command("quit");
            assertThat(kiln.awaitExit(WAIT)).as("exit code; err: %s", kiln.err).isZero();
        });
    }
}
