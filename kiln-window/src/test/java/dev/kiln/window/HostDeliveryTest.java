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
                // the page refused the bad one: its send fails with 7003, logged once; the others completed
                assertThat(failureOf(sends.get(4))).hasMessage("[7003] Window " + w.id()
                        + ": refused a message on channel 'seq': its payload is not valid JSON");
                assertThat(log.messages()).contains("[7003] Window " + w.id()
                        + ": refused a message on channel 'seq': its payload is not valid JSON");
                for (int i = 0; i < 10; i++) {
                    if (i != 4) {
                        sends.get(i).get(20, TimeUnit.SECONDS);
                    }
                }
                // a lone bad one does not stop the next
                CompletableFuture<Void> loneBad = desktop.ipc().sendToWindow(w.id(), "seq", new JsonText("[1,"));
                desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", 10)).get(20, TimeUnit.SECONDS);
                assertThat(failureOf(loneBad).getMessage()).startsWith("[7003]");
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
            List<CompletableFuture<Void>> sends = Fx.call(() -> {
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    sent.add(desktop.ipc().sendToWindow(w.id(), "seq", Map.of("i", i)));
                }
                ((WebViewWindow) w).closeOnFx();
                return sent;
            }).get(20, TimeUnit.SECONDS);
            // the first, a lone send, was queued for the page by the FX thread itself before the close
            assertThat(failureOf(sends.get(0))).hasMessage("[7002] Window not found: " + w.id()
                    + " (closed before its page took the message)");
            for (CompletableFuture<Void> send : sends) {
                assertThat(failureOf(send).getMessage()).startsWith("[7002] Window not found: " + w.id());
            }
            IpcEvent last = bye.poll(Duration.ofSeconds(20));
            assertThat(last).as("the page's pagehide send during close").isNotNull();
            assertThat(last.payload().get("last").asBoolean()).isTrue();
            assertThat(log.messages()).anyMatch(m -> m.startsWith("[7002] Window " + w.id() + " closed before its page took ")
                    && m.endsWith(" message(s); their sends fail with this code"));
        }
    }

    @Test
    void aPageWhoseDeliverFailsFailsTheSendWith7000AndTheNextSendStillArrives() throws Exception {
        AppWindow w = Pages.open(desktop, "app://echo.html");
        try (LogCapture log = new LogCapture()) {
            String port = "window[" + BridgeProtocol.quote(desktop.protocol().portMember()) + "]";
            Pages.eval(w, "window.realDeliver = " + port + ".deliver;"
                    + port + ".deliver = function () { " + port + ".deliver = window.realDeliver; throw new Error('broken page'); }; 1");

            KilnException failed = failureOf(desktop.ipc().sendToWindow(w.id(), "seq", 1));

            assertThat(failed.getMessage()).startsWith("[7000] Window " + w.id() + " could not take a batch of messages:")
                    .contains("broken page");
            assertThat(log.messages()).contains(failed.getMessage());
            desktop.ipc().sendToWindow(w.id(), "seq", 2).get(20, TimeUnit.SECONDS);
            assertThat(Pages.eval(w, "received.seq")).isEqualTo("[2]");
        } finally {
            w.close();
        }
    }

    static KilnException failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(KilnException.class);
            return (KilnException) e.getCause();
        }
        throw new AssertionError("The send completed normally");
    }
}
