package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.IpcConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Messages for a channel the page does not listen to yet are held for its first listener, within limits. */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LateListenerTest {
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false)
                .withIpc(IpcConfig.builder().maxPayloadBytes(2 * 1024 * 1024).build()));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @Test
    void aListenerRegistered300MsAfterReadyGetsWhatCameBeforeInOrderOnce() throws Exception {
        AppWindow w = desktop.createWindow(WindowOptions.builder().url("app://late.html").size(300, 200).build())
                .get(20, TimeUnit.SECONDS);
        try {
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 5; i++) { // before the page is ready
                sends.add(desktop.ipc().sendToWindow(w.id(), "late", Map.of("i", i)));
            }
            Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
            for (int i = 5; i < 10; i++) { // ready, but nobody listens for 300 ms
                sends.add(desktop.ipc().sendToWindow(w.id(), "late", Map.of("i", i)));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            Pages.awaitEval(w, "received.late.map(p => p.i).join()", "\"" + range(0, 10) + "\"");
            // the held messages went to the first listener only: a later one sees only new messages
            Pages.eval(w, "subscribeSecond(); 1");
            desktop.ipc().sendToWindow(w.id(), "late", Map.of("i", 10)).get(20, TimeUnit.SECONDS);
            Pages.awaitEval(w, "received.late.map(p => p.i).join() + '|' + received.second.map(p => p.i).join()",
                    "\"" + range(0, 11) + "|10\"");
        } finally {
            w.close();
        }
    }

    @Test
    void messagesTheDocumentTookBeforeItsFirstListenerAreHandedToIt() throws Exception {
        AppWindow w = Pages.open(desktop, "app://late.html?manual");
        try {
            for (int i = 0; i < 10; i++) {
                desktop.ipc().sendToWindow(w.id(), "late", Map.of("i", i));
            }
            desktop.ipc().sendToWindow(w.id(), "ping", 1);
            Pages.awaitEval(w, "window.pinged", "1"); // delivered in order: the ten are in the page
            assertThat(Pages.eval(w, "typeof window.subscribedAt + ' ' + received.late.length")).isEqualTo("\"undefined 0\"");
            Pages.eval(w, "subscribe(); 1");
            Pages.awaitEval(w, "received.late.map(p => p.i).join()", "\"" + range(0, 10) + "\"");
        } finally {
            w.close();
        }
    }

    @Test
    void whatOverflowsTheHoldIsDroppedOldestFirstAndReportedWithACount() throws Exception {
        AppWindow w = Pages.open(desktop, "app://late.html?manual");
        try (LogCapture log = new LogCapture()) {
            int total = BridgeProtocol.HELD_MAX_MESSAGES + 150;
            CompletableFuture<Void> last = null;
            for (int i = 0; i < total; i++) {
                last = desktop.ipc().sendToWindow(w.id(), "late", Map.of("i", i));
            }
            last.get(20, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> droppedReported(log) == 150);
            assertThat(log.messages().stream().filter(m -> m.contains("the page dropped")).findFirst().orElseThrow())
                    .startsWith("[7001] Window " + w.id() + ": the page dropped ")
                    .contains("the last on channel 'late'");
            Pages.eval(w, "subscribe(); 1");
            Pages.awaitEval(w, "received.late.length", Integer.toString(BridgeProtocol.HELD_MAX_MESSAGES));
            assertThat(Pages.eval(w, "received.late.every((p, k) => p.i === k + 150)")).isEqualTo("true");

            // the byte bound: 1 MiB payloads, so only the newest fit in the hold
            String mib = "x".repeat(1024 * 1024);
            Pages.eval(w, "received.bigHeld = []; 1");
            for (int i = 0; i < 10; i++) {
                last = desktop.ipc().sendToWindow(w.id(), "bulk", mib + i);
            }
            last.get(20, TimeUnit.SECONDS);
            long held = BridgeProtocol.HELD_MAX_BYTES / (1024 * 1024 + 4);
            await().atMost(Duration.ofSeconds(20)).until(() -> droppedReported(log) == 150 + 10 - held);
            Pages.eval(w, "window.runtime.on('bulk', (p) => received.bigHeld.push(p.slice(-1))); 1");
            Pages.awaitEval(w, "received.bigHeld.join('')", "\"" + range(10 - (int) held, 10).replace(",", "") + "\"");
        } finally {
            w.close();
        }
    }

    /** The sum of the counts in the "the page dropped N message(s)" warnings logged so far. */
    private static long droppedReported(LogCapture log) {
        return log.messages().stream().filter(m -> m.contains("the page dropped "))
                .mapToLong(m -> Long.parseLong(m.replaceAll("^.*the page dropped (\\d+) .*$", "$1"))).sum();
    }

    private static String range(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
