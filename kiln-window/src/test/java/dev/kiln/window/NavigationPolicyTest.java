package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.EventType;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.window.NavigationEvent.Action;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A page cannot take its window away from the app: top-level navigations to other origins are
 * refused (unless allowed), a foreign frame cannot replace the window, and window.open opens app
 * pages as Kiln windows and nothing else; the app page and its bridge keep working throughout.
 */
@ExtendWith(RealWindowExtension.class)
@Timeout(120)
class NavigationPolicyTest {
    private static final BlockingQueue<NavigationEvent> EVENTS = new LinkedBlockingQueue<>();
    private static final List<String> FOREIGN_REQUESTS = new CopyOnWriteArrayList<>();
    private static HttpServer foreign;
    private static String other; // http://127.0.0.1:<port>
    private static Desktop desktop;

    @BeforeAll
    static void start() throws Exception {
        foreign = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        foreign.createContext("/", ex -> {
            FOREIGN_REQUESTS.add(ex.getRequestURI().getPath());
            String body = switch (ex.getRequestURI().getPath()) {
                // a frame that tries to replace the whole window: at once, and again on a real click
                case "/breakout" -> "<html><body style='margin:0;height:200px' onclick=\"top.location = '" + other
                        + "/landed-on-click'\"><script>try { top.location = '" + other + "/landed'; } catch (e) { }"
                        + "</script>breakout</body></html>";
                default -> "<html><head><title>foreign</title></head><body>foreign "
                        + ex.getRequestURI().getPath() + "</body></html>";
            };
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        foreign.start();
        other = "http://127.0.0.1:" + foreign.getAddress().getPort();
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
        desktop.onNavigation(EVENTS::add);
    }

    @AfterAll
    static void stop() {
        desktop.close();
        foreign.stop(0);
    }

    private static NavigationEvent nextEvent(AppWindow w) throws InterruptedException {
        while (true) {
            NavigationEvent e = EVENTS.poll(20, TimeUnit.SECONDS);
            assertThat(e).as("a navigation event of " + w.id()).isNotNull();
            if (e.windowId().equals(w.id())) {
                return e;
            }
        }
    }

    /** The original document is still there, and its bridge carries a round trip. */
    private static void assertAppPageWorks(Desktop d, AppWindow w) throws Exception {
        assertThat(Pages.eval(w, "window.kept + ' ' + typeof window.runtime.send")).isEqualTo("\"original function\"");
        assertThat(Pages.eval(w, "location.href")).startsWith("\"" + d.assets().baseUrl() + "nav.html");
        try (EventStream echoed = d.ipc().channelEvents("echoed")) {
            d.ipc().sendToWindow(w.id(), "echo", Map.of("n", 1)).get(20, TimeUnit.SECONDS);
            IpcEvent e = echoed.poll(Duration.ofSeconds(20));
            assertThat(e).as("the echo").isNotNull();
            assertThat(e.windowId()).isEqualTo(w.id());
            assertThat(e.payload().get("n").asInt()).isEqualTo(1);
        }
    }

    @Test
    void theAppPageCannotNavigateItsWindowToAnotherOrigin() throws Exception {
        AppWindow w = Pages.open(desktop, "app://nav.html");
        try (EventStream events = desktop.ipc().windowEventsFor(w.id()); LogCapture log = new LogCapture()) {
            Pages.eval(w, "location.href = '" + other + "/away'; 1");
            NavigationEvent e = nextEvent(w);
            assertThat(e.action()).isEqualTo(Action.REFUSED);
            assertThat(e.url()).isEqualTo(other + "/away");
            IpcEvent system;
            do { // focus and blur may come first
                system = events.poll(Duration.ofSeconds(20));
                assertThat(system).as("the navigation system event").isNotNull();
            } while (system.type() != EventType.NAVIGATION);
            assertThat(system.payload().get("action").asText()).isEqualTo("refused");
            assertThat(system.payload().get("url").asText()).isEqualTo(other + "/away");
            assertThat(log.contains("[7004] Refused to navigate window " + w.id() + " to " + other + "/away")).isTrue();

            // a form posted to another origin is a navigation too
            Pages.eval(w, "var f = document.createElement('form'); f.method = 'post'; f.action = '" + other
                    + "/post'; document.body.appendChild(f); f.submit(); 1");
            assertThat(nextEvent(w)).extracting(NavigationEvent::action, NavigationEvent::url)
                    .containsExactly(Action.REFUSED, other + "/post");
        }
        assertAppPageWorks(desktop, w);
        assertThat(FOREIGN_REQUESTS).doesNotContain("/away", "/post");
        w.close();
    }

    @Test
    void aForeignFrameCannotReplaceTheWindow() throws Exception {
        AppWindow w = Pages.open(desktop, "app://nav.html");
        Pages.eval(w, "document.getElementById('frame').src = '" + other + "/breakout'; 1");
        Pages.awaitEval(w, "document.getElementById('frame').contentWindow.length >= 0"
                + " && " + FOREIGN_REQUESTS.size() + " >= 0", "true");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> FOREIGN_REQUESTS.contains("/breakout"));
        // a real click in the frame: WebKit lets a frame navigate the top only with a user gesture
        Automation.click(w, "#frame").get(20, TimeUnit.SECONDS);
        NavigationEvent e = nextEvent(w);
        assertThat(e.action()).isEqualTo(Action.REFUSED);
        assertThat(e.url()).startsWith(other + "/landed");
        assertAppPageWorks(desktop, w);
        assertThat(FOREIGN_REQUESTS).doesNotContain("/landed", "/landed-on-click");
        w.close();
    }

    @Test
    void windowOpenOfAnAppPageOpensAKilnWindowWithItsOwnBridge() throws Exception {
        AppWindow w = Pages.open(desktop, "app://nav.html");
        Pages.eval(w, "window.open('echo.html?opened'); 1");
        NavigationEvent e = nextEvent(w);
        assertThat(e.action()).isEqualTo(Action.POPUP_OPENED);
        assertThat(e.url()).isEqualTo("app://echo.html?opened");
        AppWindow opened = desktop.window(e.openedWindowId()).orElseThrow();
        Automation.whenPageReady(opened).get(20, TimeUnit.SECONDS);
        try (EventStream echoed = desktop.ipc().channelEvents("echoed")) {
            desktop.ipc().sendToWindow(opened.id(), "echo", Map.of("n", 2)).get(20, TimeUnit.SECONDS);
            IpcEvent back = echoed.poll(Duration.ofSeconds(20));
            assertThat(back.windowId()).isEqualTo(opened.id());
            assertThat(back.payload().get("n").asInt()).isEqualTo(2);
        }
        assertAppPageWorks(desktop, w);
        opened.close();
        w.close();
    }

    @Test
    void windowOpenOfAForeignPageOpensNothing() throws Exception {
        AppWindow w = Pages.open(desktop, "app://nav.html");
        int windows = desktop.windows().size();
        try (LogCapture log = new LogCapture()) {
            Pages.eval(w, "window.open('" + other + "/popup\\n[page x] forged'); 1");
            NavigationEvent e = nextEvent(w);
            assertThat(e.action()).isEqualTo(Action.POPUP_REFUSED);
            assertThat(e.url()).startsWith(other + "/popup").doesNotContain("\n");
            assertThat(log.messages()).anyMatch(m -> m.startsWith("[7004] Refused window.open of " + other + "/popup"));
            assertThat(log.messages()).noneMatch(m -> m.contains("\n"));
        }
        assertAppPageWorks(desktop, w);
        assertThat(desktop.windows()).hasSize(windows);
        assertThat(FOREIGN_REQUESTS).noneMatch(p -> p.startsWith("/popup"));
        w.close();
    }

    @Test
    void anAllowedOriginMayBeNavigatedToWithoutTheBridge() throws Exception {
        Desktop open = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withAllowedOrigins(List.of(other.toUpperCase().replace("HTTP:", "http:"))));
        BlockingQueue<NavigationEvent> seen = new LinkedBlockingQueue<>();
        open.onNavigation(seen::add);
        try {
            AppWindow w = Pages.open(open, "app://nav.html");
            Pages.eval(w, "location.href = '" + other + "/allowed'; 1");
            NavigationEvent e = seen.poll(20, TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.action()).isEqualTo(Action.ALLOWED);
            Pages.awaitEval(w, "document.title + ' ' + typeof window.runtime", "\"foreign undefined\"");
            assertThat(FOREIGN_REQUESTS).contains("/allowed");
            // a message for the window waits for the app's next document there, and reaches it
            try (EventStream echoed = open.ipc().channelEvents("echoed")) {
                var sent = open.ipc().sendToWindow(w.id(), "echo", Map.of("n", 9));
                assertThat(echoed.poll(Duration.ofMillis(500))).as("nothing answers from the foreign page").isNull();
                Pages.eval(w, "location.href = " + BridgeProtocol.quote(open.assets().baseUrl() + "nav.html") + "; 1");
                sent.get(20, TimeUnit.SECONDS);
                IpcEvent back = echoed.poll(Duration.ofSeconds(20));
                assertThat(back).as("the echo from the app's page").isNotNull();
                assertThat(back.payload().get("n").asInt()).isEqualTo(9);
            }
            // and one still waiting when the window closes fails with 7002
            Pages.eval(w, "location.href = '" + other + "/allowed-again'; 1");
            Pages.awaitEval(w, "document.title + ' ' + typeof window.runtime", "\"foreign undefined\"");
            var pending = open.ipc().sendToWindow(w.id(), "echo", Map.of("n", 10));
            w.close();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> pending.get(20, TimeUnit.SECONDS))
                    .hasMessageContaining("7002");
            // and the host itself may still load any URL (the app asked for it)
            AppWindow direct = open.createWindow(WindowOptions.builder().url(other + "/direct").size(300, 200).build())
                    .get(20, TimeUnit.SECONDS);
            Pages.awaitEval(direct, "document.title", "\"foreign\"");
        } finally {
            open.close();
        }
        assertThat(DesktopConfig.origin("HTTPS://Example.com:443/")).isEqualTo("https://example.com");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DesktopConfig.origin("https://example.com/path"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not an origin");
    }
}
