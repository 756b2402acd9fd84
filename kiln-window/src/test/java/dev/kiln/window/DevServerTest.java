package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dev mode: with a dev URL, app:// pages come from a (here: tiny, in-test) dev server, through the
 * app's own origin, with the bridge; the dev server's own origin gets no bridge.
 */
@ExtendWith(RealWindowExtension.class)
class DevServerTest {
    private static final Map<String, String> DEV_FILES = Map.of(
            "/", "<!doctype html><html><head><script type=\"module\" src=\"/src/main.js\"></script></head><body>dev</body></html>",
            "/src/main.js", """
                    import { answer } from "/src/dep.js";
                    const data = await (await fetch("/api/data.json")).json();
                    window.runtime.send("mounted", { data, answer, location: location.href });
                    """,
            "/src/dep.js", "export const answer = 42;",
            "/plain.html", "<!doctype html><html><head></head><body>plain</body></html>",
            "/api/data.json", "{\"served\": \"by the dev server\"}");

    private static HttpServer devServer(List<String> requests) throws Exception {
        AssetServer.configureJdkServer(); // as Desktop.start does, before this JVM's first JDK HttpServer
        HttpServer dev = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dev.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            requests.add(path + " upgrade=" + ex.getRequestHeaders().getFirst("Upgrade")
                    + " cookie=" + ex.getRequestHeaders().getFirst("Cookie"));
            String body = DEV_FILES.get(path);
            byte[] bytes = (body == null ? "missing" : body).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", path.endsWith(".html") || path.endsWith("/") ? "text/html"
                    : path.endsWith(".json") ? "application/json" : "text/javascript");
            ex.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        dev.start();
        return dev;
    }

    @Test
    @Timeout(60)
    void appPagesComeFromTheDevServerWithTheBridge(@TempDir Path dir) throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<!doctype html><p>the built page, not wanted in dev mode</p>");
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer dev = devServer(requests);
        URI devUrl = URI.create("http://localhost:" + dev.getAddress().getPort());
        try (LogCapture log = new LogCapture();
                Desktop desktop = Desktop.start(DesktopConfig.of(web).withExitOnLastWindowClosed(false)
                        .withAppIdentifier("test.dev.server").withDevUrl(devUrl));
                EventStream mounted = desktop.ipc().channelEvents("mounted")) {
            AppWindow w = desktop.createWindow(WindowOptions.builder().url("app://index.html").size(400, 300).build()).get(20, TimeUnit.SECONDS);
            IpcEvent m = Pages.take(mounted, 1).get(0);
            JsonNode payload = m.payload();
            assertThat(payload.get("data").get("served").asText()).isEqualTo("by the dev server");
            assertThat(payload.get("location").asText()).as("the app's own origin").isEqualTo(desktop.assets().origin() + "/");
            assertThat(payload.get("answer").asInt()).as("a module import from the dev server").isEqualTo(42);
            // (host-to-page delivery on module pages is issue 9 item 1, tested where it is fixed)

            assertThat(requests).anyMatch(r -> r.startsWith("/ ")).anyMatch(r -> r.startsWith("/src/dep.js"));
            assertThat(requests).as("the launch secret stays with Kiln").allMatch(r -> r.endsWith("cookie=null"));
            // Vite's dev server (Node, listening for WebSocket upgrades) never answers a request that
            // asks to upgrade to HTTP/2 (Upgrade: h2c), which the JDK's client sends by default
            assertThat(requests).as("no upgrade request to the dev server").allMatch(r -> r.contains(" upgrade=null "));

            Pages.eval(w, "fetch('/nope.js').then(r => { window.nopeStatus = r.status; }); 1");
            Pages.awaitEval(w, "window.nopeStatus", "404");
            assertThat(log.messages()).anyMatch(msg -> msg.contains("Not found: " + desktop.assets().origin() + "/nope.js (dev server " + devUrl));

            // the dev server's own origin is not the app's: no bridge there (loaded by the host: a page
            // of the app may not navigate there, the navigation policy refuses it)
            Fx.call(() -> {
                ((WebViewWindow) w).load(devUrl + "/plain.html");
                return null;
            }).get(10, TimeUnit.SECONDS);
            Pages.awaitEval(w, "location.href + ' ' + document.readyState", "\"" + devUrl + "/plain.html complete\"");
            assertThat(Pages.eval(w, "typeof window.runtime")).isEqualTo("\"undefined\"");
        } finally {
            dev.stop(0);
        }
    }

    /**
     * Dev mode's WebSocket for the page (DevSockets): its paths pass the asset server's checks, a
     * socket the dev server does not accept fails as a WebSocket does (error, then close 1006), and
     * pages outside dev mode keep the WebView's own WebSocket. (With a real dev server, hot module
     * replacement over it is DevLoopE2ETest's.)
     */
    @Test
    @Timeout(60)
    void pageWebSocketsToTheAppOriginGoThroughTheHostAndFailLikeWebSockets(@TempDir Path dir) throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        HttpServer dev = devServer(new CopyOnWriteArrayList<>());
        URI devUrl = URI.create("http://localhost:" + dev.getAddress().getPort());
        try (Desktop desktop = Desktop.start(DesktopConfig.of(web).withExitOnLastWindowClosed(false)
                .withAppIdentifier("test.dev.sockets").withDevUrl(devUrl))) {
            AppWindow w = desktop.createWindow(WindowOptions.builder().url("app://plain.html").size(400, 300).build()).get(20, TimeUnit.SECONDS);
            // createWindow completes before the page has loaded: a socket made in the blank first document would be the WebView's own
            Pages.awaitEval(w, "location.pathname + ' ' + document.readyState", "\"/plain.html complete\"");
            Pages.eval(w, """
                    (() => { const s = new WebSocket("ws://" + location.host + "/hmr?token=t", "vite-hmr");
                      window.socketLog = [];
                      s.onerror = () => window.socketLog.push("error");
                      s.addEventListener("close", (e) => window.socketLog.push("close " + e.code + " " + e.wasClean + " " + s.readyState));
                      return 1; })()""");
            Pages.awaitEval(w, "window.socketLog.join()", "\"error,close 1006 false 3\"");

            var client = HttpClient.newHttpClient();
            var noSecret = client.send(HttpRequest.newBuilder(URI.create(desktop.assets().origin() + DevSockets.PREFIX + "open"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"path\":\"/\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noSecret.statusCode()).as("no launch secret").isEqualTo(403);
            Pages.eval(w, "fetch('/.kiln/dev-socket/nosuchid/poll').then(r => { window.unknownStatus = r.status; }); 1");
            Pages.awaitEval(w, "window.unknownStatus", "404");
        } finally {
            dev.stop(0);
        }
        try (Desktop desktop = Desktop.start(DesktopConfig.of(web).withExitOnLastWindowClosed(false).withAppIdentifier("test.dev.sockets.off"))) {
            Files.writeString(web.resolve("index.html"), "<!doctype html><p>built</p>");
            AppWindow w = desktop.createWindow(WindowOptions.builder().url("app://index.html").size(400, 300).build()).get(20, TimeUnit.SECONDS);
            Pages.awaitEval(w, "location.pathname + ' ' + document.readyState", "\"/ complete\"");
            assertThat(Pages.eval(w, "String(WebSocket).includes('[native code]')")).as("not replaced outside dev mode").isEqualTo("true");
        }
    }
}
