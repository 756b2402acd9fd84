package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.ipc.BroadcastException;
import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.KilnException;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The page bridge in real windows: ready handshake, ordering, batching, listeners, script kinds, reload. */
@ExtendWith(RealWindowExtension.class)
class BridgeTest {
    private static Desktop desktop;
    private final List<AppWindow> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @AfterEach
    void closeWindows() {
        opened.forEach(AppWindow::close);
    }

    private AppWindow open(String url) throws Exception {
        AppWindow w = Pages.open(desktop, url);
        opened.add(w);
        return w;
    }

    @Test
    void messagesSentBeforeThePageIsReadyArriveInOrder() throws Exception {
        // The page's only listener comes from a script another server holds back until the messages are sent.
        CountDownLatch release = new CountDownLatch(1);
        HttpServer gate = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gate.setExecutor(Executors.newSingleThreadExecutor());
        gate.createContext("/gate.js", ex -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] js = "window.runtime.on('early', (p) => window.received.early.push(p));".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/javascript");
            ex.sendResponseHeaders(200, js.length);
            ex.getResponseBody().write(js);
            ex.close();
        });
        gate.start();
        try {
            AppWindow w = desktop.createWindow(WindowOptions.builder()
                    .url("app://gated.html?gate=" + gate.getAddress().getPort()).size(300, 200).build()).get(20, TimeUnit.SECONDS);
            opened.add(w);
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sends.add(desktop.ipc().sendToWindow(w.id(), "early", Map.of("i", i)));
            }
            assertThat(Automation.whenPageReady(w)).as("the page is still loading").isNotDone();

            release.countDown();
            Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            Pages.awaitEval(w, "received.early.map(p => p.i).join(',')", "\"" + range(100) + "\"");
        } finally {
            release.countDown();
            gate.stop(0);
            ((java.util.concurrent.ExecutorService) gate.getExecutor()).shutdownNow();
        }
    }

    @Test
    void tenThousandMessagesKeepTheirOrderFromHostToPage() throws Exception {
        AppWindow w = open("app://echo.html");
        long callsBefore = bridgeCalls(w)[1];
        for (int i = 0; i < 10_000; i++) {
            desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", i));
        }
        Pages.awaitEval(w, "received.seq.length", "10000");
        assertThat(Pages.eval(w, "received.seq.every((p, i) => p.i === i)")).isEqualTo("true");
        // Adaptive batching: each call into the page takes whatever queued while the previous one ran
        // (about 8 messages a call here; one call per message would be 10,000).
        assertThat(bridgeCalls(w)[1] - callsBefore).as("script calls for a burst of 10,000 sends").isLessThan(2_500);
    }

    @Test
    void tenThousandMessagesKeepTheirOrderFromPageToHost() throws Exception {
        AppWindow w = open("app://echo.html");
        try (EventStream up = desktop.ipc().channelEvents("up")) {
            // half in one burst (one upcall), half spread over timer tasks (many upcalls)
            Pages.eval(w, "for (let i = 0; i < 5000; i++) window.runtime.send('up', { i });"
                    + " for (let i = 5000; i < 10000; i += 100) setTimeout(() => {"
                    + "   for (let j = i; j < i + 100; j++) window.runtime.send('up', { i: j }); }, 0); 'sent'");
            List<IpcEvent> events = Pages.take(up, 10_000);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).payload().get("i").asInt()).isEqualTo(i);
                assertThat(events.get(i).windowId()).isEqualTo(w.id());
            }
        }
    }

    @Test
    void aBurstOfSendsIsOneUpcallAndRoundTripsThroughTheHost() throws Exception {
        AppWindow w = open("app://echo.html");
        try (EventStream echoed = desktop.ipc().channelEvents("echoed")) {
            desktop.ipc().sendToWindow(w.id(), "echo", Map.of("text", "héllo \u2028 \"quoted\" </script>"));
            IpcEvent e = echoed.poll(Duration.ofSeconds(20));
            assertThat(e).isNotNull();
            assertThat(e.payload().get("text").asText()).isEqualTo("héllo \u2028 \"quoted\" </script>");
        }
        long upcallsBefore = bridgeCalls(w)[0];
        try (EventStream burst = desktop.ipc().channelEvents("burst")) {
            Pages.eval(w, "for (let i = 0; i < 50; i++) window.runtime.send('burst', i); window.runtime.send('burst'); 1");
            List<IpcEvent> events = Pages.take(burst, 51);
            assertThat(events.get(49).payload().asInt()).isEqualTo(49);
            assertThat(events.get(50).payload().isNull()).as("send without payload").isTrue();
        }
        assertThat(bridgeCalls(w)[0] - upcallsBefore).as("upcalls for a burst of 51 sends").isEqualTo(1);
    }

    @Test
    void broadcastReachesThreeWindowsAndNamesAClosedOne() throws Exception {
        AppWindow a = open("app://echo.html");
        AppWindow b = open("app://echo.html");
        AppWindow c = open("app://echo.html");
        desktop.ipc().broadcast(List.of(a.id(), b.id(), c.id()), "news", Map.of("headline", "kiln")).get(20, TimeUnit.SECONDS);
        for (AppWindow w : List.of(a, b, c)) {
            Pages.awaitEval(w, "received.news.map(p => p.headline).join()", "\"kiln\"");
        }
        c.close();
        org.awaitility.Awaitility.await().until(c::isClosed);
        assertThatThrownBy(() -> desktop.ipc().broadcast(List.of(a.id(), c.id()), "news", Map.of("headline", "two"))
                .get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(BroadcastException.class)
                .hasMessageContaining(c.id());
        Pages.awaitEval(a, "received.news.map(p => p.headline).join()", "\"kiln,two\"");
    }

    @Test
    void onReturnsAnUnsubscribeOffRemovesAndAThrowingListenerDoesNotStopTheOthers() throws Exception {
        AppWindow w = open("app://echo.html");
        Pages.eval(w, """
                window.got = [];
                window.runtime.on('t', () => { throw new Error('boom'); });
                const unsubscribe = window.runtime.on('t', (p) => got.push('a' + p));
                const b = (p) => got.push('b' + p);
                window.runtime.on('t', b);
                window.stopA = unsubscribe;
                window.stopB = () => window.runtime.off('t', b);
                1""");
        desktop.ipc().sendToWindow(w.id(), "t", 1).get(10, TimeUnit.SECONDS);
        Pages.awaitEval(w, "got.join()", "\"a1,b1\"");
        Pages.eval(w, "stopA(); stopA(); 1");
        desktop.ipc().sendToWindow(w.id(), "t", 2).get(10, TimeUnit.SECONDS);
        Pages.awaitEval(w, "got.join()", "\"a1,b1,b2\"");
        Pages.eval(w, "stopB(); 1");
        desktop.ipc().sendToWindow(w.id(), "t", 3);
        desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", 0));
        Pages.awaitEval(w, "received.seq.length", "1");
        assertThat(Pages.eval(w, "got.join()")).isEqualTo("\"a1,b1,b2\"");
    }

    @Test
    void everyKindOfScriptHasTheBridge() throws Exception {
        try (EventStream kinds = desktop.ipc().channelEvents("kind")) {
            AppWindow w = open("app://kinds.html");
            List<String> seen = Pages.take(kinds, 6).stream().map(e -> e.payload().asText()).toList();
            assertThat(seen).containsExactlyInAnyOrder("inline-head", "inline-body", "defer",
                    "module-static-import", "dynamic-import", "DOMContentLoaded");
            assertThat(seen.subList(0, 2)).containsExactly("inline-head", "inline-body");
            assertThat(w.isClosed()).isFalse();
        }
    }

    @Test
    void reloadAndNavigationKeepTheBridge() throws Exception {
        AppWindow w = open("app://echo.html");
        Pages.eval(w, "window.beforeReload = true; location.reload(); 1");
        Pages.awaitEval(w, "typeof window.beforeReload + ' ' + typeof window.runtime", "\"undefined object\"");
        Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
        try (EventStream echoed = desktop.ipc().channelEvents("echoed")) {
            desktop.ipc().sendToWindow(w.id(), "echo", "after reload");
            assertThat(echoed.poll(Duration.ofSeconds(20)).payload().asText()).isEqualTo("after reload");
        }
        try (EventStream arrived = desktop.ipc().channelEvents("arrived")) {
            Pages.eval(w, "location.href = 'app/page2.html'; 1");
            IpcEvent e = arrived.poll(Duration.ofSeconds(20));
            assertThat(e.payload().asText()).isEqualTo("page2.html");
            assertThat(e.windowId()).isEqualTo(w.id());
        }
        desktop.ipc().sendToWindow(w.id(), "nav", "hello page two");
        Pages.awaitEval(w, "received.nav.join()", "\"hello page two\"");
        // a same-document navigation keeps the document and its bridge
        Pages.eval(w, "location.hash = '#x'; 1");
        desktop.ipc().sendToWindow(w.id(), "nav", "after hash");
        Pages.awaitEval(w, "received.nav.join()", "\"hello page two,after hash\"");
    }

    @Test
    void aWindowsOwnChannelListLimitsBothDirections() throws Exception {
        AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").size(300, 200)
                .channels(List.of("app:*", "echo", "echoed", "seq")).build());
        opened.add(w);
        assertThatThrownBy(() -> desktop.ipc().sendToWindow(w.id(), "news", 1).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(KilnException.class).hasMessageStartingWith("[7004]");
        long deniedBefore = desktop.ipc().stats().inboundDenied();
        try (EventStream events = desktop.ipc().windowEventsFor(w.id())) {
            Pages.eval(w, "runtime.send('other', 1); runtime.send('app:ok', 2); 1");
            IpcEvent e;
            do {
                e = events.poll(Duration.ofSeconds(20));
            } while (e != null && e.isSystemEvent());
            assertThat(e.channel()).isEqualTo("app:ok");
        }
        assertThat(desktop.ipc().stats().inboundDenied() - deniedBefore).isEqualTo(1);
    }

    @Test
    void deliveriesSurviveTheJavaScriptGarbageCollector() throws Exception {
        AppWindow w = open("app://echo.html");
        for (int round = 0; round < 5; round++) {
            // enough garbage to make JavaScriptCore collect several times
            Pages.eval(w, "for (let i = 0; i < 40; i++) { let junk = []; for (let j = 0; j < 20000; j++) junk.push({ j, s: 'x' + j }); }"
                    + " for (let i = 0; i < 100; i++) new ArrayBuffer(1 << 20); 1");
            Thread.sleep(200); // let a collection run outside the script's own stack
            desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", round)).get(10, TimeUnit.SECONDS);
            Pages.awaitEval(w, "received.seq.length", Integer.toString(round + 1));
        }
    }

    @Test
    void duplicateIdsAndUnknownWindowsAreClearErrors() throws Exception {
        AppWindow w = Pages.open(desktop, WindowOptions.builder().id("dup").size(200, 200).url("app://echo.html").build());
        opened.add(w);
        assertThatThrownBy(() -> desktop.createWindow(WindowOptions.builder().id("dup").build()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(dev.kiln.ipc.KilnException.class).hasMessageContaining("[7000] A window with id 'dup' already exists");
        assertThat(desktop.closeWindow("nope").get(10, TimeUnit.SECONDS)).as("no such window").isFalse();
        assertThat(desktop.window("dup")).containsSame(w);
        assertThat(desktop.windows()).contains(w);
        assertThat(desktop.closeWindow("dup").get(10, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().until(() -> desktop.window("dup").isEmpty());
        // "(it was closed)" when the send reaches the page while it unloads (100 ms after the close)
        assertThatThrownBy(() -> desktop.ipc().sendToWindow("dup", "x", 1).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(KilnException.class).hasMessageStartingWith("[7002] Window not found: dup");
        assertThatThrownBy(() -> Automation.evaluate(w, "1").get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(KilnException.class).hasMessage("[7002] Window not found: dup (it was closed)");
        // the id is free again
        AppWindow again = Pages.open(desktop, WindowOptions.builder().id("dup").size(200, 200).url("app://echo.html").build());
        opened.add(again);
        assertThat(again.id()).isEqualTo("dup");
    }

    private static long[] bridgeCalls(AppWindow w) {
        return ((WebViewWindow) w).page().bridgeCalls();
    }

    private static String range(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(i);
        }
        return s.toString();
    }
}
