package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.ipc.ChannelPolicy;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.IpcInspector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The live IPC inspector, shown in a real window: it lists a known sequence of messages with their
 * fields, filters them, shows a refusal's code, leaves its own window out, and refuses requests
 * without its secret.
 */
@ExtendWith(RealWindowExtension.class)
class IpcInspectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The inspector's rows, newest first, as [stage, window, dir, channel, preview, code]. */
    private static final String ROWS = "JSON.stringify([...document.querySelectorAll('#events tbody tr')].map(tr =>"
            + " ['stage','window','dir','channel','preview','code'].map(c => tr.querySelector('td.' + c).textContent)))";

    private static JsonNode rows(AppWindow inspector) throws Exception {
        return JSON.readTree(JSON.readTree(Pages.eval(inspector, ROWS)).asText());
    }

    private static boolean has(JsonNode rows, String stage, String window, String channel, String preview) {
        for (JsonNode r : rows) {
            if (r.get(0).asText().equals(stage) && r.get(1).asText().equals(window) && r.get(3).asText().equals(channel)
                    && (preview == null || r.get(4).asText().equals(preview))) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Timeout(120)
    void listsFiltersAndShowsRefusalsWithoutItsOwnTraffic() throws Exception {
        IpcConfig ipc = IpcConfig.builder().policy(new ChannelPolicy(List.of("*"), List.of("secret"))).build();
        try (Desktop desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false).withIpc(ipc));
                IpcInspector inspector = IpcInspector.start(desktop.ipc())) {
            String url = inspector.url();
            HttpClient http = HttpClient.newHttpClient();
            String base = url.substring(0, url.indexOf('/', "http://".length()));
            for (String path : List.of("/", "/events", "/inspector.html", "/wrong-secret/", "/wrong-secret/events")) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains("Kiln IPC inspector");

            inspector.ignoreWindow("inspector"); // before the window exists: its first system events are left out too
            AppWindow shown = desktop.createWindow(WindowOptions.builder().id("inspector").url(url).size(1100, 700).build())
                    .get(20, TimeUnit.SECONDS);
            Pages.awaitEval(shown, "document.getElementById('status').textContent", "\"live\"");

            AppWindow app = Pages.open(desktop, WindowOptions.builder().id("app").url("app://index.html").size(400, 300).build());
            desktop.ipc().sendToWindow("app", "greet", Map.of("text", "hello")).get(10, TimeUnit.SECONDS);
            Pages.eval(app, "window.runtime.send('clicked', { n: 1 }), window.runtime.send('secret', 'x'), 1");

            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode r = rows(shown);
                return has(r, "delivered", "app", "greet", "{\"text\":\"hello\"}")
                        && has(r, "received", "app", "clicked", "{\"n\":1}") && has(r, "refused", "app", "secret", null);
            });
            JsonNode all = rows(shown);
            for (JsonNode r : all) {
                assertThat(r.get(1).asText()).as("its own window is left out").isNotEqualTo("inspector");
                if (r.get(3).asText().equals("secret")) {
                    assertThat(r.get(0).asText()).isEqualTo("refused");
                    assertThat(r.get(2).asText()).isEqualTo("\u2190 page");
                    assertThat(r.get(5).asText()).startsWith("7004: ");
                }
                if (r.get(3).asText().equals("greet")) {
                    assertThat(r.get(2).asText()).isEqualTo("\u2192 page");
                }
            }
            // newest first: the page's message after the host's
            int greet = -1;
            int clicked = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).get(0).asText().equals("sent") && all.get(i).get(3).asText().equals("greet")) {
                    greet = i;
                }
                if (all.get(i).get(0).asText().equals("received") && all.get(i).get(3).asText().equals("clicked")) {
                    clicked = i;
                }
            }
            assertThat(clicked).isLessThan(greet);

            // filter: direction page -> host, then channel
            Pages.eval(shown, "(() => { const d = document.getElementById('direction'); d.value = 'fromWindow';"
                    + " d.dispatchEvent(new Event('input')); return 1; })()");
            JsonNode fromPage = rows(shown);
            assertThat(fromPage).isNotEmpty().allSatisfy(r -> assertThat(r.get(2).asText()).isEqualTo("\u2190 page"));
            assertThat(has(fromPage, "received", "app", "clicked", null)).isTrue();
            Pages.eval(shown, "(() => { const c = document.getElementById('channel'); c.value = 'secr';"
                    + " c.dispatchEvent(new Event('input')); return 1; })()");
            JsonNode secret = rows(shown);
            assertThat(secret).hasSize(1);
            assertThat(secret.get(0).get(5).asText()).contains("7004").contains("not allowed");

            // per-channel counts and bytes
            String stats = JSON.readTree(Pages.eval(shown, "JSON.stringify([...document.querySelectorAll('#stats tbody tr')]"
                    + ".map(tr => [tr.dataset.channel, tr.querySelector('.count').textContent, tr.querySelector('.bytes').textContent]))")).asText();
            assertThat(JSON.readTree(stats)).anySatisfy(r -> {
                assertThat(r.get(0).asText()).isEqualTo("greet");
                assertThat(r.get(1).asText()).isEqualTo("1");
                assertThat(r.get(2).asText()).isEqualTo(String.valueOf("{\"text\":\"hello\"}".length()));
            });
            Automation.screenshot(shown, RealWindowExtension.SCREENSHOTS.resolve("ipc-inspector.png").toAbsolutePath())
                    .get(20, TimeUnit.SECONDS);
        }
    }

    /**
     * The inspector in a tool window ({@code kiln run --inspect-ipc=window}): it shows the app's
     * traffic, yet is no app window: not listed, no system events of its own, and the app still ends
     * when its last window closes, taking the tool window with it.
     */
    @Test
    @Timeout(120)
    void aToolWindowShowsTheInspectorOutsideTheApp() throws Exception {
        try (Desktop desktop = Desktop.start(DesktopConfig.of(TestWeb.root()));
                IpcInspector inspector = IpcInspector.start(desktop.ipc());
                EventStream systemEvents = desktop.ipc().windowEvents()) {
            desktop.showToolWindow("Kiln IPC inspector", inspector.url()).get(20, TimeUnit.SECONDS);
            ToolWindow tool = Fx.call(() -> desktop.toolWindows().get(0)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> "live".equals(
                    Fx.call(() -> tool.engine().executeScript("document.getElementById('status').textContent")).get(10, TimeUnit.SECONDS)));
            assertThat(Fx.call(() -> tool.engine().executeScript("typeof window.runtime")).get(10, TimeUnit.SECONDS))
                    .as("a tool page gets no bridge").isEqualTo("undefined");

            AppWindow app = Pages.open(desktop, WindowOptions.builder().id("app").url("app://index.html").size(400, 300).build());
            assertThat(desktop.windows()).extracting(AppWindow::id).containsExactly("app");
            desktop.ipc().sendToWindow("app", "greet", Map.of("text", "hello")).get(10, TimeUnit.SECONDS);
            Pages.eval(app, "window.runtime.send('clicked', { n: 1 }), 1");
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                JsonNode r = JSON.readTree((String) Fx.call(() -> tool.engine().executeScript(ROWS)).get(10, TimeUnit.SECONDS));
                return has(r, "delivered", "app", "greet", "{\"text\":\"hello\"}") && has(r, "received", "app", "clicked", "{\"n\":1}");
            });

            desktop.closeWindow("app").get(20, TimeUnit.SECONDS);
            desktop.terminated().get(30, TimeUnit.SECONDS); // the tool window does not keep the app alive
            await().atMost(Duration.ofSeconds(10)).until(() -> !Fx.call(tool::isShowing).get(10, TimeUnit.SECONDS));
            List<String> seen = new java.util.ArrayList<>();
            for (IpcEvent e : systemEvents) { // ended with the runtime: this reads what it buffered
                seen.add(e.windowId());
            }
            assertThat(seen).as("system events come from the app's window only").isNotEmpty().containsOnly("app");
        }
    }

    /**
     * The Complete Example's page with its host written in Java (as CompleteExampleTest), clicked a few
     * times, and the inspector beside it: saves target/screenshots/ipc-inspector-complete.png, the
     * README's picture.
     */
    @Test
    @Timeout(120)
    void theCompleteExampleSeenInTheInspector() throws Exception {
        java.nio.file.Path web = java.nio.file.Path.of("..", "examples", "complete", "web").toAbsolutePath().normalize();
        IpcConfig ipc = IpcConfig.builder().policy(new ChannelPolicy(List.of("*"), List.of("secret-settings"))).build();
        try (Desktop desktop = Desktop.start(DesktopConfig.of(web).withExitOnLastWindowClosed(false).withIpc(ipc));
                IpcInspector inspector = IpcInspector.start(desktop.ipc())) {
            inspector.ignoreWindow("inspector");
            desktop.ipc().onChannel("button-click", (payload, windowId) -> desktop.ipc().sendToWindow(windowId,
                    "button-response", Map.of("success", true, "message", "Processed " + payload.get("buttonId").asText())));
            desktop.ipc().handle("slow-sum", (p, ctx) -> java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> p.get("a").asInt() + p.get("b").asInt(),
                    java.util.concurrent.CompletableFuture.delayedExecutor(3, TimeUnit.MILLISECONDS)));
            AppWindow app = Pages.open(desktop, WindowOptions.builder().id("main").url("app://index.html").size(400, 300).build());
            for (int i = 0; i < 3; i++) {
                Automation.click(app, "#submit").get(20, TimeUnit.SECONDS);
                Pages.awaitEval(app, "document.getElementById('status').textContent", "\"Processed submit\"");
                Pages.eval(app, "document.getElementById('status').textContent = '', 1");
            }
            Pages.eval(app, "window.runtime.invoke('slow-sum', { a: 2, b: 3 }), window.runtime.send('secret-settings', null),"
                    + " window.runtime.invoke('no-such-handler', {}).catch(() => {}), 1");
            AppWindow shown = desktop.createWindow(WindowOptions.builder().id("inspector").url(inspector.url())
                    .title("Kiln IPC inspector").size(1200, 560).build()).get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> has(rows(shown), "call_end", "main", "no-such-handler", null));
            Thread.sleep(300); // the stats table is drawn on the next animation frame
            java.nio.file.Path png = Automation.screenshot(shown, RealWindowExtension.SCREENSHOTS
                    .resolve("ipc-inspector-complete.png").toAbsolutePath()).get(20, TimeUnit.SECONDS);
            assertThat(java.nio.file.Files.size(png)).isGreaterThan(10_000);
        }
    }
}
