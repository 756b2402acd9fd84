package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcConfig;
import dev.kiln.ipc.IpcEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import netscape.javascript.JSObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** What a page cannot do: get the bridge outside the app's origin, or break anything with bad input. */
@ExtendWith(RealWindowExtension.class)
class PageSafetyTest {
    private static final long LIMIT = 1024 * 1024;
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withIpc(IpcConfig.builder().maxPayloadBytes(LIMIT).build()));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    /** A page that replays the bridge handshake with the real (secret) names, as an attacker who knew them would. */
    private static String handshakePage() {
        BridgeProtocol p = desktop.protocol();
        return "<!DOCTYPE html><html><head><title>foreign</title><script>"
                + "window[" + BridgeProtocol.quote(p.portMember()) + "] = { deliver: function (t) { window.leaked = t; } };"
                + "alert(" + BridgeProtocol.quote(p.marker()) + ");"
                + "window.granted = typeof window[" + BridgeProtocol.quote(p.hostMember()) + "];"
                + "</script></head><body>foreign</body></html>";
    }

    private static void load(AppWindow w, String url) throws Exception {
        Fx.call(() -> {
            ((WebViewWindow) w).load(url);
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    private static void assertNoBridge(AppWindow w, String expectedLocationStart) throws Exception {
        // the previous foreign page is complete too: wait for this one's location first
        Pages.awaitEval(w, "location.href.startsWith(" + BridgeProtocol.quote(expectedLocationStart)
                + ") + ' ' + document.readyState + ' ' + typeof window.granted", "\"true complete string\"");
        assertThat(Pages.eval(w, "[typeof window.runtime, window.granted, typeof window.leaked].join()"))
                .isEqualTo("\"undefined,undefined,undefined\"");
    }

    @Test
    void onlyTheAppsOwnDocumentsGetTheBridge(@TempDir Path outside) throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = handshakePage().getBytes(StandardCharsets.UTF_8);
        other.createContext("/", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        other.start();
        Path file = Files.writeString(outside.resolve("outside.html"), handshakePage());
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (LogCapture log = new LogCapture(); EventStream stolen = desktop.ipc().channelEvents("stolen")) {
            PageBridge appBridge = Fx.call(() -> ((WebViewWindow) w).page().currentBridge()).get(10, TimeUnit.SECONDS);

            String otherOrigin = "http://127.0.0.1:" + other.getAddress().getPort() + "/";
            load(w, otherOrigin);
            assertNoBridge(w, otherOrigin);
            // a message sent now waits for the app's page; it never reaches the foreign one
            desktop.ipc().sendToWindow(w.id(), "seq", java.util.Map.of("i", 0));

            load(w, "data:text/html;charset=utf-8," + java.net.URLEncoder.encode(handshakePage(), StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            assertNoBridge(w, "data:");

            load(w, file.toUri().toString());
            assertNoBridge(w, "file:");

            Fx.call(() -> {
                ((WebViewWindow) w).engine().loadContent(handshakePage());
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertNoBridge(w, "about:blank");

            // the app's own server and files, but under another origin (localhost instead of 127.0.0.1);
            // in a window of its own, since page warnings are rate-limited per window (5 a second)
            String localhost = "http://localhost:" + desktop.assets().port() + "/echo.html";
            AppWindow w2 = Pages.open(desktop, "app://echo.html");
            load(w2, localhost);
            Pages.awaitEval(w2, "location.href + ' ' + document.readyState", "\"" + localhost + " complete\"");
            assertThat(Pages.eval(w2, "typeof window.runtime")).isEqualTo("\"undefined\"");
            w2.close();

            // a host object that leaked to a foreign document is refused at each call
            load(w, otherOrigin);
            assertNoBridge(w, otherOrigin);
            Fx.call(() -> {
                ((JSObject) ((WebViewWindow) w).engine().executeScript("window")).setMember("stolenHost", appBridge);
                return null;
            }).get(10, TimeUnit.SECONDS);
            Pages.eval(w, "stolenHost.post('[{\"c\":\"stolen\",\"p\":1}]'); stolenHost.ready(); 1");
            assertThat(stolen.poll(Duration.ofMillis(500))).isNull();
            assertThat(log.contains("Refused send from a document that does not hold the bridge")).isTrue();
            assertThat(log.count("Refused the bridge to a document at")).isEqualTo(6); // other origin twice, data:, file:, about:blank, localhost

            // back home: the bridge is there again and the queued message arrives
            load(w, desktop.assets().resolve("app://echo.html"));
            Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
            Pages.awaitEval(w, "received.seq.length", "1");
        } finally {
            w.close();
            other.stop(0);
        }
    }

    @Test
    void badInputFromThePageThrowsWithItsCodeAndDeliversNothing() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (EventStream bad = desktop.ipc().channelEvents("bad"); EventStream good = desktop.ipc().channelEvents("good")) {
            String results = Pages.eval(w, """
                    (() => {
                      const results = {};
                      const attempt = (name, f) => {
                        try { f(); results[name] = 'no error'; }
                        catch (e) { results[name] = (e instanceof Error) + ' ' + e.code + ' ' + e.message; }
                      };
                      attempt('number', () => runtime.send(42, 1));
                      attempt('missing', () => runtime.send());
                      attempt('empty', () => runtime.send('', 1));
                      attempt('control', () => runtime.send('a\\u0001b', 1));
                      attempt('long', () => runtime.send('x'.repeat(257), 1));
                      attempt('reserved', () => runtime.send('close'));
                      attempt('reservedResize', () => runtime.send('resize', { width: 1, height: 1 }));
                      attempt('function', () => runtime.send('bad', () => 1));
                      attempt('nestedFunction', () => runtime.send('bad', { f() {} }));
                      attempt('symbol', () => runtime.send('bad', [Symbol('s')]));
                      attempt('cycle', () => { const o = {}; o.self = o; runtime.send('bad', o); });
                      attempt('bigint', () => runtime.send('bad', { n: 10n }));
                      attempt('oversized', () => runtime.send('bad', 'x'.repeat(2 * 1024 * 1024)));
                      attempt('badListener', () => runtime.on('bad', 'not a function'));
                      attempt('frozen', () => {
                        window.runtime.send = null; window.runtime = {};
                        if (typeof window.runtime.send !== 'function') throw new Error('the page replaced the bridge');
                      });
                      runtime.send('good', { ok: true, holes: [1, undefined], skipped: undefined });
                      return results;
                    })()""");
            JsonNode r = new ObjectMapper().readTree(results);
            assertThat(r.get("number").asText()).startsWith("true 7000 [7000] Channel name must be a string, got number");
            assertThat(r.get("missing").asText()).startsWith("true 7000 [7000] Channel name must be a string, got undefined");
            assertThat(r.get("empty").asText()).startsWith("true 7000 [7000] Channel name must not be empty");
            assertThat(r.get("control").asText()).startsWith("true 7000 [7000] Channel name must not contain control characters (U+0001");
            assertThat(r.get("long").asText()).startsWith("true 7000 [7000] Channel name is 257 characters long; the limit is 256");
            assertThat(r.get("reserved").asText()).startsWith("true 7004 [7004] Channel 'close' is reserved");
            assertThat(r.get("reservedResize").asText()).startsWith("true 7004 [7004] Channel 'resize' is reserved");
            assertThat(r.get("function").asText()).startsWith("true 7003 [7003] Payload cannot be serialized to JSON: the payload is a function");
            assertThat(r.get("nestedFunction").asText()).startsWith("true 7003 [7003] Payload cannot be serialized to JSON: payload.f is a function");
            assertThat(r.get("symbol").asText()).startsWith("true 7003 [7003] Payload cannot be serialized to JSON: payload[0] is a symbol");
            assertThat(r.get("cycle").asText()).startsWith("true 7003 [7003] Payload cannot be serialized to JSON:");
            assertThat(r.get("bigint").asText()).startsWith("true 7003 [7003] Payload cannot be serialized to JSON: payload.n is a bigint");
            assertThat(r.get("oversized").asText()).startsWith("true 7003 [7003] Payload is 2097154 bytes; the limit is 1048576 bytes");
            assertThat(r.get("badListener").asText()).contains("the callback must be a function");
            assertThat(r.get("frozen").asText()).isEqualTo("no error");

            IpcEvent ok = good.poll(Duration.ofSeconds(20));
            assertThat(ok.payload().toString()).isEqualTo("{\"ok\":true,\"holes\":[1,null]}");
            assertThat(bad.poll(Duration.ofMillis(300))).as("nothing from the failed sends").isNull();
        }
        try (EventStream echoed = desktop.ipc().channelEvents("echoed")) {
            desktop.ipc().sendToWindow(w.id(), "echo", "still working");
            assertThat(echoed.poll(Duration.ofSeconds(20)).payload().asText()).isEqualTo("still working");
        } finally {
            w.close();
        }
    }

    @Test
    void rawMalformedCallsIntoTheHostObjectAreRefusedAndLogged() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (LogCapture log = new LogCapture(); EventStream events = desktop.ipc().windowEventsFor(w.id())) {
            long malformedBefore = desktop.ipc().stats().inboundMalformed();
            Fx.call(() -> {
                WebViewWindow ww = (WebViewWindow) w;
                ((JSObject) ww.engine().executeScript("window")).setMember("rawHost", ww.page().currentBridge());
                return null;
            }).get(10, TimeUnit.SECONDS);
            Pages.eval(w, """
                    rawHost.post(42); rawHost.post(null); rawHost.post({ c: 'x' }); try { rawHost.post(); } catch (e) { }
                    rawHost.post('not json'); rawHost.post('[{"c":5}]'); rawHost.post('{"c":"x"}');
                    rawHost.post('[{"c":"close"},{"c":"focus"}]'); rawHost.post('[{"c":"fine","p":1}]');
                    try { rawHost.report({ toString: 1 }); } catch (e) { /* the page's own conversion error */ } 1""");
            // the replayed handshake is refused too: the document keeps its own bridge
            Pages.eval(w, "window[" + BridgeProtocol.quote(desktop.protocol().portMember()) + "] = {};"
                    + " alert(" + BridgeProtocol.quote(desktop.protocol().marker()) + "); 1");
            Pages.eval(w, "runtime.send('after', 1); 1");
            List<String> got = new java.util.ArrayList<>();
            IpcEvent e;
            while ((e = events.poll(Duration.ofMillis(got.size() < 2 ? 20_000 : 300))) != null) {
                if (!e.isSystemEvent()) { // focus and blur may come and go meanwhile
                    got.add(e.channel());
                }
            }
            assertThat(got).containsExactly("fine", "after");
            await().until(() -> desktop.ipc().stats().inboundMalformed() - malformedBefore >= 5);
            assertThat(log.count("[7001] Refused a malformed call from the page")).as(log.messages().toString()).isEqualTo(3);
            assertThat(log.contains("a replayed handshake neither grants nor revokes")).isTrue();
            assertThat(log.contains("reserved for window system events")).isTrue();
        }
        try (EventStream echoed = desktop.ipc().channelEvents("echoed")) {
            desktop.ipc().sendToWindow(w.id(), "echo", "still working");
            assertThat(echoed.poll(Duration.ofSeconds(20)).payload().asText()).isEqualTo("still working");
        } finally {
            w.close();
        }
    }
}
