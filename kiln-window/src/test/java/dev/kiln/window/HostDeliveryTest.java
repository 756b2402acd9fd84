package dev.kiln.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.ipc.EventStream;
import dev.kiln.ipc.IpcEvent;
import dev.kiln.ipc.JsonText;
import dev.kiln.ipc.KilnException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Host-to-page delivery under bad input and at close: one bad payload fails alone, nothing goes unreported. */
@ExtendWith(RealWindowExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HostDeliveryTest {
    private static Desktop desktop;

    @BeforeAll
    static void start() {
        desktop = Desktop.start(DesktopConfig.of(TestWeb.root()).withExitOnLastWindowClosed(false));
    }

    @AfterAll
    static void stop() {
        desktop.close();
    }

    @Test
    void aMalformedRawPayloadFailsAloneAndTheOthersArriveInOrder() throws Exception {
        try (LogCapture log = new LogCapture()) {
            AppWindow w = desktop.createWindow(WindowOptions.builder().url("app://echo.html").size(300, 200).build())
                    .get(20, TimeUnit.SECONDS);
            try {
                // sent before the page is ready: they reach the page together, in one call
                List<CompletableFuture<Void>> sends = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    Object payload = i == 4 ? new JsonText("{\"i\": 4, oops") : Map.of("i", i);
                    sends.add(desktop.ipc().sendToWindow(w.id(), "seq", payload));
                }
                Automation.whenPageReady(w).get(20, TimeUnit.SECONDS);
                Pages.awaitEval(w, "received.seq.map(p => p.i).join()", "\"0,1,2,3,5,6,7,8,9\"");
                // the bad one is either refused at its send (7003) or dropped at the page, logged with 7003
                boolean refusedAtSend = sends.get(4).handle((ok, e) -> e != null
                        && e.getCause() instanceof KilnException k && k.getMessage().startsWith("[7003]")).get(20, TimeUnit.SECONDS);
                if (!refusedAtSend) {
                    await().atMost(Duration.ofSeconds(20)).until(() ->
                            log.contains("[7003] Window " + w.id() + ": dropped a message on channel 'seq': its payload is not valid JSON"));
                }
                // a lone bad one does not stop the next
                desktop.ipc().sendToWindow(w.id(), "seq", new JsonText("[1,"));
                desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", 10));
                Pages.awaitEval(w, "received.seq.map(p => p.i).join()", "\"0,1,2,3,5,6,7,8,9,10\"");
            } finally {
                w.close();
            }
        }
    }

    @Test
    void closingReportsWhatThePageNeverTookAndKeepsItsLastSends() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (LogCapture log = new LogCapture(); EventStream bye = desktop.ipc().channelEvents("bye")) {
            Pages.eval(w, "addEventListener('pagehide', () => runtime.send('bye', { last: true })); 1");
            // 50 sends handed to the window's transport, then the close, in one FX task: the page never takes them
            Fx.call(() -> {
                for (int i = 0; i < 50; i++) {
                    desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", i));
                }
                ((WebViewWindow) w).closeOnFx();
                return null;
            }).get(20, TimeUnit.SECONDS);
            IpcEvent last = bye.poll(Duration.ofSeconds(20));
            assertThat(last).as("the page's pagehide send during close").isNotNull();
            assertThat(last.payload().get("last").asBoolean()).isTrue();
            assertThat(log.messages()).anyMatch(m -> m.startsWith("[7002] Window " + w.id() + " closed before its page took ")
                    && m.endsWith(" message(s); they are dropped"));
        }
    }
}
