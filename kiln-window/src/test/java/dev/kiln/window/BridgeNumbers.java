package dev.kiln.window;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.JsonText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prints rough bridge numbers (not a test, not asserted): throughput each way, round-trip latency,
 * and 10 MB payloads each way, through real windows. Medians of 3 runs after a warm-up.
 *
 * <p>Run: {@code java -cp <kiln-window test classpath> dev.kiln.window.BridgeNumbers} with DISPLAY set.
 */
public final class BridgeNumbers {
    private static final int MESSAGES = 10_000;

    private BridgeNumbers() {
    }

    public static void main(String[] args) throws Exception {
        Path web = TestWeb.root();
        Desktop desktop = Desktop.start(DesktopConfig.of(web).withExitOnLastWindowClosed(false));
        try {
            AppWindow w = Pages.open(desktop, WindowOptions.builder().url("app://echo.html").size(400, 300).build());
            Pages.eval(w, """
                    window.tpCount = 0;
                    window.runtime.on('tp', () => { if (++window.tpCount === window.tpTarget) window.runtime.send('tp-done', tpCount); });
                    window.runtime.on('big', (p) => window.runtime.send('big-done', p.length));
                    window.runtime.on('ping', (p) => window.runtime.send('pong', p));
                    1""");
            for (int round = 0; round < 4; round++) {
                boolean warmUp = round == 0;
                double toPage = hostToPage(desktop, w);
                double toHost = pageToHost(desktop, w);
                long[] rtt = roundTrips(desktop, w, warmUp ? 200 : 2000);
                double bigToPage = bigToPage(desktop, w);
                double bigToHost = bigToHost(desktop, w);
                long[] literalVsParse = literalVsParse(w);
                System.out.printf("%s 10 MB batch into the page: script literal %d ms, JSObject.call(JSON.parse) %d ms%n",
                        warmUp ? "warm-up" : "run " + round, literalVsParse[0], literalVsParse[1]);
                System.out.printf("%s host->page %,.0f msg/s | page->host %,.0f msg/s | round trip p50 %d us p99 %d us"
                                + " | 10 MB host->page %.0f ms | 10 MB page->host %.0f ms | batches host->page %d, upcalls %d%n",
                        warmUp ? "warm-up" : "run " + round, toPage, toHost, rtt[0], rtt[1], bigToPage, bigToHost,
                        ((WebViewWindow) w).page().bridgeCalls()[1], ((WebViewWindow) w).page().bridgeCalls()[0]);
            }
        } finally {
            desktop.close();
            System.exit(0);
        }
    }

    /** Messages per second from sendToWindow of the first to the page having all (its ack received). */
    private static double hostToPage(Desktop desktop, AppWindow w) throws Exception {
        Pages.eval(w, "window.tpCount = 0; window.tpTarget = " + MESSAGES + "; 1");
        try (EventStream done = desktop.ipc().channelEvents("tp-done")) {
            long start = System.nanoTime();
            for (int i = 0; i < MESSAGES; i++) {
                desktop.ipc().sendToWindow(w.id(), "tp", Map.of("i", i, "text", "a small payload"));
            }
            require(done.poll(Duration.ofSeconds(60)));
            return MESSAGES / seconds(start);
        }
    }

    /** Messages per second from the page's first send to the host receiving the last one. */
    private static double pageToHost(Desktop desktop, AppWindow w) throws Exception {
        try (EventStream up = desktop.ipc().channelEvents("up")) {
            long start = System.nanoTime();
            Automation.evaluate(w, "for (let i = 0; i < " + MESSAGES + "; i++) window.runtime.send('up', { i, text: 'a small payload' }); 1");
            for (int i = 0; i < MESSAGES; i++) {
                require(up.poll(Duration.ofSeconds(60)));
            }
            return MESSAGES / seconds(start);
        }
    }

    /** Host sends, page echoes, host receives: one at a time; p50 and p99 in microseconds. */
    private static long[] roundTrips(Desktop desktop, AppWindow w, int n) throws Exception {
        long[] micros = new long[n];
        try (EventStream pong = desktop.ipc().channelEvents("pong")) {
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                desktop.ipc().sendToWindow(w.id(), "ping", i);
                require(pong.poll(Duration.ofSeconds(10)));
                micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            }
        }
        Arrays.sort(micros);
        return new long[] {micros[n / 2], micros[(int) (n * 0.99)]};
    }

    private static double bigToPage(Desktop desktop, AppWindow w) throws Exception {
        String payload = "\"" + "x".repeat(10 * 1024 * 1024) + "\"";
        try (EventStream done = desktop.ipc().channelEvents("big-done")) {
            long start = System.nanoTime();
            desktop.ipc().sendToWindow(w.id(), "big", new JsonText(payload));
            require(done.poll(Duration.ofSeconds(60)));
            return seconds(start) * 1000;
        }
    }

    private static double bigToHost(Desktop desktop, AppWindow w) throws Exception {
        Pages.eval(w, "window.bigText = 'y'.repeat(10 * 1024 * 1024); 1");
        try (EventStream big = desktop.ipc().channelEvents("big-up")) {
            long start = System.nanoTime();
            Automation.evaluate(w, "window.runtime.send('big-up', window.bigText); 1");
            IpcEvent e = require(big.poll(Duration.ofSeconds(60)));
            double ms = seconds(start) * 1000;
            if (e.payload().asText().length() != 10 * 1024 * 1024) {
                throw new AssertionError("wrong size");
            }
            return ms;
        }
    }

    /** The two ways to hand a 10 MB batch to the page: a script with it as a literal, or a string parsed by JSON.parse. */
    private static long[] literalVsParse(AppWindow w) throws Exception {
        String batch = "[{\"c\":\"none\",\"p\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}]";
        return Fx.call(() -> {
            javafx.scene.web.WebEngine engine = ((WebViewWindow) w).engine();
            long t0 = System.nanoTime();
            engine.executeScript("void (" + batch + ")");
            long t1 = System.nanoTime();
            netscape.javascript.JSObject json = (netscape.javascript.JSObject) engine.executeScript("JSON");
            json.call("parse", batch);
            long t2 = System.nanoTime();
            return new long[] {(t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000};
        }).get(60, TimeUnit.SECONDS);
    }

    private static IpcEvent require(IpcEvent e) {
        if (e == null) {
            throw new AssertionError("timed out");
        }
        return e;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
